/**
 * Calculation runs: the request, the settings a run records, the run row, its summary (with the
 * engine's outlier-test verdicts as the engine computed them), the SSE events and the result tables.
 */
import { z } from 'zod';
import { NMD_CATEGORIES, validateNmdAssumptions } from '@almready/engine';
import { SCENARIO_IDS, scenarioIdSchema } from './scenarios.ts';

const share = (name: string) =>
  z.number({ message: `${name} must be a number between 0 and 1` }).min(0, `${name} must be between 0 and 1`).max(1, `${name} must be between 0 and 1`);

export const nmdAssumptionSchema = z.strictObject({
  category: z.enum(NMD_CATEGORIES, { message: `category must be one of ${NMD_CATEGORIES.join(', ')}` }),
  stableShare: share('stableShare'),
  coreShare: share('coreShare'),
  averageMaturityYears: z.number({ message: 'averageMaturityYears must be a number of years' }).positive('averageMaturityYears must be greater than 0'),
});
export type NmdAssumptionInput = z.infer<typeof nmdAssumptionSchema>;

const balanceSheetSchema = z.enum(['constant', 'runoff'], { message: 'balanceSheet must be "constant" or "runoff"' });
const methodSchema = z.enum(['full', 'standardised'], { message: 'method must be "full" or "standardised"' });

/** `almready calc --assumptions <file>`: behavioural assumptions and the NII balance sheet as JSON. */
export const assumptionsFileSchema = z
  .strictObject({ nmd: z.array(nmdAssumptionSchema).optional(), balanceSheet: balanceSheetSchema.optional() })
  .superRefine((file, ctx) => {
    if (!file.nmd) return;
    const checked = validateNmdAssumptions(file.nmd);
    if (!checked.ok) for (const message of checked.errors) ctx.addIssue({ code: 'custom', path: ['nmd'], message });
  });

/** `POST /api/workspaces/:wid/runs`, validated before anything is queued (bad settings → 422). */
export const runRequestSchema = z
  .strictObject({
    datasetId: z.uuid({ message: 'datasetId must be the id of a dataset of this workspace' }),
    method: methodSchema.default('full'),
    // true/'eu' = EU post-shock lower bound (§4), false/'none' = BCBS preset without it
    floor: z
      .union([z.boolean(), z.enum(['eu', 'none'])], { message: 'floor must be "eu" (EU post-shock lower bound) or "none" (or true/false)' })
      .default(true)
      .transform((value) => value === true || value === 'eu'),
    scenarios: z
      .array(scenarioIdSchema)
      .min(1, 'give at least one scenario')
      .refine((ids) => new Set(ids).size === ids.length, 'scenario ids must not repeat')
      .optional(),
    tier1: z.number({ message: 'tier1 must be a number' }).positive('tier1 (Tier 1 capital) must be greater than 0').finite().optional(),
    niiHorizonMonths: z.number().int('niiHorizonMonths must be a whole number').min(1, 'niiHorizonMonths must be 1 to 120').max(120, 'niiHorizonMonths must be 1 to 120').default(12),
    nmd: z
      .array(nmdAssumptionSchema)
      .refine((list) => new Set(list.map((a) => a.category)).size === list.length, 'give at most one nmd assumption per category')
      .optional(),
    balanceSheet: balanceSheetSchema.default('constant'),
    breakdownBy: z.array(z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'breakdownBy holds attribute column names (lower-case letters, digits, _)')).max(5, 'at most 5 breakdown columns').optional(),
  })
  .superRefine((request, ctx) => {
    // §5: an assumption above a regulatory cap is refused with a message naming the cap
    if (!request.nmd) return;
    const checked = validateNmdAssumptions(request.nmd);
    if (!checked.ok) for (const message of checked.errors) ctx.addIssue({ code: 'custom', path: ['nmd'], message });
  });
/** What the client sends (defaults optional)… */
export type RunRequestBody = z.input<typeof runRequestSchema>;
/** …and what the server works with after validation. */
export type RunRequest = z.infer<typeof runRequestSchema>;

/**
 * A scenario defined by a notebook cell (`alm.scenario`), carried as samples of the quant's shock
 * function on the engine's own times (backend/src/runs/custom-scenarios.ts rebuilds it).
 */
export const customScenarioSamplesSchema = z.object({
  id: z.string(),
  label: z.string(),
  floorable: z.boolean(),
  rampMonths: z.number(),
  /** the samples are at the engine's shock times for this horizon */
  horizonDays: z.number(),
  /** currency → one decimal shift per time of that grid */
  shifts: z.record(z.string(), z.array(z.number())),
});
export type CustomScenarioSamples = z.infer<typeof customScenarioSamplesSchema>;

/** What a run records and passes to its worker (datasetId lives on the run row). */
export const runSettingsSchema = z.object({
  method: methodSchema,
  floor: z.boolean(),
  scenarios: z.array(z.string()),
  tier1: z.number().nullable(),
  niiHorizonMonths: z.number().int(),
  nmd: z.array(nmdAssumptionSchema).optional(),
  balanceSheet: balanceSheetSchema.optional(),
  breakdownBy: z.array(z.string()).optional(),
  /** scenarios defined by a notebook cell (`alm.scenario`); their ids appear in `scenarios` */
  customScenarios: z.array(customScenarioSamplesSchema).optional(),
});
export type RunSettings = z.infer<typeof runSettingsSchema>;

export function toRunSettings(request: RunRequest): RunSettings {
  return {
    method: request.method,
    floor: request.floor,
    scenarios: request.scenarios ?? [...SCENARIO_IDS],
    tier1: request.tier1 ?? null,
    niiHorizonMonths: request.niiHorizonMonths,
    ...(request.nmd ? { nmd: request.nmd } : {}),
    balanceSheet: request.balanceSheet,
    ...(request.breakdownBy ? { breakdownBy: request.breakdownBy } : {}),
  };
}

/** One supervisory outlier test as the engine ran it (methodology §6–§7). */
export const outlierTestSchema = z.object({
  /** the limit as an amount (−15% or −5% of Tier 1), null without Tier 1 */
  threshold: z.number().nullable(),
  /** the scenario the test found worst among those it counts (regulatory shocks for EVE, parallel shocks for NII) */
  worst_scenario: z.string().nullable(),
  worst_delta: z.number(),
  /** worst delta / Tier 1, null without Tier 1 */
  ratio: z.number().nullable(),
  flagged: z.boolean(),
});
export type OutlierTest = z.infer<typeof outlierTestSchema>;
export const outlierTestsSchema = z.object({ tier1: z.number().nullable(), eve: outlierTestSchema, nii: outlierTestSchema });
export type OutlierTests = z.infer<typeof outlierTestsSchema>;

/** A finished run's headline figures, as the worker reports them. */
export const runSummarySchema = z.object({
  asOf: z.string(),
  method: methodSchema,
  positions: z.number().int().nonnegative(),
  eveBase: z.number(),
  worstEve: z.object({ scenario: z.string().nullable(), delta: z.number() }),
  eveLoss: z.number(),
  niiBase: z.number(),
  worstNii: z.object({ scenario: z.string().nullable(), delta: z.number() }),
  outlierTests: outlierTestsSchema,
  warnings: z.array(z.string()),
  engineVersion: z.string(),
  elapsedMs: z.number().nonnegative(),
  /**
   * The currencies of the dataset's positions. Every total (EVE, NII, ΔEVE, gap) is stated in
   * them: with one currency that is the reporting currency; with several, totals add the
   * currencies' amounts without FX conversion and the `*_by_currency` tables break them down.
   * Absent on runs made before it was recorded.
   */
  currencies: z.array(z.string()).optional(),
  /**
   * The repricing gap of each currency's positions (methodology §8; the `gap` table adds the
   * currencies together): 19 rows per currency. Absent on runs made before it was recorded.
   */
  gapByCurrency: z.array(z.object({
    currency: z.string(), bucket: z.string(), from_years: z.number(), to_years: z.number().nullable(),
    assets: z.number(), liabilities: z.number(), gap: z.number(), cumulative_gap: z.number(),
  })).optional(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const RUN_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export const runStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const runSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  status: runStatusSchema,
  progress: z.number().min(0).max(1),
  phase: z.string(),
  settings: runSettingsSchema,
  datasetId: z.string(),
  createdBy: z.string(),
  createdByName: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** present once the run is done */
  summary: runSummarySchema.optional(),
  /** present when the run failed */
  error: z.string().optional(),
});
export type Run = z.infer<typeof runSchema>;
export const runAnswerSchema = z.object({ run: runSchema });
export const runsAnswerSchema = z.object({ runs: z.array(runSchema) });
/** `202` answer of `POST /runs`: the run is queued. */
export const runStartedAnswerSchema = z.object({ run: z.object({ id: z.string(), status: runStatusSchema }) });

/** Events of `GET /runs/:rid/events`: the SSE `event:` name is `type`, `data:` the rest as JSON. */
export const progressEventSchema = z.object({ type: z.literal('progress'), phase: z.string(), fraction: z.number().min(0).max(1) });
export const doneEventSchema = z.object({ type: z.literal('done'), summary: runSummarySchema });
export const failedEventSchema = z.object({ type: z.literal('failed'), message: z.string() });
export const cancelledEventSchema = z.object({ type: z.literal('cancelled') });
export const runEventSchema = z.discriminatedUnion('type', [progressEventSchema, doneEventSchema, failedEventSchema, cancelledEventSchema]);
export type RunEvent = z.infer<typeof runEventSchema>;
export type RunEventType = RunEvent['type'];
export const RUN_EVENT_TYPES = ['progress', 'done', 'failed', 'cancelled'] as const satisfies readonly RunEventType[];

/** The result tables of a run (`GET /runs/:rid/results/:table`), in long format. */
export const RESULT_TABLES = ['eve', 'nii', 'gap', 'eve_by_bucket', 'eve_by_product', 'eve_by_currency', 'nii_by_currency', 'nii_profile'] as const;
export type ResultTableName = (typeof RESULT_TABLES)[number];

const cellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const resultTableSchema = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.enum(['string', 'number', 'boolean']) })),
  rows: z.array(z.record(z.string(), cellSchema)),
});
export type ResultTable = z.infer<typeof resultTableSchema>;

/** Rows of the three headline tables, as the engine computed them (nothing is recomputed by a reader). */
export const eveRowSchema = z.object({ scenario: z.string(), eve: z.number(), delta_eve: z.number(), loss: z.number() });
export const niiRowSchema = z.object({ scenario: z.string(), nii: z.number(), delta_nii: z.number() });
export const gapRowSchema = z.object({
  bucket: z.string(),
  from_years: z.number(),
  /** null for the open last bucket */
  to_years: z.number().nullable(),
  assets: z.number(),
  liabilities: z.number(),
  gap: z.number(),
  cumulative_gap: z.number(),
});
export type EveRow = z.infer<typeof eveRowSchema>;
export type NiiRow = z.infer<typeof niiRowSchema>;
export type GapRow = z.infer<typeof gapRowSchema>;

function typedTable<R extends z.ZodType>(row: R) {
  return resultTableSchema.extend({ rows: z.array(row) });
}
export const eveTableSchema = typedTable(eveRowSchema);
export const niiTableSchema = typedTable(niiRowSchema);
export const gapTableSchema = typedTable(gapRowSchema);
export type EveTable = z.infer<typeof eveTableSchema>;
export type NiiTable = z.infer<typeof niiTableSchema>;
export type GapTable = z.infer<typeof gapTableSchema>;

/**
 * Which scenarios each outlier test counts and its limit as a share of Tier 1: the engine's own
 * constants (eve/outlier-tests.ts), so a page can say what a verdict covers without re-running it.
 */
export { EVE_OUTLIER_LIMIT, NII_OUTLIER_LIMIT, NII_OUTLIER_SCENARIOS, REGULATORY_SCENARIO_IDS } from '@almready/engine';
/** The non-maturing deposit categories an `nmd` assumption names (methodology §5). */
export { NMD_CATEGORIES, type NmdCategory } from '@almready/engine';
