/** What an install reads from the build context: its manifests, or why it needs the whole tree. */
import { skip, type Skip } from '../core/transform.js';

/** A manifest the install reads: `required` ones must exist; the others are copied when present. */
export interface Manifest {
  path: string;
  required: boolean;
  dir?: boolean;
}

/** What an install command needs, or why it needs more than manifests. */
export type Needs = { manifests: Manifest[] } | Skip;

/** The skip codes manifest readers give, with what each means. */
export const MANIFEST_SKIPS = {
  'needs-source': 'the install reads more than its manifests (the project itself, local paths)',
  workspaces: 'the manifests declare workspaces or modules whose manifests live in the tree',
  'lifecycle-scripts': 'package.json has scripts that run during the install and may read the tree',
  'local-dependency': 'package.json depends on a package from a local path',
  'manifest-unreadable': 'a manifest cannot be read as its format says',
} as const;
export type ManifestSkipCode = keyof typeof MANIFEST_SKIPS;

export const needsSource = (what: string): Skip<ManifestSkipCode> =>
  skip('needs-source', `${what} needs more than the manifests, so the source must be copied first`);
