/**
 * The body of `POST /:wid/runs` (validated before anything is queued: bad settings → 422) and the
 * settings a run records: the contract's schemas (@almready/contracts runs.ts), shared with the SPA.
 */
export {
  SCENARIO_IDS, assumptionsFileSchema, runRequestSchema, runSettingsSchema, toRunSettings,
  type RunRequest, type RunSettings, type ScenarioId,
} from '@almready/contracts';
