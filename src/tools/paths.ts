/** Paths as commands write them, compared the way the transforms need (not resolved against a disk). */

/** Normalise a path for comparison: `$HOME`, `${HOME}` and `/root` become `~`; `./x` becomes `x`. */
export function normalizePath(p: string): string {
  let s = p.replace(/^(\$HOME|\$\{HOME\})(?=\/|$)/, '~').replace(/^\/root(?=\/|$)/, '~');
  s = s.replace(/\/{2,}/g, '/');
  while (s.startsWith('./')) s = s.slice(2);
  if (s.length > 1 && s.endsWith('/')) s = s.slice(0, -1);
  return s;
}

const GLOB = /[*?[]/;

/** The directory part of a path that ends in glob segments: `/var/lib/apt/lists/*` → `/var/lib/apt/lists`. */
export function globBase(p: string): string {
  const parts = p.split('/');
  while (parts.length > 1 && GLOB.test(parts[parts.length - 1])) parts.pop();
  return parts.join('/') || '/';
}
