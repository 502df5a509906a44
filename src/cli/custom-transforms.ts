/** `--transform FILE`: loading custom transform modules and checking they have the contract's shape. */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from './args.js';
import { importModule } from './dynamic-import.js';
import type { Transform } from '../core/transform.js';

/** Load `--transform` modules: a default export, or `transform`/`transforms` exports, of the contract's shape. */
export async function loadTransforms(modules: string[], cwd: string): Promise<Transform[]> {
  const out: Transform[] = [];
  for (const m of modules) {
    const abs = path.resolve(cwd, m);
    if (!fs.existsSync(abs)) throw new UsageError(`--transform ${m}: no such file`);
    let mod: Record<string, unknown>;
    try {
      mod = (await importModule(pathToFileURL(abs).href)) as Record<string, unknown>;
    } catch (err) {
      throw new UsageError(`--transform ${m}: cannot load it (${(err as Error).message.split('\n')[0]})`);
    }
    const found = [
      mod.default,
      mod.transform,
      ...(Array.isArray(mod.transforms) ? mod.transforms : []),
    ].filter((t) => t !== undefined);
    if (found.length === 0)
      throw new UsageError(`--transform ${m}: exports no transform (default, transform or transforms)`);
    for (const t of found) out.push(checkTransform(t, m));
  }
  return out;
}

function checkTransform(t: unknown, where: string): Transform {
  const bad = (why: string): never => {
    throw new UsageError(`--transform ${where}: ${why}`);
  };
  if (typeof t !== 'object' || t === null) return bad('a transform must be an object with `meta` and `run`');
  const { meta, run } = t as Partial<Transform>;
  if (typeof run !== 'function') bad('`run(model, context)` is missing');
  if (!meta || typeof meta.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(meta.id))
    bad('`meta.id` must be a kebab-case id');
  if (typeof meta!.title !== 'string') bad('`meta.title` is missing');
  const safety = meta!.safety ?? 'review';
  if (safety !== 'safe' && safety !== 'review') bad('`meta.safety` must be "safe" or "review"');
  return {
    meta: {
      id: meta!.id,
      title: meta!.title,
      description: meta!.description ?? meta!.title,
      why: meta!.why ?? '',
      seeds: meta!.seeds ?? [],
      references: meta!.references,
      readme: meta!.readme,
      safety,
      modes: meta!.modes ?? ['buildkit', 'portable'],
      example: meta!.example ?? { before: '', after: '' },
      skips: meta!.skips ?? {},
    },
    run: run!.bind(t),
  };
}
