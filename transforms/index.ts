/** The built-in transforms, in the order the engine applies them. */
import type { Transform } from '../src/core/transform.js';
import { apkCache } from './apk-cache.js';
import { aptCache } from './apt-cache.js';
import { copyManifestsFirst } from './copy-manifests-first.js';
import { dockerignoreTransform } from './dockerignore.js';
import { foldCleanup } from './fold-cleanup.js';
import { goCache } from './go-cache.js';
import { mergeAptRuns } from './merge-apt-runs.js';
import { npmCache } from './npm-cache.js';
import { pipCache } from './pip-cache.js';
import { mavenCache } from './maven-cache.js';
import { cargoCache } from './cargo-cache.js';
import { composerCache } from './composer-cache.js';
import { bundlerCache } from './bundler-cache.js';
import { dotnetCache } from './dotnet-cache.js';
import { condaCache } from './conda-cache.js';
import { aptNoInstallRecommends } from './apt-no-install-recommends.js';
import { gemNoDocument } from './gem-no-document.js';
import { rpmCacheTransform } from './rpm-cache.js';
import { syntaxDirective } from './syntax-directive.js';

/**
 * fold-cleanup first (it moves cleanups to where the files are created), then merge-apt-runs (so
 * that lists are created and used in one RUN), then the cache mounts, which take the folded
 * cleanups out again where a mount makes them harmful.
 */
export const builtinTransforms: readonly Transform[] = [
  foldCleanup,
  mergeAptRuns,
  aptCache,
  apkCache,
  rpmCacheTransform,
  pipCache,
  npmCache,
  goCache,
  mavenCache,
  cargoCache,
  composerCache,
  bundlerCache,
  dotnetCache,
  condaCache,
  aptNoInstallRecommends,
  gemNoDocument,
  copyManifestsFirst,
  dockerignoreTransform,
  syntaxDirective,
];
