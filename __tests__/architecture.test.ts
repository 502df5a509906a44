/**
 * The layers of ARCHITECTURE.md, checked on the import statements of every source file: no cycle,
 * no import upwards, no file system outside src/cli and src/disk, the registry only in the API and
 * the command line.
 */
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './helpers.js';

const sourceFiles = (dir: string): string[] =>
  fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return sourceFiles(rel);
    return e.name.endsWith('.ts') ? [rel] : [];
  });

const files = [...sourceFiles('src'), ...sourceFiles('transforms')];

/** Every import of a file, type-only ones included: relative ones resolved to repository paths. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gms)) {
    const spec = m[1];
    out.push(spec.startsWith('.') ? path.posix.join(path.posix.dirname(file), spec).replace(/\.js$/, '.ts') : spec);
  }
  for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) out.push(m[1]);
  return out;
}

const graph = new Map(files.map((f) => [f, importsOf(f)]));

/** The layer of a file: the folder under src/ (or `transforms`, `api`). */
function layer(file: string): string {
  if (file.startsWith('transforms/')) return 'transforms';
  if (file === 'src/index.ts' || file === 'src/api.ts') return 'api';
  return file.split('/')[1];
}

/** What each layer may import (besides itself and packages). */
const ALLOWED: Record<string, string[]> = {
  shell: [],
  core: ['shell'],
  tools: ['core', 'shell', 'dockerfile'],
  dockerfile: ['core', 'shell', 'tools'],
  rewrite: ['core', 'shell', 'tools', 'dockerfile'],
  transforms: ['core', 'shell', 'tools', 'dockerfile', 'rewrite'],
  disk: ['core'],
  api: ['core', 'shell', 'tools', 'dockerfile', 'rewrite', 'transforms', 'disk', 'cli'],
  cli: ['core', 'shell', 'tools', 'dockerfile', 'rewrite', 'transforms', 'disk', 'api'],
};

describe('architecture', () => {
  test('every layer imports only the layers below it', () => {
    const bad: string[] = [];
    for (const [file, imports] of graph) {
      for (const target of imports) {
        if (!target.startsWith('src/') && !target.startsWith('transforms/')) continue;
        const from = layer(file);
        const to = layer(target);
        if (from !== to && !ALLOWED[from].includes(to)) bad.push(`${file} → ${target}`);
      }
    }
    expect(bad).toEqual([]);
  });

  test('only the command line and the API import the transform registry', () => {
    const importers = [...graph].filter(([, imports]) => imports.includes('transforms/index.ts')).map(([f]) => f);
    expect(importers.every((f) => layer(f) === 'api' || layer(f) === 'cli')).toBe(true);
  });

  test('no file system access below the command line (transforms get a read-only FileTree)', () => {
    const bad = [...graph]
      .filter(([f]) => !['cli', 'disk', 'api'].includes(layer(f)))
      .filter(([, imports]) => imports.some((i) => /^(node:)?fs(\/promises)?$/.test(i)))
      .map(([f]) => f);
    expect(bad).toEqual([]);
  });

  test('no import cycle between files', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'visiting');
      stack.push(f);
      for (const t of graph.get(f) ?? []) {
        if (!graph.has(t)) continue;
        if (state.get(t) === 'visiting') cycles.push([...stack.slice(stack.indexOf(t)), t].join(' → '));
        else if (!state.has(t)) visit(t);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of graph.keys()) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
});
