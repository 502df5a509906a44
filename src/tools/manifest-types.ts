/** What an install reads from the build context: its manifests, or why it needs the whole tree. */
import { skip, type Skip } from '../core/transform.js';
import type { BuildContext } from '../dockerfile/build-context.js';

/**
 * A manifest the install reads, relative to the directory it runs in: `required` ones must exist;
 * the others are copied when present. `dir`: a directory copied whole (`.yarn/`, a local package).
 */
export interface Manifest {
  path: string;
  required: boolean;
  dir?: boolean;
}

/**
 * What an install reads and what it leaves in the directory it runs in. `products` are the paths
 * it creates there (`node_modules`, `.venv`, `vendor`): a copy of the context made after it would
 * lay the context's own copies over them. A last segment may be a `*` pattern (`*.egg-info`).
 */
export interface InstallNeeds {
  manifests: Manifest[];
  products: string[];
}

/** What an install command needs, or why it needs more than manifests. */
export type Needs = InstallNeeds | Skip;

/** What an install is judged on: the context seen from the directory it runs in, and the RUN's ENV. */
export interface InstallContext {
  /** The build context from the install's directory, or null when it is not known. */
  files: BuildContext | null;
  /** ENV values in force for the RUN (null: not a literal), plus the command's own assignments. */
  env: ReadonlyMap<string, string | null>;
}

/** The skip codes manifest readers give, with what each means. */
export const MANIFEST_SKIPS = {
  'needs-source': 'the install reads more than its manifests (the project itself, local paths)',
  workspaces: 'the manifests declare workspaces or modules whose manifests live in the tree',
  'lifecycle-scripts': 'package.json has scripts that run during the install and may read the tree',
  'local-dependency':
    'a manifest depends on a package from a local path that the install builds from the tree',
  'manifest-unreadable': 'a manifest cannot be read as its format says',
  'writes-manifest':
    'the command changes a manifest (adds a package, creates package.json), which the moved COPY would overwrite',
} as const;
export type ManifestSkipCode = keyof typeof MANIFEST_SKIPS;

export const needsSource = (what: string): Skip<ManifestSkipCode> =>
  skip('needs-source', `${what} needs more than the manifests, so the source must be copied first`);

export const writesManifest = (what: string, file: string): Skip<ManifestSkipCode> =>
  skip('writes-manifest', `${what} changes \`${file}\`, which the moved COPY would overwrite`);

/** An install that reads and leaves nothing in its directory (a global tool install). */
export const NOTHING: InstallNeeds = { manifests: [], products: [] };

/** Manifests that are all optional. */
export const optional = (...paths: string[]): Manifest[] => paths.map((path) => ({ path, required: false }));
