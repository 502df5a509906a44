/** `RUN --mount` flags: what a RUN already mounts, and whether the frontend has mounts at all. */
import type { DockerfileModel, Instruction } from '../core/model.js';
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
