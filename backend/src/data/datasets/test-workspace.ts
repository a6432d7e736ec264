/** Test helpers: throw-away workspace folders and import options with a fixed clock and ids. */
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImportDatasetOptions } from './import-options.ts';

export const fixturesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const fixture = (name: string) => ({ path: path.join(fixturesDir, name), originalName: name });

const created: string[] = [];
export function tempWorkspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'almready-ds-'));
  created.push(dir);
  return dir;
}
export function removeTempWorkspaces(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Everything under <workspace>/datasets, temp directories included. */
export function datasetEntries(workspaceDir: string): string[] {
  const dir = path.join(workspaceDir, 'datasets');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

let counter = 0;
export function importOptions(workspaceDir: string, extra: Partial<ImportDatasetOptions>): ImportDatasetOptions {
  return {
    workspaceDir,
    workspaceId: 'ws-1',
    name: 'June book',
    asOf: '2024-06-30',
    createdBy: 'alice',
    sources: {},
    now: () => new Date('2024-07-01T08:00:00Z'),
    uuid: () => `id-${++counter}`,
    ...extra,
  };
}
