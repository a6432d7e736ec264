/** Scenario ids a run request may name. */
import { z } from 'zod';
import { REGULATORY_SCENARIO_IDS, scenarioById } from '@almready/engine';

/** The set run when a request names no scenarios: base and the six regulatory shocks. */
export const SCENARIO_IDS = ['base', ...REGULATORY_SCENARIO_IDS] as const;

export const scenarioIdSchema = z.string().refine((id) => id === 'base' || scenarioById(id) !== undefined, {
  message: 'unknown scenario id: use base, the six regulatory ids (parallel_up, parallel_down, steepener, flattener, short_up, short_down), parallel_up_100…parallel_down_400 or ramp_up_100…ramp_down_200',
});
export type ScenarioId = z.infer<typeof scenarioIdSchema>;
