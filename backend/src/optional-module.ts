/**
 * Loads a module of another part of the backend only when its file exists, so the server core
 * starts (and its tests run) while that part is still being built. A module that exists but
 * fails to load is a real error and is thrown.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function optionalModule<T>(relativePath: string): Promise<T | null> {
  const url = new URL(relativePath, import.meta.url);
  if (!existsSync(fileURLToPath(url))) return null;
  return (await import(url.href)) as T;
}
