/**
 * maven-cache: Maven and Gradle download every dependency again on each rebuild of the layer.
 * buildkit mode only: a cache mount on Maven's local repository (`~/.m2/repository`, or
 * `-Dmaven.repo.local` from the command line, MAVEN_OPTS or MAVEN_ARGS) and on Gradle's user-home
 * caches (`~/.gradle/caches`, and `wrapper` for gradlew; GRADLE_USER_HOME). Both are read again by
 * later builds (`mvn -o package` after `dependency:go-offline`), so every Maven/Gradle RUN of a
 * stage chain gets the mounts or none does, and nothing may take the repository out of the stage.
 */
import { skip, type Transform } from '../src/core/transform.js';
import { findRuns, reportProductCaches, PRODUCT_CACHE_META, type CacheToolSpec } from '../src/rewrite/cache-mounts.js';
import { gradleCaches, isGradle, isMaven, JVM_BUILD_COMMAND, mavenRepository } from '../src/tools/jvm.js';

export const mavenCache: Transform = {
  meta: {
    id: 'maven-cache',
    title: 'Cache Maven and Gradle dependencies across builds',
    description:
      'Adds `--mount=type=cache,target=/root/.m2/repository,sharing=locked` to every RUN that runs `mvn` or ' +
      '`./mvnw` (the target follows `-Dmaven.repo.local` on the command line, in MAVEN_OPTS or MAVEN_ARGS, ' +
      'the user and HOME; a settings.xml the file provides may move it, so then nothing is done), and ' +
      '`--mount=type=cache,target=/root/.gradle/caches` (plus `…/wrapper` for gradlew) to every RUN that runs ' +
      'Gradle (GRADLE_USER_HOME, `-g`). The dependencies are read again by later builds, so every Maven/Gradle ' +
      'RUN of a stage chain gets the mounts or none does; a `COPY --from` of the repository (or a directory ' +
      'holding it) or a CMD that runs Maven or Gradle leaves the chain alone. The build output (`target/`, ' +
      '`build/`) is never mounted. buildkit mode only.',
    why: 'Without a cache mount, any change that rebuilds the layer downloads every dependency again.',
    example: {
      before: 'FROM maven:3.9-eclipse-temurin-21\nCOPY pom.xml .\nRUN mvn -B dependency:go-offline\n',
      after:
        'FROM maven:3.9-eclipse-temurin-21\nCOPY pom.xml .\nRUN --mount=type=cache,target=/root/.m2/repository,sharing=locked \\\n    mvn -B dependency:go-offline\n',
    },
    ...PRODUCT_CACHE_META,
  },
  run(model, _context, report) {
    const copiesSettings = /settings(-security)?\.xml/.test(model.text);
    const spec: CacheToolSpec = {
      hint: JVM_BUILD_COMMAND,
      uses(inv, ctx) {
        const repo = isMaven(inv) ? mavenRepository(inv, ctx, copiesSettings) : null;
        if (repo !== null)
          return { command: inv.command, caches: [{ label: 'the Maven repository', target: repo, sharing: 'locked' }], disablingWords: [] };
        const gradle = isGradle(inv) ? gradleCaches(inv, ctx) : null;
        if (gradle === null) return null;
        if (inv.args.includes('--no-build-cache') && inv.args.includes('--offline'))
          return { command: inv.command, caches: [{ label: 'the Gradle caches', target: skip('cache-disabled-by-env', 'gradle runs offline') }], disablingWords: [] };
        return { command: inv.command, caches: gradle, disablingWords: [] };
      },
    };
    reportProductCaches(model, findRuns(model, spec), report, {
      tool: 'Maven/Gradle',
      runtime: /(^|[\s"/\[])(mvn|mvnw|gradle|gradlew)["\s\]]/,
      command: JVM_BUILD_COMMAND,
    });
  },
};
