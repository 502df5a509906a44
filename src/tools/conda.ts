/**
 * conda, mamba and micromamba: which commands download packages, and where the package cache
 * lives: `CONDA_PKGS_DIRS`, else `<root prefix>/pkgs` (the conda images install to /opt/conda;
 * micromamba's follows MAMBA_ROOT_PREFIX). Environments are the product and stay in the image
 * (packages are copied into them when the cache is on another file system).
 */
import { skip } from '../core/transform.js';
import type { CachePath, RunContext } from '../dockerfile/run-context.js';
import { condaRootPrefix } from '../dockerfile/base-images.js';
import type { CacheKind } from './cache-kinds.js';
import type { Invocation } from './command.js';

const NAMES = new Set(['conda', 'mamba', 'micromamba']);
const DOWNLOADS = new Set(['install', 'create', 'update', 'upgrade']);

export function condaInstalls(inv: Invocation): boolean {
  if (!NAMES.has(inv.name)) return false;
  const sub = inv.args[0] === 'env' ? inv.args[1] : inv.args.find((a) => a === null || !a.startsWith('-'));
  return sub !== undefined && sub !== null && DOWNLOADS.has(sub);
}

export function condaPkgsDir(inv: Invocation, ctx: RunContext): CachePath | null {
  if (!condaInstalls(inv)) return null;
  if (inv.command.assignments.some((a) => /^(CONDA_PKGS_DIRS|MAMBA_ROOT_PREFIX|CONDA_PREFIX|HOME)$/.test(a)))
    return skip('cache-path-dynamic', `the ${inv.name} command sets its own package cache`);
  if (ctx.env.has('CONDA_PKGS_DIRS')) {
    const v = ctx.env.get('CONDA_PKGS_DIRS');
    if (v === null || v === undefined || !v.startsWith('/') || v.includes(','))
      return skip('cache-path-dynamic', '`CONDA_PKGS_DIRS` is set from a variable or names several directories');
    return v.replace(/\/+$/, '');
  }
  if (inv.name === 'micromamba') {
    const root = ctx.env.get('MAMBA_ROOT_PREFIX');
    if (root === undefined || root === null || !root.startsWith('/'))
      return skip('cache-path-unknown', "MAMBA_ROOT_PREFIX is not known, so micromamba's package cache is not");
    return root.replace(/\/+$/, '') + '/pkgs';
  }
  const root = ctx.base.image === null ? null : condaRootPrefix(ctx.base.image);
  if (root === null) return skip('cache-path-unknown', 'where conda is installed (and so its package cache) is not known for the base image');
  return root + '/pkgs';
}

export function condaCachesWritten(inv: Invocation): CacheKind[] | null {
  if (!NAMES.has(inv.name)) return null;
  return condaInstalls(inv) ? ['conda-cache'] : [];
}

/** `conda clean …` (any of its options empties part of the package cache). */
export const condaCacheCleaned = (inv: Invocation): CacheKind | null =>
  NAMES.has(inv.name) && inv.args[0] === 'clean' ? 'conda-cache' : null;
