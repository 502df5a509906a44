/** Reading Dockerfiles safely and writing them back atomically. */
import fsSync, { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError, MAX_FILE_BYTES, decodeDockerfile, formatBytes } from '../core/text.js';
import { describeFsError } from './discover.js';

export interface ReadResult {
  /** The file's text (BOM kept). Decoding is strict, so it re-encodes to exactly the bytes read. */
  text: string;
}

/** One read buffer per thread, reused: a fresh buffer per file was most of the memory churn of bulk runs. */
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * Read a Dockerfile, refusing what is not one (directory, device, too large, binary, not UTF-8).
 * Synchronous on purpose: the files are small and the fixing is CPU-bound, and each asynchronous
 * step (open, stat, read, close) is a thread-pool round trip that cost more than the read itself.
 * Opened non-blocking so that a FIFO named like a Dockerfile is refused instead of waited on.
 */
export function readDockerfile(file: string): ReadResult {
  let length = 0;
  let fd = -1;
  try {
    fd = fsSync.openSync(file, fsSync.constants.O_RDONLY | fsSync.constants.O_NONBLOCK);
    const st = fsSync.fstatSync(fd);
    if (st.isDirectory()) throw new InputError('is a directory', 'unreadable');
    if (!st.isFile()) throw new InputError('not a regular file', 'unreadable');
    if (st.size > MAX_FILE_BYTES) {
      throw new InputError(
        `file too large (${formatBytes(st.size)}; the limit is ${formatBytes(MAX_FILE_BYTES)})`,
        'too-large',
      );
    }
    // The size may change under us: read to the end, but never far past the limit.
    if (scratch.length <= st.size) scratch = Buffer.allocUnsafe(st.size + 1024);
    for (;;) {
      if (length === scratch.length) {
        if (scratch.length > MAX_FILE_BYTES) break;
        const bigger = Buffer.allocUnsafe(scratch.length * 2);
        scratch.copy(bigger, 0, 0, length);
        scratch = bigger;
      }
      const n = fsSync.readSync(fd, scratch, length, scratch.length - length, null);
      if (n === 0) break;
      length += n;
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(describeFsError(err), 'unreadable');
  } finally {
    if (fd !== -1) fsSync.closeSync(fd);
  }
  if (length === 0) throw new InputError('empty file', 'empty');
  return { text: decodeDockerfile(scratch.subarray(0, length)) };
}

/** readDockerfile as a settled result: an unreadable file is an outcome, not an exception. */
export function readSettled(file: string): PromiseSettledResult<ReadResult> {
  try {
    return { status: 'fulfilled', value: readDockerfile(file) };
  } catch (reason) {
    return { status: 'rejected', reason };
  }
}

/**
 * A temporary name beside `file`, unique enough: it is created exclusively ('wx') anyway. (Not
 * node:crypto, whose loading cost more than a one-file run's fixing.)
 */
function tempName(file: string): string {
  const salt = Math.floor(Math.random() * 0x100000000)
    .toString(16)
    .padStart(8, '0');
  return `.${path.basename(file)}.dockerfix-${process.pid}-${salt}.tmp`;
}

/**
 * Replace a file's content atomically: write a temporary file beside it (same mode and owner),
 * fsync it, check the original still holds the text we read (`expected`), then rename over it. A crash at any
 * moment leaves either the old file or the new one. The temporary name starts with a dot so that
 * discovery never mistakes a leftover for a Dockerfile (write-file-atomic names it `Dockerfile.<hash>`).
 */
export async function writeFileAtomic(file: string, content: string, expected: string): Promise<void> {
  const st = await fs.stat(file);
  // Root may write anywhere; a file nobody may write is still a statement of intent.
  if ((st.mode & 0o222) === 0) throw new InputError('read-only file; not written', 'write');
  const dir = path.dirname(file);
  const tmp = path.join(dir, tempName(file));
  let handle: fs.FileHandle | null = null;
  try {
    handle = await fs.open(tmp, 'wx', st.mode & 0o7777);
    await handle.writeFile(content, 'utf8');
    await handle.chmod(st.mode & 0o7777);
    if (process.getuid?.() === 0 && (st.uid !== 0 || st.gid !== 0)) await handle.chown(st.uid, st.gid);
    await handle.sync();
    await handle.close();
    handle = null;
    const current = await fs.readFile(file);
    if (!current.equals(Buffer.from(expected, 'utf8')))
      throw new InputError('the file changed while it was being fixed; not written', 'changed');
    await fs.rename(tmp, file);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.unlink(tmp).catch(() => undefined);
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot write: ${describeFsError(err)}`, 'write');
  }
}

/**
 * Create a new file atomically and never over an existing one: write a temporary file beside it,
 * fsync, then hard-link it into place (link fails if the name exists) and remove the temporary.
 */
export async function createFileAtomic(file: string, content: string): Promise<void> {
  const tmp = path.join(path.dirname(file), tempName(file));
  let handle: fs.FileHandle | null = null;
  try {
    handle = await fs.open(tmp, 'wx', 0o644);
    await handle.writeFile(content, 'utf8');
    await handle.sync();
    await handle.close();
    handle = null;
    await fs.link(tmp, file);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new InputError(`${path.basename(file)} already exists; not overwritten`, 'write');
    }
    throw new InputError(`cannot create ${path.basename(file)}: ${describeFsError(err)}`, 'write');
  } finally {
    await fs.unlink(tmp).catch(() => undefined);
  }
}
