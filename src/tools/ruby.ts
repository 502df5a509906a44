/**
 * RubyGems and Bundler: which commands download gems, and where the downloaded `.gem` files go
 * (`$GEM_HOME/cache`; the ruby images set GEM_HOME=/usr/local/bundle). Only that download cache
 * is a cache: the installed gems (`$GEM_HOME/gems`, `BUNDLE_PATH`, `vendor/cache`) are the product.
 */
import { skip } from '../core/transform.js';
import type { CachePath, RunContext } from '../dockerfile/run-context.js';
import { mayBeAnyOption, type Invocation } from './command.js';

/** `bundle install`, `bundle update`, `gem install`. */
export function gemDownloads(inv: Invocation): boolean {
  const sub = inv.args.find((a) => a === null || !a.startsWith('-'));
  if (inv.name === 'bundle' || inv.name === 'bundler') return sub === 'install' || sub === 'update' || sub === undefined;
  return inv.name === 'gem' && (sub === 'install' || sub === 'update');
}

/**
 * Where the command keeps the downloaded gems: `$GEM_HOME/cache` when GEM_HOME is known and
 * nothing installs elsewhere (`--path`, `--deployment`, `BUNDLE_PATH`, `--install-dir`, `--user-install`).
 */
export function gemDownloadCache(inv: Invocation, ctx: RunContext): CachePath | null {
  if (!gemDownloads(inv)) return null;
  const moved = ['BUNDLE_PATH', 'BUNDLE_DEPLOYMENT', 'GEM_HOME', 'BUNDLE_GLOBAL_GEM_CACHE', 'HOME'];
  if (inv.command.assignments.some((a) => moved.includes(a)) || ctx.env.has('BUNDLE_PATH') || ctx.env.has('BUNDLE_DEPLOYMENT'))
    return skip('cache-path-dynamic', 'BUNDLE_PATH or BUNDLE_DEPLOYMENT installs the gems, and their cache, elsewhere');
  if (mayBeAnyOption(inv) || inv.args.some((a) => a !== null && /^(--path|--deployment|--install-dir|-i|--user-install|--local|--standalone)(=|$)/.test(a)))
    return skip('cache-path-dynamic', 'the command installs into its own directory, or only from a local cache');
  const home = ctx.env.get('GEM_HOME');
  if (home === undefined)
    return skip('cache-path-unknown', "GEM_HOME is not set, so where gems are downloaded depends on how Ruby was installed");
  if (home === null || !home.startsWith('/')) return skip('cache-path-dynamic', 'GEM_HOME is set from a variable');
  return home.replace(/\/+$/, '') + '/cache';
}

/** `gem install|update` that generates documentation (no `--no-document` or its older spellings). */
export function gemInstallsDocumentation(inv: Invocation): boolean {
  if (inv.name !== 'gem') return false;
  const sub = inv.args.find((a) => a === null || !a.startsWith('-'));
  if (sub !== 'install' && sub !== 'update') return false;
  return !inv.args.some((a) => a === null || /^(--no-document|--no-doc|-N|--no-ri|--no-rdoc|--document(=.*)?|--doc|--rdoc|--ri)$/.test(a));
}
