/** Durable directory publication: fsync every file and the directory, then one rename. */
import { open, readdir, rename } from 'node:fs/promises';
import path from 'node:path';

async function fsyncPath(p: string): Promise<void> {
  const handle = await open(p, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function publishDirectory(tmpDir: string, finalDir: string): Promise<void> {
  for (const entry of await readdir(tmpDir, { withFileTypes: true })) {
    if (entry.isFile()) await fsyncPath(path.join(tmpDir, entry.name));
  }
  await fsyncPath(tmpDir);
  await rename(tmpDir, finalDir);
  await fsyncPath(path.dirname(finalDir));
}
