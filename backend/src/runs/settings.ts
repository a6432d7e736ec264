/** The body of `POST /:wid/runs`, validated before anything is queued (bad settings → 422). */
import { z } from 'zod';

export const SCENARIO_IDS = ['base', 'parallel_up', 'parallel_down', 'steepener', 'flattener', 'short_up', 'short_down'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export const runRequestSchema = z.strictObject({
  datasetId: z.uuid({ message: 'datasetId must be the id of a dataset of this workspace' }),
  method: z.enum(['full', 'standardised'], { message: 'method must be "full" or "standardised"' }).default('full'),
  floor: z.boolean({ message: 'floor must be true (EU post-shock lower bound) or false' }).default(true),
  scenarios: z
    .array(z.enum(SCENARIO_IDS, { message: `scenario ids are ${SCENARIO_IDS.join(', ')}` }))
    .min(1, 'give at least one scenario')
    .refine((ids) => new Set(ids).size === ids.length, 'scenario ids must not repeat')
    .optional(),
  tier1: z.number({ message: 'tier1 must be a number' }).positive('tier1 (Tier 1 capital) must be greater than 0').finite().optional(),
  niiHorizonMonths: z.number().int('niiHorizonMonths must be a whole number').min(1, 'niiHorizonMonths must be 1 to 120').max(120, 'niiHorizonMonths must be 1 to 120').default(12),
});
export type RunRequest = z.infer<typeof runRequestSchema>;

/** What a run records and passes to its worker (datasetId lives on the run row). */
export interface RunSettings {
  method: 'full' | 'standardised';
  floor: boolean;
  scenarios: ScenarioId[];
  tier1: number | null;
  niiHorizonMonths: number;
}

export function toRunSettings(request: RunRequest): RunSettings {
  return {
    method: request.method,
    floor: request.floor,
    scenarios: request.scenarios ?? [...SCENARIO_IDS],
    tier1: request.tier1 ?? null,
    niiHorizonMonths: request.niiHorizonMonths,
  };
}
