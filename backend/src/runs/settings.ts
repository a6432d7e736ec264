/** The body of `POST /:wid/runs`, validated before anything is queued (bad settings → 422). */
import { z } from 'zod';
import type { CustomScenarioSamples } from './custom-scenarios.ts';
import { NMD_CATEGORIES, scenarioById, validateNmdAssumptions, type NmdAssumption } from '@almready/engine';

/** The regulatory set, run when a request names no scenarios. */
export const SCENARIO_IDS = ['base', 'parallel_up', 'parallel_down', 'steepener', 'flattener', 'short_up', 'short_down'] as const;
export type ScenarioId = string;

const share = (name: string) =>
  z.number({ message: `${name} must be a number between 0 and 1` }).min(0, `${name} must be between 0 and 1`).max(1, `${name} must be between 0 and 1`);

const nmdAssumptionSchema = z.strictObject({
  category: z.enum(NMD_CATEGORIES, { message: `category must be one of ${NMD_CATEGORIES.join(', ')}` }),
  stableShare: share('stableShare'),
  coreShare: share('coreShare'),
  averageMaturityYears: z.number({ message: 'averageMaturityYears must be a number of years' }).positive('averageMaturityYears must be greater than 0'),
});

/** `almready calc --assumptions <file>`: behavioural assumptions and the NII balance sheet as JSON. */
export const assumptionsFileSchema = z
  .strictObject({
    nmd: z.array(nmdAssumptionSchema).optional(),
    balanceSheet: z.enum(['constant', 'runoff'], { message: 'balanceSheet must be "constant" or "runoff"' }).optional(),
  })
  .superRefine((file, ctx) => {
    if (!file.nmd) return;
    const checked = validateNmdAssumptions(file.nmd);
    if (!checked.ok) for (const message of checked.errors) ctx.addIssue({ code: 'custom', path: ['nmd'], message });
  });

export const runRequestSchema = z
  .strictObject({
    datasetId: z.uuid({ message: 'datasetId must be the id of a dataset of this workspace' }),
    method: z.enum(['full', 'standardised'], { message: 'method must be "full" or "standardised"' }).default('full'),
    // true/'eu' = EU post-shock lower bound (§4), false/'none' = BCBS preset without it
    floor: z
      .union([z.boolean(), z.enum(['eu', 'none'])], { message: 'floor must be "eu" (EU post-shock lower bound) or "none" (or true/false)' })
      .default(true)
      .transform((value) => value === true || value === 'eu'),
    scenarios: z
      .array(z.string().refine((id) => id === 'base' || scenarioById(id) !== undefined, {
        message: 'unknown scenario id: use base, the six regulatory ids (parallel_up, parallel_down, steepener, flattener, short_up, short_down), parallel_up_100…parallel_down_400 or ramp_up_100…ramp_down_200',
      }))
      .min(1, 'give at least one scenario')
      .refine((ids) => new Set(ids).size === ids.length, 'scenario ids must not repeat')
      .optional(),
    tier1: z.number({ message: 'tier1 must be a number' }).positive('tier1 (Tier 1 capital) must be greater than 0').finite().optional(),
    niiHorizonMonths: z.number().int('niiHorizonMonths must be a whole number').min(1, 'niiHorizonMonths must be 1 to 120').max(120, 'niiHorizonMonths must be 1 to 120').default(12),
    nmd: z
      .array(nmdAssumptionSchema)
      .refine((list) => new Set(list.map((a) => a.category)).size === list.length, 'give at most one nmd assumption per category')
      .optional(),
    balanceSheet: z.enum(['constant', 'runoff'], { message: 'balanceSheet must be "constant" or "runoff"' }).default('constant'),
    breakdownBy: z.array(z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'breakdownBy holds attribute column names (lower-case letters, digits, _)')).max(5, 'at most 5 breakdown columns').optional(),
  })
  .superRefine((request, ctx) => {
    // §5: an assumption above a regulatory cap is refused with a message naming the cap
    if (!request.nmd) return;
    const checked = validateNmdAssumptions(request.nmd);
    if (!checked.ok) for (const message of checked.errors) ctx.addIssue({ code: 'custom', path: ['nmd'], message });
  });
export type RunRequest = z.infer<typeof runRequestSchema>;

/** What a run records and passes to its worker (datasetId lives on the run row). */
export interface RunSettings {
  method: 'full' | 'standardised';
  floor: boolean;
  scenarios: ScenarioId[];
  tier1: number | null;
  niiHorizonMonths: number;
  nmd?: NmdAssumption[];
  balanceSheet?: 'constant' | 'runoff';
  breakdownBy?: string[];
  /** scenarios defined by a notebook cell (`alm.scenario`); their ids appear in `scenarios` */
  customScenarios?: CustomScenarioSamples[];
}

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
