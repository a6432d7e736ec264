import { firstPeriodMonths, monthlyRate } from '../behaviour.ts';
import type { FlowBuffer } from './flow-buffer.ts';
import { behaviouralPrincipal, survival } from './survival.ts';

/**
 * Flows of a fixed-rate bullet, linear or annuity contract under a prepayment / redemption rate,
 * derived from its contractual flows (run with rate 0) instead of re-projecting it. With the
 * conventions of FlowGenerator (survival.ts: survival (1 − SMM)^f per period, linear = balance/remaining,
 * annuity instalment scaled by the survival) the balance path is the contractual one times the
 * cumulative survival Π_k, so: interest_k = I_k·Π_k, principal_k = Π_k·behaviouralPrincipal(B_k, P_k, s_k),
 * the last flow repays B·Π. Exactly what FlowGenerator.run gives, at a fraction of the cost.
 */
export function deriveBehaviour(contractual: FlowBuffer, notional: number, annual: number, frequencyMonths: number, asOf: number, out: FlowBuffer): void {
  const n = contractual.count;
  out.clear();
  out.reserve(n);
  const smm = annual > 0 ? monthlyRate(annual) : 0;
  const regular = survival(smm, frequencyMonths);
  let balance = +notional; // contractual balance before flow k; `+` keeps the chain unboxed (eve/kernels.ts addDerived)
  let cumulative = 1; // Π_k
  for (let k = 0; k < n; k++) {
    const day = contractual.day[k] as number;
    const start = contractual.accrualStart[k] as number;
    const interest = contractual.interest[k] as number;
    const principal = contractual.principal[k] as number;
    out.day[k] = day;
    out.accrualStart[k] = start;
    out.interest[k] = interest * cumulative;
    if (k === n - 1 || smm === 0) {
      out.principal[k] = k === n - 1 ? balance * cumulative : principal * cumulative;
    } else {
      const survived = k === 0 ? survival(smm, firstPeriodMonths(frequencyMonths, start, day, asOf)) : regular;
      out.principal[k] = cumulative * behaviouralPrincipal(balance, principal, survived);
      cumulative *= survived;
    }
    balance -= principal;
  }
  out.count = n;
}
