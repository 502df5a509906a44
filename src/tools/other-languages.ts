/** bundler, gem, composer, maven and cargo: which manifests their dependency installs read. */
import { skip } from '../core/transform.js';
import { optionValue, type Invocation } from './command.js';
import {
  needsSource,
  NOTHING,
  optional,
  writesManifest,
  type InstallContext,
  type Manifest,
  type Needs,
} from './manifest-types.js';

const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/') + 1) : '');

/** null for commands that are not one of these installs. */
export function otherLanguageNeeds(inv: Invocation, ctx: InstallContext): Needs | null {
  const a = inv.args;
  const sub = a.find((x) => x === null || !x.startsWith('-'));
  switch (inv.name) {
    case 'bundle':
    case 'bundler':
      return bundlerNeeds(a, sub, ctx);
    case 'gem':
      // `gem install x` also looks for a local `x-*.gem` in the directory it runs in.
      if (sub !== 'install') return null;
      if (a.some((x) => x !== null && /\.gem$|\//.test(x))) return null;
      if ((ctx.files?.list('.') ?? []).some((n) => n.endsWith('.gem')))
        return needsSource('`gem install` with `.gem` files in its directory (it installs local ones first)');
      return NOTHING;
    case 'composer':
      return composerNeeds(a, sub, ctx);
    case 'mvn':
    case 'mvnw':
      return mavenNeeds(inv, ctx);
    case 'cargo':
      return cargoNeeds(a, sub, ctx);
    default:
      return null;
  }
}

function bundlerNeeds(
  a: readonly (string | null)[],
  sub: string | null | undefined,
  ctx: InstallContext,
): Needs | null {
  if (sub === 'config') {
    // `bundle config set --local …` writes .bundle/config in the directory it runs in.
    return a.includes('--local') ? { manifests: [], products: ['.bundle/config'] } : NOTHING;
  }
  if (sub === 'add' || sub === 'lock' || sub === 'update')
    return writesManifest(`\`bundle ${sub}\``, 'Gemfile');
  if (sub !== 'install' && sub !== undefined) return null;
  const files = ctx.files;
  const gemfileOption = optionValue(a, '--gemfile') ?? ctx.env.get('BUNDLE_GEMFILE');
  if (gemfileOption === null) return needsSource('a Gemfile named by a variable');
  const gemfile =
    gemfileOption ?? (files?.hasFile('gems.rb') && !files.hasFile('Gemfile') ? 'gems.rb' : 'Gemfile');
  const lock = gemfile === 'gems.rb' ? 'gems.locked' : `${gemfile}.lock`;
  const manifests: Manifest[] = [
    { path: gemfile, required: true },
    { path: lock, required: false },
    { path: '.bundle', required: false, dir: true },
    // Gems packaged with `bundle package` are installed from here.
    { path: 'vendor/cache', required: false, dir: true },
  ];
  const seen = new Set<string>();
  const visit = (file: string, depth: number): Needs | null => {
    if (seen.has(file) || depth > 10) return null;
    seen.add(file);
    const text = files?.read(file);
    if (!text) return null;
    const code = text.replace(/#.*$/gm, '');
    if (/^\s*gemspec\b/m.test(code))
      return needsSource(`\`${file}\` uses \`gemspec\` (the gemspec reads the project); \`bundle install\``);
    if (/\bpath\s*:\s*['"]|:path\s*=>|^\s*path\s*\(?\s*['"]/m.test(code))
      return skip('local-dependency', `\`${file}\` installs gems from a local path (\`path:\`)`);
    if (/\b(File|IO|Dir)\.|\brequire_relative\b|\bload\s*\(?\s*['"]|\beval\s*\(/.test(code))
      return needsSource(
        `\`${file}\` reads other files of the project (File/require_relative/eval); \`bundle install\``,
      );
    const ruby = /^\s*ruby\s+file:\s*['"]([^'"]+)['"]/m.exec(code);
    if (ruby) manifests.push({ path: dirOf(file) + ruby[1], required: true });
    for (const m of code.matchAll(/^\s*eval_gemfile\s*\(?\s*['"]([^'"]+)['"]/gm)) {
      const other = dirOf(file) + m[1];
      manifests.push({ path: other, required: true });
      const p = visit(other, depth + 1);
      if (p) return p;
    }
    return null;
  };
  const problem = visit(gemfile, 0);
  if (problem) return problem;
  const products = ['vendor/bundle'];
  const path = optionValue(a, '--path') ?? ctx.env.get('BUNDLE_PATH');
  const configured = /^\s*BUNDLE_PATH:\s*["']?([^"'\s]+)/m.exec(files?.read('.bundle/config') ?? '');
  for (const p of [path, configured?.[1]]) if (p && !p.startsWith('/')) products.push(p);
  if (a.some((x) => x !== null && x.startsWith('--binstubs')))
    products.push(optionValue(a, '--binstubs') ?? 'bin');
  return { manifests, products };
}

function composerNeeds(
  a: readonly (string | null)[],
  sub: string | null | undefined,
  ctx: InstallContext,
): Needs | null {
  if (sub === 'global') return NOTHING;
  if (sub === 'require' || sub === 'remove' || sub === 'update' || sub === 'init')
    return writesManifest(`\`composer ${sub}\``, 'composer.json');
  if (sub !== 'install') return null;
  if (!a.includes('--no-scripts') || !a.includes('--no-autoloader')) {
    return needsSource(
      '`composer install` without `--no-scripts --no-autoloader` runs scripts and builds the autoloader; it',
    );
  }
  const text = ctx.files?.read('composer.json');
  const products = ['vendor'];
  if (text) {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return skip('manifest-unreadable', 'composer.json is not valid JSON');
    }
    const repos = json.repositories;
    const list = Array.isArray(repos) ? repos : Object.values((repos ?? {}) as object);
    for (const r of list as { type?: unknown; url?: unknown }[]) {
      if (r && (r.type === 'path' || r.type === 'artifact'))
        return skip(
          'local-dependency',
          `composer.json has a \`${String(r.type)}\` repository (\`${String(r.url)}\`) in the tree`,
        );
    }
    const config = (json.config ?? {}) as Record<string, unknown>;
    for (const key of ['vendor-dir', 'bin-dir'])
      if (typeof config[key] === 'string') products.push(config[key] as string);
    const installerPaths = ((json.extra ?? {}) as Record<string, unknown>)['installer-paths'];
    for (const p of Object.keys((installerPaths ?? {}) as object))
      products.push(p.replace(/\/?\{\$\w+\}.*$/, ''));
  }
  return {
    manifests: [{ path: 'composer.json', required: true }, ...optional('composer.lock', 'auth.json')],
    products,
  };
}

function mavenNeeds(inv: Invocation, ctx: InstallContext): Needs | null {
  const a = inv.args;
  if (!a.some((x) => x !== null && /(^|:)(go-offline|resolve|resolve-plugins|resolve-dependencies)$/.test(x)))
    return null;
  const pom = optionValue(a, '-f', '--file');
  if (pom === null) return needsSource('a pom named by a variable');
  const pomPath =
    pom === undefined ? 'pom.xml' : pom.endsWith('.xml') ? pom : `${pom.replace(/\/+$/, '')}/pom.xml`;
  const text = ctx.files?.read(pomPath) ?? '';
  if (/<modules>/.test(text))
    return skip('workspaces', `${pomPath} has modules, whose poms live in the tree`);
  const manifests: Manifest[] = [
    { path: pomPath, required: true },
    { path: '.mvn', required: inv.name === 'mvnw', dir: true },
  ];
  if (inv.name === 'mvnw') manifests.push({ path: 'mvnw', required: true });
  const settings = optionValue(a, '-s', '--settings');
  if (settings === null) return needsSource('a settings file named by a variable');
  if (settings) manifests.push({ path: settings, required: true });
  const parent = /<parent>[\s\S]*?<relativePath>\s*([^<\s]+)\s*<\/relativePath>[\s\S]*?<\/parent>/.exec(text);
  if (parent)
    manifests.push({
      path: dirOf(pomPath) + (parent[1].endsWith('.xml') ? parent[1] : `${parent[1]}/pom.xml`),
      required: true,
    });
  return { manifests, products: [] };
}

/**
 * `cargo fetch` reads Cargo.toml and Cargo.lock, but refuses a manifest with no target ("no
 * targets specified"): a crate whose targets are found by their files (src/main.rs, src/lib.rs)
 * needs those files too. Targets declared with a path need no file.
 */
function cargoNeeds(
  a: readonly (string | null)[],
  sub: string | null | undefined,
  ctx: InstallContext,
): Needs | null {
  if (sub === 'install') return a.includes('--path') ? null : NOTHING;
  if (sub === 'add' || sub === 'remove' || sub === 'update' || sub === 'generate-lockfile')
    return writesManifest(
      `\`cargo ${sub}\``,
      sub === 'update' || sub === 'generate-lockfile' ? 'Cargo.lock' : 'Cargo.toml',
    );
  if (sub !== 'fetch') return null;
  const files = ctx.files;
  const toml = files?.read('Cargo.toml') ?? null;
  const manifests: Manifest[] = [
    { path: 'Cargo.toml', required: true },
    ...optional('Cargo.lock', 'rust-toolchain.toml', 'rust-toolchain'),
    { path: '.cargo', required: false, dir: true },
  ];
  if (toml !== null) {
    if (/^\s*\[workspace\]/m.test(toml))
      return skip('workspaces', 'Cargo.toml declares a workspace, whose members live in the tree');
    if (cargoPathDependency(toml))
      return skip('local-dependency', 'Cargo.toml depends on crates from local paths');
    const declared = /^\s*\[(lib|\[bin\])\]/m.test(toml);
    if (!declared) {
      const found = ['src/main.rs', 'src/lib.rs'].filter((f) => files!.hasFile(f));
      if (found.length === 0) {
        if (files!.hasDir('src/bin')) manifests.push({ path: 'src/bin', required: true, dir: true });
        else
          return needsSource(
            'Cargo.toml declares no target and the crate has no src/main.rs or src/lib.rs; `cargo fetch`',
          );
      }
      for (const f of found) manifests.push({ path: f, required: true });
    }
  } else if (files === null) {
    return needsSource('`cargo fetch` (the targets it needs cannot be told without the build context)');
  }
  return { manifests, products: [] };
}

/** A `path = "…"` in a dependency table (targets' own `path` keys do not count). */
function cargoPathDependency(toml: string): boolean {
  let section = '';
  for (const line of toml.split(/\r?\n/)) {
    const header = /^\s*\[\[?([^\]]+)\]\]?/.exec(line);
    if (header) section = header[1].trim();
    else if (/\bpath\s*=\s*["']/.test(line) && !/^(lib|bin|example|test|bench|package)$/.test(section))
      return true;
  }
  return false;
}
