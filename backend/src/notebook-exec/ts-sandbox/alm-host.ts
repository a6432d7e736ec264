/**
 * The port a TypeScript cell reaches the world through. The sandbox turns every `alm.*` call into
 * one of these methods, with a payload validated here (zod) — the host trusts nothing that comes
 * out of QuickJS but strings it parsed and checked itself. The notebook runtime implements this
 * port over the workspace's locked-down DuckDB and the run service; `test-host.ts` implements it
 * in memory for the tests.
 */
import { BEHAVIOUR_IDS, scenarioById } from '@almready/engine';
import { z } from 'zod';
import type { CellValue, TableRef } from './cell-result.ts';
import { derivedBehaviour } from './scenario-grid.ts';

/** A refusal the cell sees as an Error thrown by the `alm` call (e.g. an unknown table). */
export class AlmHostError extends Error {
  override name = 'AlmHostError';
}

const sqlParam = z.union([z.string().max(1_000_000), z.number().finite(), z.boolean(), z.null()]);
const tableId = z.string().min(1).max(256);
const currency = z.string().regex(/^[A-Z]{3}$/, 'a currency is a three-letter ISO code such as EUR');

export const hostCallSchemas = {
  sql: z.object({ text: z.array(z.string().max(1_000_000)).min(1).max(1_001), params: z.array(sqlParam).max(1_000) }).strict()
    .refine((q) => q.text.length === q.params.length + 1, 'alm.sql takes a template: one more text part than parameters'),
  table: z.object({ name: z.string().min(1).max(256) }).strict(),
  rows: z.object({ table: tableId, limit: z.number().int().min(0).max(100_000) }).strict(),
  count: z.object({ table: tableId }).strict(),
  dataset: z.object({}).strict(),
  curves: z.object({}).strict(),
  bcbs: z.object({ currency }).strict(),
  shockGrid: z.object({}).strict(),
  scenario: z.object({
    id: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a scenario id is lower-case letters, digits and _ (like twist_up), at most 64'),
    label: z.string().max(200).optional(),
    floorable: z.boolean(),
    rampMonths: z.number().int().min(0).max(120),
    /** whose behavioural multipliers the run uses (§5); auto: derived from the shock (scenario-grid.ts derivedBehaviour) */
    behaviour: z.enum([...BEHAVIOUR_IDS, 'auto'], { message: `behaviour is one of ${[...BEHAVIOUR_IDS, 'auto'].join(', ')}` }).default('auto'),
    times: z.array(z.number().finite().min(0)).min(1).max(100_000),
    shifts: z.record(currency, z.array(z.number().finite())),
  }).strict()
    .superRefine((s, ctx) => {
      if (scenarioById(s.id)) ctx.addIssue({ code: 'custom', message: `scenario id "${s.id}" is a built-in scenario; choose another name`, path: ['id'] });
    })
    .refine((s) => Object.values(s.shifts).every((v) => v.length === s.times.length), 'every currency needs one shift per grid time')
    .refine((s) => s.times.every((t, i) => i === 0 || t > (s.times[i - 1] as number)), 'the grid times increase strictly')
    // the host records the behaviour the run uses, never "auto"
    .transform(({ behaviour, ...s }) => ({ ...s, behaviour: behaviour === 'auto' ? derivedBehaviour(s.times, s.shifts) : behaviour })),
  run: z.object({
    scenarios: z.array(z.string().min(1).max(64)).max(64).optional(),
    method: z.enum(['full', 'standardised']).optional(),
    floor: z.enum(['eu', 'none']).optional(),
    niiHorizonMonths: z.number().int().min(1).max(120).optional(),
    nmd: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))).max(100).optional(),
    balanceSheet: z.enum(['constant', 'runoff']).optional(),
    breakdownBy: z.array(z.string().min(1).max(64)).max(16).optional(),
    tier1: z.number().positive().finite().optional(),
  }).strict(),
} as const;

export type HostOp = keyof typeof hostCallSchemas;
export const HOST_OPS = Object.keys(hostCallSchemas) as HostOp[];
export type HostPayload<Op extends HostOp> = z.infer<(typeof hostCallSchemas)[Op]>;

export interface DatasetInfo {
  id: string;
  asOf: string;
  positions: number;
  /** totals by side, in the reporting currency */
  totals: Record<string, number>;
}

export interface CurvePoint { curveId: string; currency: string | null; tenor: string; years: number; rate: number }
export interface ShockSizesDecimal { parallel: number; short: number; long: number }
/** Times (years from as-of) at which the engine evaluates a shock, and the dataset's currencies. */
export interface ShockGrid { times: number[]; currencies: string[] }
export type SampledScenario = HostPayload<'scenario'>;
export type RunSettings = HostPayload<'run'>;

/**
 * One cell run's door out: the runtime makes one per cell run, so it knows the workspace, the
 * dataset and the cell's name (for `<cell>_eve` result tables) without the sandbox saying so. Every method may throw AlmHostError (shown to the cell); anything else
 * is a host failure (logged, the cell sees "internal error"). Tables are named by ids the host
 * issued; the sandbox refuses ids it was never given before they reach `rows`/`count`.
 */
export interface AlmHost {
  sql(query: HostPayload<'sql'>): Promise<TableRef>;
  table(name: string): Promise<TableRef>;
  rows(table: string, limit: number): Promise<Record<string, CellValue>[]>;
  count(table: string): Promise<number>;
  dataset(): Promise<DatasetInfo>;
  curves(): Promise<CurvePoint[]>;
  bcbs(currency: string): Promise<ShockSizesDecimal>;
  shockGrid(): Promise<ShockGrid>;
  scenario(definition: SampledScenario): Promise<{ id: string }>;
  /** The engine's result as a plain object; its tables as TableRefs (e.g. `<cell>_eve`). */
  run(settings: RunSettings): Promise<CellValue>;
}
