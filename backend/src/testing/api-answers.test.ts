/**
 * The SPA's fixtures (frontend/src/api/fixtures/api-answers.json) are real answers of this
 * server: each fresh answer must satisfy its contract schema, and the checked-in fixture must
 * still have the shape the server answers today and hold the engine's figures for the same book.
 * After a deliberate contract change: `ALMREADY_WRITE_FIXTURES=1 npx vitest run backend/src/testing/api-answers.test.ts`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_SCHEMAS, captureAnswers, FIXTURE_RUN, shapeOf, type AnswerName } from './api-answers.ts';
import { startTestServer, type TestServer } from './server.ts';

const FIXTURE = fileURLToPath(new URL('../../../frontend/src/api/fixtures/api-answers.json', import.meta.url));
const NAMES = Object.keys(ANSWER_SCHEMAS) as AnswerName[];

let t: TestServer;
let fresh: Record<AnswerName, unknown>;

beforeAll(async () => {
  t = await startTestServer();
  fresh = await captureAnswers(t);
  if (process.env.ALMREADY_WRITE_FIXTURES === '1') {
    // The token is a credential of a throw-away server: the fixture keeps its shape, not its value.
    const kept = { ...fresh, login: { ...(fresh.login as object), token: '<token of a test server>' } };
    writeFileSync(FIXTURE, `${JSON.stringify(kept, null, 1)}\n`);
  }
}, 180_000);

afterAll(async () => {
  await t?.stop();
});

function figures(value: unknown, path = ''): [string, number][] {
  if (typeof value === 'number') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => figures(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => figures(v, `${path}.${k}`));
  return [];
}

describe('API answers against the contracts', () => {
  it('every answer the server gives satisfies its contract schema', () => {
    for (const name of NAMES) {
      const parsed = ANSWER_SCHEMAS[name].safeParse(fresh[name]);
      expect(parsed.success, `${name}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))}`).toBe(true);
    }
    // the captured run is the one the SPA tests reason about
    const run = ANSWER_SCHEMAS.run.parse(fresh.run).run;
    expect(run.status).toBe('done');
    expect(run.settings.scenarios).toEqual([...FIXTURE_RUN.scenarios]);
    expect(run.summary?.outlierTests.tier1).toBe(FIXTURE_RUN.tier1);
    const events = ANSWER_SCHEMAS.runEvents.parse(fresh.runEvents);
    expect(events.at(-1)?.type).toBe('done');
    expect(events.slice(0, -1).every((e) => e.type === 'progress')).toBe(true);
  });

  it('the checked-in fixtures have the shape the server answers and the figures of the same book', () => {
    expect(existsSync(FIXTURE), `${FIXTURE} is missing: capture it with ALMREADY_WRITE_FIXTURES=1`).toBe(true);
    const kept = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(kept).sort()).toEqual([...NAMES].sort());
    for (const name of NAMES) {
      expect(ANSWER_SCHEMAS[name].safeParse(kept[name]).success, `fixture ${name} no longer satisfies its contract`).toBe(true);
      expect(shapeOf(kept[name]), `fixture ${name} has another shape than the server's answer: re-capture it`).toEqual(shapeOf(fresh[name]));
    }
    // The engine's figures for the same synthetic book are the same (to 1e-9 relative).
    for (const name of ['eve', 'nii', 'gap', 'eveByBucket'] as const) {
      const [a, b] = [figures(kept[name]), figures(fresh[name])];
      expect(a.map(([p]) => p)).toEqual(b.map(([p]) => p));
      a.forEach(([p, v], i) => expect(Math.abs(v - b[i]![1]), `${name}${p}: fixture ${v}, server ${b[i]![1]}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v))));
    }
    const summary = (x: Record<string, unknown>) => ANSWER_SCHEMAS.run.parse(x.run).run.summary!;
    expect(summary(kept).outlierTests).toEqual(summary(fresh).outlierTests);
  });
});
