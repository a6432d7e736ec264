import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUtf8File } from './text-source.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'almready-utf8-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CHUNK = 1 << 20; // the stream's chunk size
async function fileOf(name: string, bytes: Buffer): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}
/** `text` placed so that its first byte is `offset` bytes before the first chunk boundary. */
const straddling = (text: string, offset: number, tail = 'x\n') =>
  Buffer.concat([Buffer.alloc(CHUNK - offset, 'a'), Buffer.from(text, 'utf8'), Buffer.from(tail)]);

describe('isUtf8File', () => {
  it('accepts multi-byte characters cut by a chunk boundary at every place', async () => {
    for (const text of ['é', '€', '😀']) {
      const size = Buffer.byteLength(text);
      for (let offset = 1; offset <= size; offset += 1) {
        expect(await isUtf8File(await fileOf(`ok-${size}-${offset}.csv`, straddling(text, offset))), `${text} at ${offset}`).toBe(true);
      }
    }
  });

  it('refuses a stray Windows-1252 byte, also right at a boundary, and a character cut by the end of the file', async () => {
    expect(await isUtf8File(await fileOf('latin.csv', Buffer.from('id,name\n1,Caf\xe9\n', 'latin1')))).toBe(false);
    expect(await isUtf8File(await fileOf('latin-boundary.csv', Buffer.concat([Buffer.alloc(CHUNK - 1, 'a'), Buffer.from([0xe9]), Buffer.from('ab\n')])))).toBe(false);
    expect(await isUtf8File(await fileOf('truncated.csv', Buffer.concat([Buffer.from('id\n'), Buffer.from('€', 'utf8').subarray(0, 2)])))).toBe(false);
    expect(await isUtf8File(await fileOf('lone-continuation.csv', Buffer.concat([Buffer.alloc(CHUNK - 1, 'a'), Buffer.from([0x80, 0x80]), Buffer.from('\n')])))).toBe(false);
    expect(await isUtf8File(await fileOf('plain.csv', Buffer.from('id,name\n1,Café 😀\n', 'utf8')))).toBe(true);
  });
});
