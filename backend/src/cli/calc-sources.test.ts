/**
 * `almready calc` reads files with the upload's own rules (readSources → validate-sources.ts):
 * the same bad files give the same error list as an upload, and its figures equal analyse() on the
 * dataset an upload makes of the same files; split over two threads, they equal one thread's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyse, buildCurveSet, defaultSettings, syntheticBalanceSheet, type AnalysisResult } from '@almready/engine';
import { importDataset, loadDataset, readSources } from '../data/datasets/index.ts';
import { sharedArrays } from '../data/datasets/column-stream.ts';
import { fixture, importOptions } from '../data/datasets/test-workspace.ts';
import { writeSyntheticCsv } from '../workspaces/synthetic-csv.ts';
import { CalcWorker, SPLIT_MIN_POSITIONS, analyseSplit } from './calc-split.ts';
import { main } from './main.ts';

const AS_OF = '2024-12-31';
let dir: string;
let files: { positions: string; schedules: string; curves: string };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'almready-calc-sources-'));
  // large enough for the two-thread split by position count
  files = await writeSyntheticCsv(dir, syntheticBalanceSheet({ positions: 30_000, asOf: AS_OF, seed: 11 }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'almready', ...args], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Largest relative difference over every number of two results (same shape). */
function maxRelativeDifference(a: unknown, b: unknown, at = 'result'): number {
  if (typeof a === 'number') {
    if (typeof b !== 'number') throw new Error(`${at}: ${String(b)} is not a number`);
    return a === b ? 0 : Math.abs(a - b) / Math.max(1, Math.abs(a));
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) throw new Error(`${at}: lengths differ`);
    return a.reduce((m: number, x, i) => Math.max(m, maxRelativeDifference(x, b[i], `${at}[${i}]`)), 0);
  }
  if (a !== null && typeof a === 'object') {
    if (b === null || typeof b !== 'object') throw new Error(`${at}: not an object`);
    expect(Object.keys(b as object)).toEqual(Object.keys(a as object));
    return Object.entries(a).reduce((m: number, [k, v]) => Math.max(m, maxRelativeDifference(v, (b as Record<string, unknown>)[k], `${at}.${k}`)), 0);
  }
  expect(b, at).toEqual(a);
  return 0;
}

async function importedAnalysis(positions: string, schedules: string, curves: string): Promise<AnalysisResult> {
  const ws = await mkdtemp(path.join(dir, 'ws-'));
  const file = (p: string) => ({ path: p, originalName: path.basename(p) });
  const imported = await importDataset(importOptions(ws, { asOf: AS_OF, sources: { positions: file(positions), schedules: file(schedules), curves: file(curves) } }));
  if (!imported.ok) throw new Error(`import refused: ${JSON.stringify(imported.errors.slice(0, 3))}`);
  const data = await loadDataset(path.join(ws, 'datasets', imported.dataset.id));
  const set = buildCurveSet(data.curves);
  if (!set.ok) throw new Error('curves');
  return analyse({ positions: data.positions, schedules: data.schedules, curves: set.curves, settings: defaultSettings(AS_OF) });
}

describe('almready calc reads files with the upload rules', () => {
  it('gives the same error list as an upload for the same bad files', async () => {
    const cases = [
      { positions: fixture('positions-errors.csv') },
      { positions: fixture('positions-mixed.csv'), curves: fixture('curves-long.csv') },
      { positions: fixture('positions-scheduled.csv'), schedules: fixture('schedules-unknown-id.csv') },
      { positions: fixture('positions-garbage.csv') },
    ];
    for (const sources of cases) {
      const upload = await importDataset(importOptions(await mkdtemp(path.join(dir, 'ws-')), { asOf: '2024-06-30', sources }));
      const read = await readSources({ asOf: '2024-06-30', sources });
      if (upload.ok || read.ok) throw new Error(`${sources.positions.originalName}: expected a refusal from both`);
      expect(upload.errors.length).toBeGreaterThan(0);
      expect(read.errors).toEqual(upload.errors);
      expect(read.total).toBe(upload.total);
      expect(read.mapping).toEqual(upload.mapping);
    }
    // and the command prints that list: positions-errors.csv has 20 problems, each row shown
    const refused = await run('calc', '--positions', fixture('positions-errors.csv').path, '--curves', fixture('curves-long.csv').path, '--as-of', '2024-06-30');
    expect(refused.code).toBe(1);
    expect(refused.out).toBe('');
    expect(refused.err).toContain('almready: the input was refused (20 problems):');
    const upload = await importDataset(importOptions(await mkdtemp(path.join(dir, 'ws-')), { asOf: '2024-06-30', sources: { positions: fixture('positions-errors.csv'), curves: fixture('curves-long.csv') } }));
    if (upload.ok) throw new Error('expected a refusal');
    for (const e of upload.errors) expect(refused.err).toMatch(new RegExp(`positions-errors\\.csv +${e.row} +${e.column} .*${e.reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('computes the figures of an imported dataset, to 1e-9', async () => {
    const { code, out, err } = await run('calc', '--positions', files.positions, '--schedules', files.schedules, '--curves', files.curves, '--as-of', AS_OF, '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const calc = JSON.parse(out) as AnalysisResult;
    const server = JSON.parse(JSON.stringify(await importedAnalysis(files.positions, files.schedules, files.curves))) as AnalysisResult;
    expect(calc.eve.base).not.toBe(0);
    expect(Object.keys(calc.eve.scenarios)).toHaveLength(6);
    expect(maxRelativeDifference(server, calc)).toBeLessThan(1e-9);
  });

  it('a run split between the main thread and the worker equals the single-thread run to 1e-9', async () => {
    expect(30_000).toBeGreaterThan(SPLIT_MIN_POSITIONS);
    const file = (p: string) => ({ path: p, originalName: path.basename(p) });
    const read = await readSources({ asOf: AS_OF, alloc: sharedArrays, sources: { positions: file(files.positions), schedules: file(files.schedules), curves: file(files.curves) } });
    if (!read.ok) throw new Error('refused');
    const set = buildCurveSet(read.curves);
    if (!set.ok) throw new Error('curves');
    const input = { positions: read.positions, schedules: read.schedules, curves: set.curves, settings: { ...defaultSettings(AS_OF), tier1: 5e8 } };
    const single = analyse(input);
    const worker = new CalcWorker();
    try {
      const split = await analyseSplit(input, read.curves, worker, 0);
      expect(maxRelativeDifference(single, split)).toBeLessThan(1e-9);
      expect(split.sot.tier1).toBe(5e8);
      expect(worker.parts).toBe(1);
    } finally {
      await worker.close();
    }
  });

  it('falls back to one thread, same figures, when the worker is gone', async () => {
    const read = await readSources({ asOf: '2024-06-30', alloc: sharedArrays, sources: { positions: fixture('positions-basic.csv'), curves: fixture('curves-long.csv') } });
    if (!read.ok) throw new Error('refused');
    const set = buildCurveSet(read.curves);
    if (!set.ok) throw new Error('curves');
    const input = { positions: read.positions, schedules: read.schedules, curves: set.curves, settings: defaultSettings('2024-06-30') };
    const single = analyse(input);
    for (const waitForBoot of [false, true]) {
      const worker = new CalcWorker();
      if (waitForBoot) await worker.booted();
      await worker.close();
      const split = await analyseSplit(input, read.curves, worker, 0);
      expect(worker.parts).toBe(0);
      expect(maxRelativeDifference(single, split)).toBe(0);
    }
  });
});
