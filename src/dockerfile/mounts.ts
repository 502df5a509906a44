/** `RUN --mount` flags: what a RUN already mounts, whether the frontend has mounts, and adding them the seeds' way. */
import type { DockerfileModel, Instruction } from '../core/model.js';
import type { TextEdit } from '../core/transform.js';
import { lineBreakOf } from '../rewrite/edit.js';
import { normalizePath } from '../tools/paths.js';

export interface ExistingMount {
  type: string;
  /** Normalised target (`~` for /root), or null when it is not a literal. */
  target: string | null;
}

export function existingMounts(instr: Instruction): ExistingMount[] {
  return instr.flags
    .filter((f) => f.name === 'mount')
    .map((f) => {
      const opt = (n: string[]) => f.options.find((o) => n.includes(o.name))?.value ?? null;
      const target = opt(['target', 'dst', 'destination']);
      // `$HOME/x` normalises to `~/x`; any other variable leaves the target unknown.
      const normalized = target === null ? null : normalizePath(target);
      return {
        type: opt(['type']) ?? 'bind',
        target: normalized === null || normalized.includes('$') ? null : normalized,
      };
    });
}

/**
 * Why `# syntax=` rules out `RUN --mount`, or null when mounts are available: docker/dockerfile
 * before 1.2 has no mounts (the 1.0/1.1 `-experimental` tags do); another frontend is unknown.
 */
export function frontendProblem(model: DockerfileModel): string | null {
  const syntax = model.directives.get('syntax');
  if (syntax === undefined) return null;
  const m =
    /^(?:[\w.-]+(?::\d+)?\/)?docker\/dockerfile(?:-upstream)?(?::([^@\s]+))?(?:@sha256:[0-9a-f]+)?$/i.exec(
      syntax.trim(),
    );
  if (!m) return `the \`# syntax=${syntax}\` frontend is not one known to support \`RUN --mount\``;
  const tag = m[1];
  if (tag === undefined) {
    return syntax.includes('@')
      ? `the \`# syntax=${syntax}\` frontend is pinned by digest only; its version is unknown`
      : null;
  }
  if (/experimental/.test(tag)) return null;
  const v = /^(\d+)(?:\.(\d+))?/.exec(tag);
  if (!v)
    return /^(latest|labs|master|mainline)$/.test(tag)
      ? null
      : `the \`# syntax=${syntax}\` tag is not a known version`;
  const major = Number(v[1]);
  const minor = v[2] === undefined ? null : Number(v[2]);
  if (major === 0 || (major === 1 && minor !== null && minor < 2)) {
    return `\`# syntax=${syntax}\` pins a frontend older than 1.2, which has no \`RUN --mount\``;
  }
  return null;
}

/** `--mount=type=cache,target=/x[,sharing=locked][,uid=1000,gid=1000]` */
export function cacheMountFlag(
  target: string,
  opts: { sharing?: 'locked'; uid?: number; gid?: number } = {},
): string {
  let s = `--mount=type=cache,target=${target}`;
  if (opts.sharing) s += `,sharing=${opts.sharing}`;
  if (opts.uid !== undefined) s += `,uid=${opts.uid}`;
  if (opts.gid !== undefined) s += `,gid=${opts.gid}`;
  return s;
}

/**
 * Add mount flags to a RUN as the seeds write them: `RUN --mount=… \`, one mount per line indented
 * four spaces, then the original command on its own continuation line. Existing flags stay first.
 */
export function addMounts(model: DockerfileModel, instr: Instruction, flags: string[]): TextEdit {
  const esc = model.escape;
  const eol = lineBreakOf(model, instr);
  const cont = ` ${esc}${eol}    `;
  const lastFlag = instr.flags[instr.flags.length - 1];
  const anchor = lastFlag ? lastFlag.end : instr.start + 'RUN'.length;
  const gap = model.text.slice(anchor, instr.argsStart);
  const lead = lastFlag ? cont : ' ';
  const inserted = lead + flags.join(cont);
  if (/[\r\n]/.test(gap)) {
    // The command already starts on a continuation line: keep that line as it is.
    return { start: anchor, end: anchor, text: inserted };
  }
  return { start: anchor, end: instr.argsStart, text: inserted + cont };
}
