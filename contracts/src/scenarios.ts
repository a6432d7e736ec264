/** Scenario ids a run request may name. */
import { z } from 'zod';
import { REGULATORY_SCENARIO_IDS, scenarioById } from '@almready/engine';

/** The set run when a request names no scenarios: base and the six regulatory shocks. */
export const SCENARIO_IDS = ['base', ...REGULATORY_SCENARIO_IDS] as const;

export const scenarioIdSchema = z.string().refine((id) => id === 'base' || scenarioById(id) !== undefined, {
  message: 'unknown scenario id: use base, the six regulatory ids (parallel_up, parallel_down, steepener, flattener, short_up, short_down), parallel_up_100…parallel_down_400 or ramp_up_100…ramp_down_200',
});
export type ScenarioId = z.infer<typeof scenarioIdSchema>;

/** One point of a custom shock drawn in the scenario editor: the shift at a tenor, in bp. */
export const shockPointSchema = z.strictObject({
  tenorYears: z.number().positive('tenorYears is a positive number of years').max(100, 'tenorYears is at most 100'),
  bp: z.number().min(-5000, 'bp is at least −5000').max(5000, 'bp is at most 5000'),
});
export type ShockPoint = z.infer<typeof shockPointSchema>;

/**
 * `POST /api/workspaces/:wid/scenarios/preview`: the base and shocked zero curve of one currency of
 * a dataset, under a built-in scenario (`scenario`) or a custom shock by tenor (`shocks`, linear
 * between the points and flat outside): exactly one of the two.
 */
export const scenarioPreviewBodySchema = z.strictObject({
  datasetId: z.string().uuid('datasetId is the id of a dataset of this workspace'),
  /** default: the first currency (alphabetically) of the dataset's curves */
  currency: z.string().regex(/^[A-Z]{3}$/, 'currency is a three-letter code such as EUR').optional(),
  scenario: scenarioIdSchema.optional(),
  shocks: z.array(shockPointSchema).min(1, 'shocks needs at least one point').max(60, 'shocks has at most 60 points').optional(),
  /** the run's floor setting: 'eu' applies the post-shock lower bound to floorable scenarios */
  floor: z.enum(['eu', 'none']).default('eu'),
  /** a custom shock's `floorable` option (built-in scenarios carry their own) */
  floorable: z.boolean().default(true),
}).superRefine((body, ctx) => {
  if ((body.scenario === undefined) === (body.shocks === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['shocks'], message: 'give either shocks (custom points) or scenario (a built-in id), exactly one' });
  }
  const seen = new Set<number>();
  body.shocks?.forEach((point, i) => {
    if (seen.has(point.tenorYears)) ctx.addIssue({ code: 'custom', path: ['shocks', i, 'tenorYears'], message: `tenor ${point.tenorYears} appears twice; keep one point per tenor` });
    seen.add(point.tenorYears);
  });
});
export type ScenarioPreviewBody = z.infer<typeof scenarioPreviewBodySchema>;

export const scenarioPreviewPointSchema = z.object({
  tenorYears: z.number(),
  /** zero rates, decimals (0.025 for 2.5%) */
  base: z.number(),
  shocked: z.number(),
});
export const scenarioPreviewAnswerSchema = z.object({
  preview: z.object({
    datasetId: z.string(),
    currency: z.string(),
    curveId: z.string(),
    scenario: z.string(),
    floor: z.enum(['eu', 'none']),
    floorable: z.boolean(),
    points: z.array(scenarioPreviewPointSchema),
    /** currencies of the dataset's curves, for the editor's picker */
    currencies: z.array(z.string()),
  }),
});
export type ScenarioPreview = z.infer<typeof scenarioPreviewAnswerSchema>['preview'];
