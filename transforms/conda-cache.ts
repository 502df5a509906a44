/**
 * conda-cache: conda, mamba and micromamba download every package again on each rebuild, and keep
 * the archives and extracted packages in the package cache (`<root>/pkgs`) inside the layer.
 * buildkit mode: a cache mount on the package cache (CONDA_PKGS_DIRS, the conda images'
 * /opt/conda/pkgs, MAMBA_ROOT_PREFIX/pkgs), `sharing=locked`; environments stay in the image.
 * portable mode: `conda clean -afy` (`micromamba clean -afy`) in the installing RUN.
 */
import type { Transform } from '../src/core/transform.js';
import {
  DOWNLOAD_CACHE_META,
  runDownloadCache,
  oneCacheSpec,
  type DownloadCacheSkipCode,
} from '../src/rewrite/cache-mounts.js';
import { condaPkgsDir } from '../src/tools/conda.js';

const spec = oneCacheSpec(/\b(conda|mamba|micromamba)\s/, 'the conda package cache', condaPkgsDir, { sharing: 'locked', cleanedBy: 'conda-cache' });

export const condaCache: Transform<DownloadCacheSkipCode> = {
  meta: {
    id: 'conda-cache',
    title: 'Cache conda/mamba packages across builds, or clean them in the installing RUN',
    description:
      'buildkit mode: adds `--mount=type=cache,target=<pkgs dir>,sharing=locked` to every RUN that runs ' +
      '`conda`/`mamba`/`micromamba` `install`, `create` or `update` (`env create`/`update` too): CONDA_PKGS_DIRS, ' +
      'else `/opt/conda/pkgs` in the continuumio and conda-forge images, `$MAMBA_ROOT_PREFIX/pkgs` for micromamba ' +
      '(the micromamba image runs as mambauser: a review fix with its uid/gid). The environments stay in the ' +
      'image: conda copies packages into them when the cache is on another file system. portable mode: appends ' +
      '`conda clean -afy` (or `mamba`/`micromamba clean -afy`) to the installing RUN.',
    why: 'Without a cache mount every rebuild downloads every package again; without cleaning, the archives and extracted packages (often hundreds of MB) stay in the layer.',
    example: {
      before: 'FROM continuumio/miniconda3\nRUN conda install -y numpy\n',
      after: 'FROM continuumio/miniconda3\nRUN --mount=type=cache,target=/opt/conda/pkgs,sharing=locked \\\n    conda install -y numpy\n',
    },
    ...DOWNLOAD_CACHE_META,
  },
  run(model, context, report) {
    runDownloadCache(model, context.mode, report, spec, (run) => {
      const target = run.uses[0].caches[0].target;
      if (typeof target !== 'string') return null;
      return {
        commands: [`${run.uses[run.uses.length - 1].inv.name} clean -afy`],
        dir: target,
        cleans: (inv) => /^(conda|mamba|micromamba)$/.test(inv.name) && inv.args[0] === 'clean',
        what: 'the package cache',
      };
    });
  },
};
