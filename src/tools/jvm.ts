/**
 * Maven and Gradle: how to recognise their builds and where their dependency caches live for a
 * RUN. Both caches are read again by every later build (an offline `mvn -o package` after
 * `dependency:go-offline`), so a mount must cover every build of a stage chain.
 */
import { skip } from '../core/transform.js';
import { envPath, inHome, type CachePath, type RunContext } from '../dockerfile/run-context.js';
import { imageGradleUserHome } from '../dockerfile/base-images.js';
import { mayBeAnyOption, type Invocation } from './command.js';

const MAVEN_NAMES = /^(mvn|mvnw|\.\/mvnw|mvnDebug)$/;
const GRADLE_NAMES = /^(gradle|gradlew|\.\/gradlew)$/;

export const isMaven = (inv: Invocation): boolean => MAVEN_NAMES.test(inv.name) || MAVEN_NAMES.test(inv.command.name ?? '');
export const isGradle = (inv: Invocation): boolean => GRADLE_NAMES.test(inv.name) || GRADLE_NAMES.test(inv.command.name ?? '');

/** A RUN text that runs Maven or Gradle. */
export const JVM_BUILD_COMMAND = /(^|[\s/;&|(])(mvn|mvnw|gradle|gradlew)(\s|$)/;

/** `mvn --version`, `gradle -v`: print and exit, no dependency is resolved. */
const VERSION_ONLY = /^(-v|--version|-version|-h|--help)$/;
const onlyPrints = (inv: Invocation) => inv.args.length > 0 && inv.args.every((a) => a !== null && VERSION_ONLY.test(a));

/** `-Dmaven.repo.local=DIR` in a list of words (the command's, MAVEN_OPTS, MAVEN_ARGS). */
function repoLocal(words: readonly (string | null)[]): string | null | undefined {
  for (const w of words) {
    if (w === null) continue;
    const m = /^-Dmaven\.repo\.local=(.*)$/.exec(w);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Maven's local repository for this command: `-Dmaven.repo.local` on the command line or in
 * `MAVEN_OPTS`/`MAVEN_ARGS`, else `~/.m2/repository`. A settings file (`-s`, one copied under
 * ~/.m2) may move it with `<localRepository>`, which the file does not show: unknown then.
 */
export function mavenRepository(inv: Invocation, ctx: RunContext, copiesSettings: boolean): CachePath | null {
  if (!isMaven(inv) || onlyPrints(inv)) return null;
  if (inv.command.assignments.some((a) => a === 'MAVEN_OPTS' || a === 'MAVEN_ARGS' || a === 'HOME'))
    return skip('cache-path-dynamic', 'the mvn command sets MAVEN_OPTS, MAVEN_ARGS or HOME itself');
  if (mayBeAnyOption(inv) || inv.args.some((a) => a !== null && (a === '-s' || a === '--settings' || /^(-s|--settings=)./.test(a) || a === '-gs' || a === '--global-settings')))
    return skip('cache-path-dynamic', 'the mvn command reads a settings file, which may move the local repository');
  const own = repoLocal(inv.args);
  const fromEnv = (name: string) => {
    const v = ctx.env.get(name);
    return v === undefined ? undefined : v === null ? null : repoLocal(v.split(/\s+/));
  };
  for (const found of [own, fromEnv('MAVEN_OPTS'), fromEnv('MAVEN_ARGS')]) {
    if (found === undefined) continue;
    if (found === null || !found.startsWith('/') || /[$`]/.test(found))
      return skip('cache-path-dynamic', '`maven.repo.local` is set from a variable or to a relative path');
    return found.replace(/\/+$/, '');
  }
  if (copiesSettings) return skip('cache-path-dynamic', 'the file copies a Maven settings.xml, which may move the local repository');
  return inHome('~/.m2/repository', ctx);
}

/** Gradle's user home: `-g`/`--gradle-user-home`, `GRADLE_USER_HOME`, else `~/.gradle`. */
function gradleUserHome(inv: Invocation, ctx: RunContext): CachePath {
  if (inv.command.assignments.some((a) => a === 'GRADLE_USER_HOME' || a === 'HOME' || a === 'GRADLE_OPTS'))
    return skip('cache-path-dynamic', 'the gradle command sets GRADLE_USER_HOME, GRADLE_OPTS or HOME itself');
  if (mayBeAnyOption(inv) || inv.args.some((a) => a !== null && (a === '-g' || a === '--gradle-user-home' || /^--gradle-user-home=|^-Dgradle\.user\.home=/.test(a))))
    return skip('cache-path-dynamic', 'the gradle command names its own user home');
  const linked = ctx.user.root && !ctx.env.has('HOME') && ctx.base.image !== null ? imageGradleUserHome(ctx.base.image) : null;
  return envPath(ctx, 'GRADLE_USER_HOME', linked ?? inHome('~/.gradle', ctx));
}

/**
 * The Gradle caches a command uses: the user home's `caches` (dependencies, transforms), and for
 * the wrapper its `wrapper` (the downloaded distribution). Never the project's `build/` or `.gradle/`.
 */
export function gradleCaches(inv: Invocation, ctx: RunContext): { label: string; target: CachePath }[] | null {
  if (!isGradle(inv) || onlyPrints(inv)) return null;
  const home = gradleUserHome(inv, ctx);
  if (typeof home !== 'string') return [{ label: 'the Gradle caches', target: home }];
  const out = [{ label: 'the Gradle caches', target: `${home}/caches` }];
  if (/gradlew$/.test(inv.name)) out.push({ label: 'the Gradle wrapper distributions', target: `${home}/wrapper` });
  return out;
}

/** An offline build reads only what an earlier build left in the cache. */
export const jvmOffline = (inv: Invocation): boolean =>
  (isMaven(inv) && inv.args.some((a) => a === '-o' || a === '--offline')) || (isGradle(inv) && inv.args.includes('--offline'));
