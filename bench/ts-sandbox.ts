/**
 * TypeScript cell sandbox figures: worker boot (once per worker), a warm cell's sandbox start
 * (fresh QuickJS runtime + context + alm; target < 50 ms), a trivial cell end to end, and one
 * `alm` round trip (worker → server thread → host → back). Run: `npx tsx bench/ts-sandbox.ts`.
 */
import { DEFAULT_TS_CELL_LIMITS } from '../backend/src/config.ts';
import { TsSandbox } from '../backend/src/notebook-exec/ts-sandbox/sandbox.ts';
import { TestAlmHost } from '../backend/src/notebook-exec/ts-sandbox/test-host.ts';

const RUNS = 30;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

const host = await TestAlmHost.create();
const sandbox = new TsSandbox(DEFAULT_TS_CELL_LIMITS);
let t = performance.now();
await sandbox.warm();
const bootMs = performance.now() - t;

const starts: number[] = [];
const totals: number[] = [];
const hostCalls: number[] = [];
for (let i = 0; i < RUNS; i++) {
  t = performance.now();
  const plain = await sandbox.run({ source: `const n: number = ${i};\nexport const square = n * n;` }, host);
  totals.push(performance.now() - t);
  if (!plain.ok) throw new Error(plain.error.message);
  starts.push(plain.timing.sandboxStartMs);
  const calls = await sandbox.run({ source: 'for (let i = 0; i < 20; i++) alm.bcbs("EUR");\nexport const done = true;' }, host);
  if (!calls.ok) throw new Error(calls.error.message);
  hostCalls.push(calls.timing.runMs / 20);
}
await sandbox.close();
host.close();

const start = median(starts);
const line = (label: string, value: string) => console.log(`   ${label.padEnd(48)}${value}`);
line('worker boot (TypeScript + QuickJS load, once)', fmt(bootMs));
line(`sandbox start, warm (median of ${RUNS})`, `${fmt(start)}  (max ${fmt(Math.max(...starts))})  ${start < 50 ? 'ok' : 'OVER the 50 ms target'}`);
line('trivial cell end to end (median)', fmt(median(totals)));
line('one alm call round trip (median)', fmt(median(hostCalls)));
process.exit(start < 50 ? 0 : 1);
