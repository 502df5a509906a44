/**
 * Dockerfiles rendered from templates without saying so in a header: the docker-library layout of
 * official-image repositories, where a script renders `Dockerfile-debian.template` (or `Dockerfile.tmpl`,
 * `eng/dockerfile-templates/…`) into one Dockerfile per version directory (`22/bookworm/Dockerfile`,
 * `src/runtime/8.0/bookworm-slim/amd64/Dockerfile`). The next render would undo a fix: the template
 * is the place. The rule: a path segment below the repository root is a version (`22`, `1.85.0`,
 * `8.0`, `stable`, `alpine3.21`), and the repository root holds a Dockerfile template, or an
 * `eng/dockerfile-templates` directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { nameSkip, type FileSkip } from './names.js';

/** `22`, `1.85.0`, `8.0`, `v2`, a release channel (`stable`, `nightly`), a distribution release (`alpine3.21`). */
const VERSION_SEGMENT = /^(v?\d+(\.\d+)*(-[\w.]+)?|stable|nightly|beta|edge|[a-z]+\d+(\.\d+)+)$/;

/** Template files of a repository root, found once per root. */
const templatesByRoot = new Map<string, string | null>();

function rootTemplate(root: string): string | null {
  let found = templatesByRoot.get(root);
  if (found === undefined) {
    found = null;
    try {
      for (const name of fs.readdirSync(root)) {
        if (/dockerfile|containerfile/i.test(name) && nameSkip(name)?.reason === 'template') {
          found = name;
          break;
        }
      }
      if (found === null && fs.statSync(path.join(root, 'eng', 'dockerfile-templates')).isDirectory())
        found = 'eng/dockerfile-templates/';
    } catch {
      // No such directory: no template.
    }
    templatesByRoot.set(root, found);
  }
  return found;
}

/** Why a Dockerfile is taken as rendered from a template, or null. */
export function renderedSkip(file: string, root: string): FileSkip | null {
  const rel = path.relative(root, path.dirname(file));
  if (rel.startsWith('..') || rel === '') return null;
  if (!rel.split(path.sep).some((s) => VERSION_SEGMENT.test(s))) return null;
  const template = rootTemplate(root);
  if (template === null) return null;
  return {
    reason: 'generated',
    message: `generated (rendered from \`${template}\`: a version directory beside a Dockerfile template): fix the template, or use --include-generated`,
  };
}
