// Whether the compiled backend (backend/dist/, made by scripts/build.mjs) matches the sources.
// Plain JavaScript with no dependencies: the `almready` entry reads it before anything else loads.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const distDir = path.join(repoRoot, 'backend', 'dist');
export const BUILD_INFO = 'build-info.json';

/**
 * The build is fresh when its record exists and no file it was built from (every source file
 * esbuild read, the build script, the package manifests) changed after the build began or is gone.
 * About 250 `stat` calls: a few milliseconds.
 */
export function buildIsFresh(dir = distDir) {
  let info;
  try {
    info = JSON.parse(readFileSync(path.join(dir, BUILD_INFO), 'utf8'));
  } catch {
    return false;
  }
  if (typeof info?.builtAt !== 'number' || !Array.isArray(info.inputs) || info.inputs.length === 0) return false;
  for (const input of info.inputs) {
    try {
      if (statSync(path.join(repoRoot, input)).mtimeMs > info.builtAt) return false;
    } catch {
      return false;
    }
  }
  return true;
}
