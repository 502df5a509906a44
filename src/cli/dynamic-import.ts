/**
 * `import()` of a module named at run time (`--transform`), in a module of its own: the bundled
 * command line is a script compiled with a V8 code cache (bin/dockerfix.js), where `import()`
 * cannot run, so the bundle build swaps this module for one that calls the loader's import().
 */
export function importModule(specifier: string): Promise<unknown> {
  return import(specifier);
}
