/**
 * Paths that differ between the TypeScript sources (run by tsx or vitest) and the build
 * (backend/dist/, made by scripts/build.mjs). This file sits at the same depth as
 * backend/dist/*.js, so the relative URLs below hold in both.
 */
export const compiled = !import.meta.url.endsWith('.ts');

/**
 * Where a worker thread starts: from the sources, at runs/worker-boot.mjs, which registers tsx and
 * then loads the `.ts` entry; from the build, at backend/bin/worker-boot.mjs, which turns source
 * maps on and loads the compiled entry.
 */
export interface WorkerStart {
  /** the file `new Worker(file)` runs */
  file: URL;
  /** what the boot file imports (its `workerData.entry`) */
  entry: string;
}

/**
 * `source`: the worker's `.ts` entry; `name`: its compiled file `backend/dist/<name>.js`, which
 * must be one of the build's `entryPoints` (scripts/build.mjs; backend/src/build.test.ts checks every name).
 */
export function workerStart(source: URL, name: string): WorkerStart {
  if (compiled) return { file: new URL('../bin/worker-boot.mjs', import.meta.url), entry: new URL(`./${name}.js`, import.meta.url).href };
  return { file: new URL('./runs/worker-boot.mjs', import.meta.url), entry: source.href };
}

/** The repository's root folder (holds frontend/, notebooks/), from the sources or the build alike. */
export const repoRoot = new URL('../../', import.meta.url);
