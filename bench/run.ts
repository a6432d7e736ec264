/**
 * `npm run bench`: speed and memory figures of the engine, the data layer and a server run at one
 * million positions, the TypeScript cell sandbox's start time, notebooks end to end (bench/notebooks.ts),
 * the app in Chromium (bench/frontend.ts) and the `almready` command's start-up.
 * Each section runs in its own child process so peak memory is measured per section.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const sections = [
  { file: 'engine.ts', title: 'Engine (1,000,000 positions; target: all under 3 s and 2 GB)' },
  { file: 'data-import.ts', title: 'Import (1,000,000-row CSV; target < 10 s, < 1 GB)' },
  { file: 'server-run.ts', title: 'Server run (imported 1,000,000-position dataset, POST → done; targets < 2.5 s first run, < 2.0 s cached)' },
  { file: 'data-query.ts', title: 'Query (1,000,000 positions; page < 100 ms, group-by < 200 ms)' },
  { file: 'ts-sandbox.ts', title: 'TypeScript cell sandbox (warm start < 50 ms)' },
  { file: 'notebooks.ts', title: 'Notebooks (1,000,000 positions: SQL cell re-run < 300 ms, report < 8 s cold and < 300 ms unchanged, sandbox start < 50 ms; demo dataset report < 3 s)' },
  { file: 'frontend.ts', title: 'The app in Chromium (first load < 1.5 s with Monaco and the grid lazy; notebook with stored outputs < 500 ms; 1,000,000-row sorted grid page < 300 ms)' },
  { file: 'query-fairness.ts', title: "Query fairness (user B's count(*) while user A runs 4 cross joins)" },
  { file: 'cli-start.ts', title: 'almready start-up (compiled --help < 0.3 s)' },
];

let failed = 0;
for (const section of sections) {
  console.log(`\n== ${section.title}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, section.file)], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed += 1;
    console.log(`   section ${section.file} failed (exit ${run.status})`);
  }
}
process.exit(failed === 0 ? 0 : 1);
