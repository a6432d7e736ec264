/**
 * `OutputStore` in memory: the headless runner on a file outside any workspace, and the tests.
 * Stored outputs are copied in and out, so no caller can change what another one reads.
 */
import type { OutputStore, StoredOutput } from './ports.ts';

export class MemoryOutputStore implements OutputStore {
  private readonly byKey = new Map<string, StoredOutput>();

  async get(cacheKey: string): Promise<StoredOutput | null> {
    const found = this.byKey.get(cacheKey);
    return found === undefined ? null : structuredClone(found);
  }

  async put(output: StoredOutput): Promise<void> {
    if (!this.byKey.has(output.cacheKey)) this.byKey.set(output.cacheKey, structuredClone(output));
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }
}
