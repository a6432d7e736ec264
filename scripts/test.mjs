// Runs every test suite once and ends with the plain totals line CI reads: "N passed, N failed".
// With ALMREADY_DOCKER_TEST=1 (set by .ci/run once Docker is installed) the deployment test
// e2e/compose.test.ts runs after the other suites (or after the files named on the command line),
// alone (it builds images on the machine's CPUs), and its counts are added to the totals.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const COMPOSE_TEST = 'e2e/compose.test.ts';

/** One vitest run with its JSON report; returns its counts and whether it exited cleanly. */
function vitest(name, extra) {
  const report = path.join(root, '.tmp', `vitest-report${name}.json`);
  mkdirSync(path.dirname(report), { recursive: true });
  if (existsSync(report)) rmSync(report);
  const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra];
  const run = spawnSync('npx', args, { cwd: root, stdio: 'inherit' });
  let passed = 0;
  let failed = 0;
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed = json.numPassedTests ?? 0;
    failed = (json.numFailedTests ?? 0) + (json.numRuntimeErrorTestSuites ?? 0);
    if (json.numFailedTestSuites && failed === 0) failed = json.numFailedTestSuites;
  } else {
    failed = 1;
  }
  return { passed, failed, ok: run.status === 0 };
}

const given = process.argv.slice(2);
const runs = [];
if (process.env.ALMREADY_DOCKER_TEST === '1') {
  runs.push(vitest('', ['--exclude', COMPOSE_TEST, ...given]));
  runs.push(vitest('-compose', [COMPOSE_TEST]));
} else {
  runs.push(vitest('', given));
}
const passed = runs.reduce((n, r) => n + r.passed, 0);
const failed = runs.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(runs.every((r) => r.ok) && failed === 0 && passed > 0 ? 0 : 1);
