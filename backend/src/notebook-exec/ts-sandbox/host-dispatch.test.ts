import { describe, expect, it } from 'vitest';
import type { CellResult } from './cell-result.ts';
import { HostDispatcher } from './host-dispatch.ts';
import { onlyIssuedTables } from './sandbox.ts';
import { TestAlmHost } from './test-host.ts';

describe('host side of alm calls (what the sandbox sends is not trusted)', () => {
  it('hands the host the behaviour a custom scenario runs with: the one given, or derived from the shock ("auto", the default)', async () => {
    const host = await TestAlmHost.create();
    const d = new HostDispatcher(host, 12, (e) => { throw e; });
    for (const [behaviour, shifts, expected] of [
      [undefined, [-0.01, 0.01], 'steepener'],
      ['auto', [0.01, 0.01], 'parallel_up'],
      ['neutral', [0.01, 0.01], 'neutral'],
      ['flattener', [-0.01, -0.01], 'flattener'],
    ] as const) {
      expect(await d.dispatch('scenario', JSON.stringify({ id: 'twist', floorable: true, rampMonths: 0, ...(behaviour ? { behaviour } : {}), times: [0, 30], shifts: { EUR: shifts } }))).toEqual({ ok: true, value: '{"id":"twist"}' });
      expect(host.calls.at(-1)).toEqual({ op: 'scenario', args: [expect.objectContaining({ id: 'twist', behaviour: expected })] });
    }
  });

  it('refuses table ids the cell was never given, unknown ops, bad payloads and __proto__ keys', async () => {
    const host = await TestAlmHost.create();
    const unexpected: unknown[] = [];
    const d = new HostDispatcher(host, 12, (e) => unexpected.push(e));
    try {
      expect(await d.dispatch('rows', '{"table":"other_workspace_eve","limit":1}')).toEqual({ ok: false, message: 'unknown table handle "other_workspace_eve"; use a table from alm.sql, alm.table, alm.run or a cell input' });
      expect(await d.dispatch('table', '{"name":"positions"}')).toEqual({ ok: true, value: '{"$almTable":"positions"}' });
      expect(await d.dispatch('count', '{"table":"positions"}')).toEqual({ ok: true, value: '5' });
      expect(await d.dispatch('readFile', '{"path":"/etc/passwd"}')).toEqual({ ok: false, message: 'alm has no operation "readFile"' });
      expect(await d.dispatch('__proto__', '{}')).toEqual({ ok: false, message: 'alm has no operation "__proto__"' });
      expect(await d.dispatch('rows', '{"table":"positions","limit":1e9}')).toMatchObject({ ok: false, message: expect.stringMatching(/^alm\.rows: limit: /) });
      expect(await d.dispatch('sql', '{"text":["SELECT 1"],"params":[],"__proto__":{"x":1}}')).toEqual({ ok: false, message: 'alm.sql: a value leaving the cell has the key "__proto__"' });
      expect(await d.dispatch('sql', '{"text":["SELECT ", ""],"params":[]}')).toMatchObject({ ok: false, message: 'alm.sql: alm.sql takes a template: one more text part than parameters' });
      expect(await d.dispatch('scenario', JSON.stringify({ id: 'parallel_up', floorable: true, rampMonths: 0, times: [0, 1], shifts: { EUR: [0.03, 0.03] } })))
        .toEqual({ ok: false, message: 'alm.scenario: id: scenario id "parallel_up" is a built-in scenario; choose another name' });
      expect(await d.dispatch('scenario', JSON.stringify({ id: 'twist', floorable: true, rampMonths: 0, times: [0, 1], shifts: { EUR: [0.03] } })))
        .toEqual({ ok: false, message: 'alm.scenario: every currency needs one shift per grid time' });
      expect(await d.dispatch('scenario', JSON.stringify({ id: 'twist', floorable: true, rampMonths: 0, behaviour: 'sideways', times: [0, 1], shifts: { EUR: [0.03, 0.03] } })))
        .toEqual({ ok: false, message: 'alm.scenario: behaviour: behaviour is one of parallel_up, parallel_down, steepener, flattener, short_up, short_down, neutral, auto' });
      expect(host.calls.map((c) => c.op)).toEqual(['table', 'count']);
      for (let i = 0; i < 4; i++) await d.dispatch('dataset', '{}');
      expect(await d.dispatch('dataset', '{}')).toEqual({ ok: false, fatal: 'host-call-limit', message: 'the cell made more than 12 alm calls; batch the work into fewer queries' });
      expect(unexpected).toEqual([]);
    } finally {
      host.close();
    }
  });

  it('a result that refers to a table the cell was not given fails as an export error', () => {
    const result: CellResult = { ok: true, outputs: { mine: { $almTable: 'result_1' }, stolen: [{ $almTable: 'ws2_run1_eve' }] }, console: [], displays: [], timing: { sandboxStartMs: 1, transpileMs: 1, runMs: 1 } };
    expect(onlyIssuedTables(result, new Set(['result_1']))).toMatchObject({ ok: false, error: { kind: 'export', message: 'the cell refers to table "ws2_run1_eve", which it was never given' } });
    expect(onlyIssuedTables(result, new Set(['result_1', 'ws2_run1_eve']))).toBe(result);
  });
});
