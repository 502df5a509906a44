/** The package-manager caches that cleanups remove and installs create, by kind. */
export type CacheKind =
  | 'apt-lists'
  | 'apt-cache'
  | 'pip-cache'
  | 'npm-cache'
  | 'yarn-cache'
  | 'apk-cache'
  | 'yum-cache'
  | 'conda-cache'
  | 'composer-cache';

/** Where each kind lives by default (`~` is the user's home). */
export const CACHE_DIRS: readonly { dir: string; kind: CacheKind }[] = [
  { dir: '/var/lib/apt/lists', kind: 'apt-lists' },
  { dir: '/var/cache/apt', kind: 'apt-cache' },
  { dir: '~/.cache/pip', kind: 'pip-cache' },
  { dir: '~/.npm', kind: 'npm-cache' },
  { dir: '/usr/local/share/.cache/yarn', kind: 'yarn-cache' },
  { dir: '~/.cache/yarn', kind: 'yarn-cache' },
  { dir: '/var/cache/apk', kind: 'apk-cache' },
  { dir: '/var/cache/yum', kind: 'yum-cache' },
  { dir: '/var/cache/dnf', kind: 'yum-cache' },
  { dir: '/var/cache/libdnf5', kind: 'yum-cache' },
  { dir: '/var/cache/tdnf', kind: 'yum-cache' },
  { dir: '/var/cache/zypp', kind: 'yum-cache' },
  { dir: '/opt/conda/pkgs', kind: 'conda-cache' },
];

export const CACHE_LABEL: Record<CacheKind, string> = {
  'apt-lists': 'the apt package lists',
  'apt-cache': 'the apt package cache',
  'pip-cache': 'the pip cache',
  'npm-cache': 'the npm cache',
  'yarn-cache': 'the yarn cache',
  'apk-cache': 'the apk cache',
  'yum-cache': 'the yum/dnf/tdnf/zypper cache',
  'conda-cache': 'the conda package cache',
  'composer-cache': 'the composer cache',
};

/** The default directories of the given kinds. */
export function cacheDirsOf(kinds: readonly CacheKind[]): string[] {
  return kinds.flatMap((k) => CACHE_DIRS.filter((c) => c.kind === k).map((c) => c.dir));
}
