/**
 * Repository hygiene: no tracked file names a public package registry's or distribution mirror's
 * host (fixtures and docs use placeholder hosts such as registry.example.com). The hosts are kept
 * here as truncated SHA-256 digests, so that this test does not name them either.
 */
import { describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { git, repoRoot } from './helpers.js';

/** First 16 hex digits of sha256(host) for the registries' and mirrors' host names. */
const REGISTRY_HOST_DIGESTS = new Set(
  (
    '71741fe2460a6150 be549aaf28b65cd0 0dc11026ac75c015 8743857e3ea00fd1 3ca29e55be4befa4 fd0c6a9279196963 ' +
    'a4aa2ac280bb8d1a d6d7019ca9fcbf07 9ab2ad663f3d2a5e c899567ee9068517 8b5bb5eb9d758455 00a7dc5a0cc38858 ' +
    '9da5f32d96412512 048e76c14ef34200 be57af6b78a7faca 789e46d79514e280 3d01f3609be82d98 eb7e11c7f9ecbcf4 ' +
    '317d2d52829b7812 43c04ed1dabe979b 095fbbaf0076d564 e680c440a2e92079 1ba4e37997a2e986 c2b35955576ffa71 ' +
    '26b795f2a123f2a2 a0f007d863a0ed19 e514b0d3b0562f54 62f256676f138898 8454fabc8b630901 70bb4000cd2fab03 ' +
    'a2d3e8bf26c22bba 87d14f070cb96869 f65219c547f9c032 7117c828d2afa4e2 2c77714df232b07f 4189e62695dc2b69 ' +
    '1c517ad454a51648 daa49505c55ed8b1 e6adf57ea8999177'
  ).split(' '),
);

const digest = (host: string) => createHash('sha256').update(host).digest('hex').slice(0, 16);

/** Registry hosts named in a text: every dotted name, and each of its parent domains. */
export function registryHosts(text: string): string[] {
  const found = new Set<string>();
  for (const [name] of text.toLowerCase().matchAll(/[a-z0-9-]+(?:\.[a-z0-9-]+)+/g)) {
    const labels = name.split('.');
    for (let i = 0; i < labels.length - 1; i++) {
      const host = labels.slice(i).join('.');
      if (REGISTRY_HOST_DIGESTS.has(digest(host))) found.add(host);
    }
  }
  return [...found];
}

describe('hygiene', () => {
  test('the digest list recognises a registry host (and not its look-alikes)', () => {
    // Built from parts, so that this file does not name the host either.
    const host = ['ruby', 'gems.', 'org'].join('');
    expect(registryHosts(`source 'https://${host}'`)).toEqual([host]);
    expect(registryHosts(`source 'https://mirror.${host}/x'`)).toEqual([host]);
    expect(registryHosts("source 'https://gems.example.com'")).toEqual([]);
  });

  test('no tracked file names a package registry host', () => {
    const files = git(repoRoot, 'ls-files', '-z').split('\0').filter(Boolean);
    expect(files.length).toBeGreaterThan(100);
    const offenders: string[] = [];
    for (const rel of files) {
      let text: string;
      try {
        text = fs.readFileSync(path.join(repoRoot, rel), 'latin1');
      } catch {
        continue; // deleted in the work tree
      }
      const hosts = registryHosts(text);
      if (hosts.length > 0) offenders.push(`${rel}: ${hosts.length} registry host(s)`);
    }
    expect(offenders).toEqual([]);
  });
});
