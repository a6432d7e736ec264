/** Listing, reading and deleting the datasets of a workspace directory. */
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DatasetMetaSchema, type DatasetMeta } from './dataset-meta.ts';

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;

export function datasetDir(workspaceDir: string, datasetId: string): string | undefined {
  return SAFE_ID.test(datasetId) ? path.join(workspaceDir, 'datasets', datasetId) : undefined;
}

export async function readDatasetMeta(workspaceDir: string, datasetId: string): Promise<DatasetMeta | undefined> {
  const dir = datasetDir(workspaceDir, datasetId);
  if (!dir) return undefined;
  try {
    const parsed = DatasetMetaSchema.safeParse(JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Newest first; temp directories of imports in progress and unreadable manifests are left out. */
export async function listDatasets(workspaceDir: string): Promise<DatasetMeta[]> {
  let names: string[];
  try {
    names = (await readdir(path.join(workspaceDir, 'datasets'), { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  } catch {
    return [];
  }
  const metas = await Promise.all(names.map((n) => readDatasetMeta(workspaceDir, n)));
  return metas.filter((m): m is DatasetMeta => m !== undefined).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Renames the directory away first so readers never see a half-deleted dataset. */
export async function deleteDataset(workspaceDir: string, datasetId: string): Promise<boolean> {
  const dir = datasetDir(workspaceDir, datasetId);
  if (!dir || !(await readDatasetMeta(workspaceDir, datasetId))) return false;
  const trash = path.join(workspaceDir, 'datasets', `.deleting-${randomUUID()}`);
  await rename(dir, trash);
  await rm(trash, { recursive: true, force: true });
  return true;
}
