#!/usr/bin/env node
/**
 * `npm run build:backend` (also run by `npm ci` and, when stale, by `npm start`): compiles the
 * backend — CLI and server, the worker threads' entries — with the engine and notebooks into
 * JavaScript in backend/dist/, with source maps. npm packages stay external (loaded from
 * node_modules as they are, native and wasm parts included); only the workspace's own code is
 * bundled. All outputs sit flat in backend/dist/, one level below backend/ like backend/src/*.ts,
 * so backend/src/runtime-paths.ts resolves the same relative paths from either.
 * `--outdir <dir>` builds elsewhere (tests); it must also sit directly in backend/.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUILD_INFO, distDir, repoRoot } from '../backend/bin/build-state.mjs';

/** The CLI, and every worker entry named in a `workerStart(…, name)` call (the build test checks them). */
export const entryPoints = {
  cli: 'backend/src/cli/main.ts',
  'run-worker': 'backend/src/runs/worker.ts',
  'ts-cell-worker': 'backend/src/notebook-exec/ts-sandbox/worker.ts',
  'bank-zip-worker': 'backend/src/data/import/bank-zip-worker.ts',
  'xlsx-stage-worker': 'backend/src/data/import/xlsx-stage-worker.ts',
  'calc-worker': 'backend/src/cli/calc-worker.ts',
};

/** Files besides the bundled sources whose change makes the build stale: this script and every package manifest. */
function manifestInputs() {
  const workspaces = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).workspaces ?? [];
  return ['scripts/build.mjs', 'package.json', ...workspaces.map((dir) => `${dir}/package.json`).filter((file) => existsSync(path.join(repoRoot, file)))];
}

// Bare imports are npm packages (external) except the workspace's own @almready/* packages.
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@almready/') ? undefined : { external: true }));
  },
};

export async function buildBackend({ outdir = distDir, quiet = false } = {}) {
  const { build } = await import('esbuild');
  const started = Date.now();
  mkdirSync(outdir, { recursive: true });
  // Unrecorded while it is rewritten, so `almready` meanwhile runs from the sources.
  rmSync(path.join(outdir, BUILD_INFO), { force: true });
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    sourcesContent: false,
    // Class and function names survive bundling (error names, stack traces).
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [externalPackages],
  });
  const outputs = new Set(Object.keys(result.metafile.outputs).map((file) => path.resolve(repoRoot, file)));
  // Chunks of an earlier build (their names carry a hash) go.
  for (const file of readdirSync(outdir)) {
    const full = path.join(outdir, file);
    if (file !== BUILD_INFO && !outputs.has(full)) rmSync(full, { recursive: true, force: true });
  }
  const inputs = [...new Set([...Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules/')), ...manifestInputs()])];
  writeFileSync(path.join(outdir, BUILD_INFO), `${JSON.stringify({ builtAt: started, inputs }, null, 1)}\n`);
  const ms = Date.now() - started;
  if (!quiet) console.log(`Built the backend into ${path.relative(process.cwd(), outdir) || '.'} (${inputs.length} files, ${ms} ms).`);
  return { outdir, ms, inputs };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--outdir');
  const outdir = at > 0 ? path.resolve(process.argv[at + 1] ?? '') : distDir;
  if (path.dirname(outdir) !== path.join(repoRoot, 'backend')) {
    console.error(`--outdir must be a folder directly inside backend/ (got ${outdir})`);
    process.exit(2);
  }
  await buildBackend({ outdir });
}
