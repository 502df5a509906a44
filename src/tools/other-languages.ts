/** bundler, composer, maven and cargo: which manifests their dependency installs read. */
import { skip } from '../core/transform.js';
import type { BuildContext } from '../dockerfile/build-context.js';
import type { Invocation } from './command.js';
import { needsSource, type Needs } from './manifest-types.js';

/** null for commands that are not one of these installs. */
export function otherLanguageNeeds(inv: Invocation, ctx: BuildContext | null): Needs | null {
  const a = inv.args;
  const sub = a.find((x) => x === null || !x.startsWith('-'));
  switch (inv.name) {
    case 'bundle':
      if (sub !== 'install') return null;
      if (ctx && /^\s*gemspec\b|path:\s*['"]/m.test(ctx.read('Gemfile') ?? '')) {
        return needsSource('the Gemfile uses `gemspec` or `path:`; `bundle install`');
      }
      return {
        manifests: [
          { path: 'Gemfile', required: true },
          { path: 'Gemfile.lock', required: false },
        ],
      };
    case 'composer':
      if (sub !== 'install') return null;
      if (!a.includes('--no-scripts') || !a.includes('--no-autoloader')) {
        return needsSource(
          '`composer install` without `--no-scripts --no-autoloader` runs scripts and builds the autoloader; it',
        );
      }
      return {
        manifests: [
          { path: 'composer.json', required: true },
          { path: 'composer.lock', required: false },
        ],
      };
    case 'mvn':
    case './mvnw':
      if (!a.some((x) => x !== null && /^(dependency:go-offline|.*:go-offline)$/.test(x))) return null;
      if (ctx && /<modules>/.test(ctx.read('pom.xml') ?? '')) {
        return skip('workspaces', 'pom.xml has modules, whose poms live in the tree');
      }
      return { manifests: [{ path: 'pom.xml', required: true }] };
    case 'cargo':
      if (sub !== 'fetch') return null;
      if (ctx && /^\s*\[workspace\]/m.test(ctx.read('Cargo.toml') ?? '')) {
        return skip('workspaces', 'Cargo.toml declares a workspace, whose members live in the tree');
      }
      return {
        manifests: [
          { path: 'Cargo.toml', required: true },
          { path: 'Cargo.lock', required: false },
        ],
      };
    default:
      return null;
  }
}
