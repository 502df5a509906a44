/** dockerfix's own version, for --version and SARIF. */
import fs from 'node:fs';

let version: string | null = null;
/** The version in dockerfix's own package.json: the nearest one above this module (dist/src/cli or the bundle). */
export function packageVersion(): string {
  if (version === null) {
    version = '0.0.0';
    for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version: string };
        if (pkg.name === 'dockerfix') {
          version = pkg.version;
          break;
        }
      } catch {
        // not here: one level up
      }
      if (new URL('../', dir).href === dir.href) break;
    }
  }
  return version;
}
