import { expect, it } from 'vitest';
import { afterRun, isStale } from './sqlRun.ts';

const answer = { columns: [{ name: 'n', type: 'INTEGER' }], rows: [{ n: 1 }], truncated: false };

it('a failed run clears the previous result instead of leaving it under the error', () => {
  const first = afterRun('select 1 as n', { ok: true, value: answer });
  expect(first.result).toEqual(answer);
  const failed = afterRun('selec 1', { ok: false, error: { status: 400, code: 'syntax_error', message: 'Parser Error: syntax error at or near "selec"' } });
  expect(failed).toEqual({ result: null, resultSql: null, error: { status: 400, code: 'syntax_error', message: 'Parser Error: syntax error at or near "selec"' } });
});

it('a result is stale once the SQL it answered is edited', () => {
  const state = afterRun('select 1 as n', { ok: true, value: answer });
  expect(isStale(state, 'select 1 as n')).toBe(false);
  expect(isStale(state, 'select 2 as n')).toBe(true);
  expect(isStale(afterRun('x', { ok: false, error: 'no' }), 'y')).toBe(false);
});
