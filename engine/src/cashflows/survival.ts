/**
 * The behaviour recurrence (methodology §3, §5) and the floating coupon (§3), each defined once.
 * FlowGenerator (run, runScenarios, scheduled amortisation, fixings), deriveBehaviour, addDerived,
 * addFixedNii and the floating NII renewals call these. Four hot loops write a definition out,
 * where a call measured slower (V8's inlining budget, or an exp/log1p more per contract):
 * addFloatingScenarios' four lanes (coupon, behavioural principal), forwardTable (index forward),
 * addDerived3 and addFixedNii3 (survival from each lane's log1p(−SMM), taken once; the behavioural
 * principal on the balance left after the contractual principal, shared by the lanes),
 * addFloatingScenarios' survival (each scenario's log1p(−SMM) taken once per contract). Each copy is
 * pinned to these definitions bit for bit on random contracts: cashflows/survival.test.ts,
 * nii/fixed-nii.test.ts.
 */

/**
 * (1 − SMM)^months: the share of a balance that survives `months` months of behaviour (SMM the
 * single monthly mortality, behaviour.ts monthlyRate); 1 exactly without behaviour (smm 0). The
 * first remaining period passes its months after as_of (behaviour.ts firstPeriodMonths).
 */
export function survival(smm: number, months: number): number {
  return smm > 0 ? Math.exp(months * Math.log1p(-smm)) : 1;
}

/**
 * Principal repaid at a payment under behaviour, settled at payment dates: the contractual
 * `principal` due plus the prepaid (redeemed) share 1 − survival of the balance left after it.
 * survival 1: the contractual principal, exactly. The next balance is balance − this; an annuity's
 * instalment scales by `survival` (same rate, same remaining dates).
 */
export function behaviouralPrincipal(balance: number, principal: number, survival: number): number {
  return principal + (balance - principal) * (1 - survival);
}

/** Index forward over a reset period from the projection curve's discount factors: (DF(start)/DF(end) − 1)/τ. */
export function indexForward(dfStart: number, dfEnd: number, tau: number): number {
  return (dfStart / dfEnd - 1) / tau;
}

/** The coupon fixed at a reset: index forward + spread, bounded by floor and cap (NaN bound: none, as NaN compares false). */
export function floatingCoupon(forward: number, spread: number, floor: number, cap: number): number {
  let rate = forward + spread;
  if (rate < floor) rate = floor;
  if (rate > cap) rate = cap;
  return rate;
}
