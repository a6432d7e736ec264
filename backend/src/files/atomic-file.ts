/**
 * Crash-safe file writes: write a temp file beside the target, fsync it, rename over the target,
 * fsync the folder. After a crash the target is either absent or complete, never torn; leftover
 * temp files start with `.tmp-` and are removed by recovery.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';

export const TEMP_PREFIX = '.tmp-';

export function writeFileAtomic(path: string, text: string): void {
  const temp = join(dirname(path), `${TEMP_PREFIX}${basename(path)}-${randomUUID()}`);
  const fd = openSync(temp, 'wx', 0o640);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temp, path);
  fsyncDir(dirname(path));
}

export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
