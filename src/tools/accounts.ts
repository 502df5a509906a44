/** Account commands (`useradd`, `adduser`, `groupadd`, `addgroup`): who exists, with which ids and home. */
import type { SimpleCommand } from '../shell/index.js';
import { invocation } from './command.js';

export interface User {
  name: string;
  uid: number | null;
  gid: number | null;
  home: string | null;
}

/** `useradd`/`adduser`/`groupadd`/`addgroup` with literal ids: who exists, with which ids and home. */
export function readAccountCommand(cmd: SimpleCommand, users: Map<string, User>, groups: Map<string, number>): void {
  const inv = invocation(cmd);
  if (!inv) return;
  const a = inv.args;
  if (a.some((x) => x === null)) return;
  const args = a as string[];
  const opt = (names: string[]): string | null => {
    for (let k = 0; k < args.length; k++) {
      for (const n of names) {
        if (args[k] === n) return args[k + 1] ?? null;
        if (n.startsWith('--') && args[k].startsWith(n + '=')) return args[k].slice(n.length + 1);
      }
    }
    return null;
  };
  const positionals = (withValue: Set<string>): string[] => {
    const out: string[] = [];
    for (let k = 0; k < args.length; k++) {
      const x = args[k];
      if (withValue.has(x)) k++;
      else if (!x.startsWith('-')) out.push(x);
    }
    return out;
  };
  const num = (v: string | null): number | null => (v !== null && /^\d+$/.test(v) ? Number(v) : null);
  if (inv.name === 'groupadd' || inv.name === 'addgroup') {
    const gid = num(opt(['-g', '--gid']));
    const pos = positionals(new Set(['-g', '--gid', '-K', '--key', '-p', '--password']));
    // busybox `addgroup USER GROUP` adds a user to a group; only the one-name form creates a group.
    if (gid !== null && pos.length === 1) groups.set(pos[0], gid);
    return;
  }
  if (inv.name === 'useradd' || inv.name === 'adduser') {
    const busybox = inv.name === 'adduser' && (args.includes('-D') || args.includes('-S'));
    const withValue = new Set(
      busybox
        ? ['-u', '-G', '-h', '-s', '-g', '-k']
        : [
            '-u',
            '--uid',
            '-g',
            '--gid',
            '-d',
            '--home-dir',
            '--home',
            '-s',
            '--shell',
            '-c',
            '--comment',
            '-G',
            '--groups',
            '-k',
            '--skel',
            '-e',
            '--expiredate',
            '-f',
            '--inactive',
            '-K',
            '--key',
            '-p',
            '--password',
            '--gecos',
            '--ingroup',
          ],
    );
    const pos = positionals(withValue);
    const name = pos[pos.length - 1];
    if (!name) return;
    const uid = num(opt(['-u', '--uid']));
    let gid: number | null = null;
    const g = busybox ? opt(['-G']) : (opt(['-g', '--gid']) ?? opt(['--ingroup']));
    if (g !== null) gid = /^\d+$/.test(g) ? Number(g) : (groups.get(g) ?? null);
    else if (groups.has(name) && (args.includes('-U') || inv.name === 'adduser')) gid = groups.get(name)!;
    const home = busybox
      ? (opt(['-h']) ?? `/home/${name}`)
      : (opt(['-d', '--home-dir', '--home']) ?? `/home/${name}`);
    users.set(name, { name, uid, gid, home });
  }
}
