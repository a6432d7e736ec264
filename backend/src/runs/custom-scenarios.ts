/**
 * A run's custom scenarios (a notebook's `alm.scenario`), carried as samples of the quant's shock
 * function on the engine's own times: serialisable (they cross to the calculation worker and are
 * recorded with the run's settings), and rebuilt there as engine scenarios that return exactly
 * those values where the engine reads the shock.
 */
import type { Scenario } from '@almready/engine';
import { engineShockTimes, sampledShock } from '../notebook-exec/ts-sandbox/scenario-grid.ts';

export type { CustomScenarioSamples } from '@almready/contracts';
import type { CustomScenarioSamples } from '@almready/contracts';

export function engineScenario(samples: CustomScenarioSamples): Scenario {
  const times = engineShockTimes(samples.horizonDays);
  const shocks = new Map(Object.entries(samples.shifts).map(([currency, shifts]) => [currency, sampledShock(times, shifts)]));
  return {
    id: samples.id,
    label: samples.label,
    floorable: samples.floorable,
    rampMonths: samples.rampMonths,
    // recorded before behaviours were chosen: absent, the custom id's own (neutral) behaviour
    ...(samples.behaviour !== undefined ? { behaviour: samples.behaviour } : {}),
    shock: (currency) => {
      const shock = shocks.get(currency);
      if (!shock) throw new Error(`scenario ${samples.id} has no shifts for currency ${currency}; its function was sampled for ${[...shocks.keys()].join(', ') || 'no currency'}`);
      return shock;
    },
  };
}
