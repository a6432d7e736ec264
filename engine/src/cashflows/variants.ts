import type { ScenarioMarket } from './scenario-market.ts';

/**
 * Scenarios grouped by behaviour multiplier, so prepayment (CPR, assets) and early redemption
 * (TDRR, liabilities) flows are generated once per distinct multiplier (×0.8 / ×1 / ×1.2, §5)
 * instead of once per scenario.
 */
export interface BehaviourVariant {
  multiplier: number;
  scenarios: number[];
}

function group(markets: readonly ScenarioMarket[], multiplierOf: (m: ScenarioMarket) => number): BehaviourVariant[] {
  const variants: BehaviourVariant[] = [];
  markets.forEach((m, s) => {
    const multiplier = multiplierOf(m);
    const found = variants.find((v) => v.multiplier === multiplier);
    if (found) found.scenarios.push(s);
    else variants.push({ multiplier, scenarios: [s] });
  });
  return variants;
}

export function behaviourVariants(markets: readonly ScenarioMarket[]): { asset: BehaviourVariant[]; liability: BehaviourVariant[] } {
  return { asset: group(markets, (m) => m.cprMultiplier), liability: group(markets, (m) => m.tdrrMultiplier) };
}
