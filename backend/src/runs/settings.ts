/**
 * The body of `POST /:wid/runs` (validated before anything is queued: bad settings → 422) and the
 * settings a run records: the contract's schemas (@almready/contracts runs.ts), shared with the SPA.
 */
import type { RunSettings as ContractRunSettings } from '@almready/contracts';
import type { CustomScenarioSamples } from './custom-scenarios.ts';

export {
  SCENARIO_IDS, assumptionsFileSchema, runRequestSchema, runSettingsSchema, toRunSettings,
  type RunRequest, type ScenarioId,
} from '@almready/contracts';

/** What a run records and passes to its worker, plus the scenarios a notebook cell defined. */
export type RunSettings = ContractRunSettings & {
  /** scenarios defined by a notebook cell (`alm.scenario`); their ids appear in `scenarios` */
  customScenarios?: CustomScenarioSamples[];
};
