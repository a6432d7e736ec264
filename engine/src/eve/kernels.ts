import { firstPeriodMonths, monthlyRate } from '../behaviour.ts';
import type { FlowBuffer } from '../cashflows/flow-buffer.ts';
import { ANNUITY, LINEAR, annuityInstalment, tau, type FlowGenerator } from '../cashflows/generate.ts';
import type { PositionColumns } from '../positions.ts';
import { behaviouralPrincipal, survival } from '../cashflows/survival.ts';

/**
 * Fused EVE kernels: the flows of one position go straight into the (group, slot) aggregates
 * instead of through a FlowBuffer, with the state in locals rather than scratch arrays. Each
 * performs exactly the floating-point operations of the general path (FlowGenerator.runScenarios /
 * deriveBehaviour followed by the slotting in evePass), in the same order, so results are identical
 * — the golden equivalence test holds them to it.
 */

/**
 * deriveBehaviour(contractual, …) added as sign·(interest + principal) into target[base + k·stride
 * + lane] for the k-th flow (full method: a MasterSums block, flow k on payment date k), or into
 * target[(base + slotByDay[day − asOf])·stride + lane] (standardised: base = the group's bucket
 * row). The caller interleaves the behaviour variants (stride = variant count, lane = variant) so
 * that one flow's variants land in one cache line.
 */
export function addDerived(
  contractual: FlowBuffer,
  notional: number,
  annual: number,
  frequencyMonths: number,
  asOf: number,
  target: Float64Array,
  base: number,
  sign: number,
  slotByDay: Uint8Array | null,
  stride: number,
  lane: number,
): void {
  const n = contractual.count;
  const days = contractual.day;
  const starts = contractual.accrualStart;
  const interests = contractual.interest;
  const principals = contractual.principal;
  const smm = annual > 0 ? monthlyRate(annual) : 0;
  const regular = survival(smm, frequencyMonths);
  // `+`: a number parameter starts a loop-carried value; without it V8 keeps the chain as boxed
  // numbers and allocates one per step (~1 KB per contract, most of the GC of a pass)
  let balance = +notional;
  let cumulative = 1;
  for (let k = 0; k < n; k++) {
    const day = days[k] as number;
    const principal = principals[k] as number;
    const interest = (interests[k] as number) * cumulative;
    let repaid = 0;
    if (k === n - 1 || smm === 0) repaid = k === n - 1 ? balance * cumulative : principal * cumulative;
    else {
      const start = starts[k] as number;
      const survived = k === 0 ? survival(smm, firstPeriodMonths(frequencyMonths, start, day, asOf)) : regular;
      repaid = cumulative * behaviouralPrincipal(balance, principal, survived);
      cumulative *= survived;
    }
    balance -= principal;
    const at = slotByDay === null ? base + k * stride + lane : (base + (slotByDay[day - asOf] as number)) * stride + lane;
    target[at] = (target[at] as number) + sign * (interest + repaid);
  }
}

/**
 * addDerived for three behaviour variants at once (the regulatory ×0.8 / ×1 / ×1.2), full method:
 * one walk over the contractual flows, the three survival chains side by side, flow k's variants
 * written to target[base + 3k + 0..2] (one cache line). Same operations per variant as addDerived.
 */
export function addDerived3(
  contractual: FlowBuffer,
  notional: number,
  annualA: number,
  annualB: number,
  annualC: number,
  frequencyMonths: number,
  asOf: number,
  target: Float64Array,
  base: number,
  sign: number,
): void {
  const n = contractual.count;
  const days = contractual.day;
  const starts = contractual.accrualStart;
  const interests = contractual.interest;
  const principals = contractual.principal;
  const smmA = annualA > 0 ? monthlyRate(annualA) : 0;
  const smmB = annualB > 0 ? monthlyRate(annualB) : 0;
  const smmC = annualC > 0 ? monthlyRate(annualC) : 0;
  // survival(smm, months) = exp(months·log1p(−smm)), the logarithm taken once per lane for the
  // regular and the first period: bit for bit the definition, a third fewer exp/log1p per
  // contract (survival.test.ts pins the lanes to it)
  const logA = smmA > 0 ? Math.log1p(-smmA) : 0;
  const logB = smmB > 0 ? Math.log1p(-smmB) : 0;
  const logC = smmC > 0 ? Math.log1p(-smmC) : 0;
  const regularA = smmA > 0 ? Math.exp(frequencyMonths * logA) : 1;
  const regularB = smmB > 0 ? Math.exp(frequencyMonths * logB) : 1;
  const regularC = smmC > 0 ? Math.exp(frequencyMonths * logC) : 1;
  // `+`: a number parameter starts a loop-carried value; without it V8 keeps the chain as boxed
  // numbers and allocates one per step (~1 KB per contract, most of the GC of a pass)
  let balance = +notional;
  let cumA = 1;
  let cumB = 1;
  let cumC = 1;
  for (let k = 0; k < n; k++) {
    const day = days[k] as number;
    const principal = principals[k] as number;
    const interest = interests[k] as number;
    // interest on the balance surviving before this payment
    const flowA = interest * cumA;
    const flowB = interest * cumB;
    const flowC = interest * cumC;
    let repaidA = 0;
    let repaidB = 0;
    let repaidC = 0;
    if (k === n - 1) {
      repaidA = balance * cumA;
      repaidB = balance * cumB;
      repaidC = balance * cumC;
    } else {
      // the first period counts only the share of it left after as_of
      let share = 0;
      if (k === 0) {
        const start = starts[k] as number;
        share = firstPeriodMonths(frequencyMonths, start, day, asOf);
      }
      // survival.ts behaviouralPrincipal written out on the balance left after the principal,
      // shared by the lanes: a call per lane was not always inlined and then passed every amount
      // boxed (survival.test.ts pins the lanes to the definition)
      const rest = balance - principal;
      if (smmA === 0) repaidA = principal * cumA;
      else {
        const survived = k === 0 ? Math.exp(share * logA) : regularA;
        repaidA = cumA * (principal + rest * (1 - survived));
        cumA *= survived;
      }
      if (smmB === 0) repaidB = principal * cumB;
      else {
        const survived = k === 0 ? Math.exp(share * logB) : regularB;
        repaidB = cumB * (principal + rest * (1 - survived));
        cumB *= survived;
      }
      if (smmC === 0) repaidC = principal * cumC;
      else {
        const survived = k === 0 ? Math.exp(share * logC) : regularC;
        repaidC = cumC * (principal + rest * (1 - survived));
        cumC *= survived;
      }
    }
    balance -= principal;
    const at = base + 3 * k;
    target[at] = (target[at] as number) + sign * (flowA + repaidA);
    target[at + 1] = (target[at + 1] as number) + sign * (flowB + repaidB);
    target[at + 2] = (target[at + 2] as number) + sign * (flowC + repaidC);
  }
}

let smmScratch = new Float64Array(16);
let logScratch = new Float64Array(16);

/**
 * A prepared floating contract (not scheduled) in every scenario, full method: forwards (per reset
 * and scenario) and behaviourRates[s] per scenario, flow k of scenario s added into
 * target[block + k·S + s] (a MasterSums block) — scenarios interleaved, so the S writes of one
 * payment share one or two cache lines, and a contract's payments are one contiguous stretch. The calendar is
 * the generator's and is walked once for four scenarios at a time (lanes a–d): the four balance
 * recursions are independent chains the CPU overlaps, and the reset walk, accrual fractions and
 * loop overhead are shared (base + 6 scenarios = two walks instead of four with pairs). Lanes past
 * the last scenario mirror it and write nothing.
 */
export function addFloatingScenarios(
  g: FlowGenerator,
  p: PositionColumns,
  i: number,
  /** forwardTable(g.resets, g.resetTaus, projections of the contract's index, asOf): [k·S + s] */
  forwards: Float64Array,
  behaviourRates: ArrayLike<number>,
  /** [block + k·S + s], S = behaviourRates.length (the scenario count) */
  target: Float64Array,
  block: number,
  sign: number,
  /**
   * Optional: scenario s's flows up to and including the first payment on or after captureUntil
   * go to capture[s] as well, with their accrual pieces (what FlowGenerator.runScenarios with that
   * untilDay gives — the NII pass reads them instead of projecting the contract again).
   */
  capture: readonly FlowBuffer[] | null = null,
  captureUntil = Number.POSITIVE_INFINITY,
): void {
  const dates = g.dates;
  const n = g.count;
  if (capture !== null) for (let s = 0; s < capture.length; s++) (capture[s] as FlowBuffer).clear();
  if (n === 0) return;
  const asOf = g.asOf;
  const taus = g.taus;
  const resets = g.resets;
  const amortization = g.amortization;
  const annuity = amortization === ANNUITY;
  const linear = amortization === LINEAR;
  const frequency = g.frequency;
  const dayCount = g.dayCount;
  const firstTau = +g.firstTau; // `+`: unboxed, like the taus it alternates with (see addDerived)
  const notional = p.notional[i] as number;
  const rate0 = p.rate[i] as number;
  const given = p.spread[i] as number;
  const spread = given === given ? given : 0; // NaN spread = none
  const floor = p.floor[i] as number;
  const cap = p.cap[i] as number;
  const instalment0 = +(annuity ? annuityInstalment(notional, rate0, frequency, n) : 0); // `+`: unboxed lanes (see addDerived)
  const perPeriod = frequency / 12; // annuityInstalment's i = r·f/12
  const S = behaviourRates.length;
  // monthly rates per scenario: only ~3 distinct annual rates (×0.8 / ×1 / ×1.2), Math.pow is ~60 ns
  // and survival(smm, months) = exp(months·log1p(−SMM)) written out on each scenario's logarithm,
  // taken once per distinct rate: bit for bit the definition (survival.test.ts), without a call per
  // lane that V8 did not inline
  if (smmScratch.length < S) {
    smmScratch = new Float64Array(2 * S);
    logScratch = new Float64Array(2 * S);
  }
  const firstMonths = firstPeriodMonths(frequency, g.previousRoll, dates[0] as number, asOf);
  for (let s = 0; s < S; s++) {
    const annual = behaviourRates[s] as number;
    let same = -1;
    for (let t = 0; t < s && same < 0; t++) if (behaviourRates[t] === annual) same = t;
    if (same >= 0) {
      smmScratch[s] = smmScratch[same] as number;
      logScratch[s] = logScratch[same] as number;
    } else {
      const smm = annual > 0 ? monthlyRate(annual) : 0;
      smmScratch[s] = smm;
      logScratch[s] = smm > 0 ? Math.log1p(-smm) : 0;
    }
  }
  for (let s = 0; s < S; s += 4) {
    // lanes past the last scenario mirror it and write nothing
    const sb = s + 1 < S ? s + 1 : S - 1;
    const sc = s + 2 < S ? s + 2 : S - 1;
    const sd = s + 3 < S ? s + 3 : S - 1;
    const writeB = s + 1 < S;
    const writeC = s + 2 < S;
    const writeD = s + 3 < S;
    const smmA = smmScratch[s] as number;
    const smmB = smmScratch[sb] as number;
    const smmC = smmScratch[sc] as number;
    const smmD = smmScratch[sd] as number;
    const behaves = smmA > 0 || smmB > 0 || smmC > 0 || smmD > 0;
    const logA = logScratch[s] as number;
    const logB = logScratch[sb] as number;
    const logC = logScratch[sc] as number;
    const logD = logScratch[sd] as number;
    const regularA = smmA > 0 ? Math.exp(frequency * logA) : 1;
    const regularB = smmA === smmB ? regularA : smmB > 0 ? Math.exp(frequency * logB) : 1;
    const regularC = smmA === smmC ? regularA : smmB === smmC ? regularB : smmC > 0 ? Math.exp(frequency * logC) : 1;
    const regularD = smmA === smmD ? regularA : smmB === smmD ? regularB : smmC === smmD ? regularC : smmD > 0 ? Math.exp(frequency * logD) : 1;
    let balanceA = notional;
    let balanceB = notional;
    let balanceC = notional;
    let balanceD = notional;
    let rateA = rate0;
    let rateB = rate0;
    let rateC = rate0;
    let rateD = rate0;
    let instalmentA = instalment0;
    let instalmentB = instalment0;
    let instalmentC = instalment0;
    let instalmentD = instalment0;
    let changed = false; // a reset fixes every lane at once
    const outA = capture === null ? null : (capture[s] as FlowBuffer);
    const outB = capture === null || !writeB ? null : (capture[sb] as FlowBuffer);
    const outC = capture === null || !writeC ? null : (capture[sc] as FlowBuffer);
    const outD = capture === null || !writeD ? null : (capture[sd] as FlowBuffer);
    if (outA !== null) outA.reserve(n);
    if (outB !== null) outB.reserve(n);
    if (outC !== null) outC.reserve(n);
    if (outD !== null) outD.reserve(n);
    let capturing = outA !== null;
    // the captured flows' accrual pieces, all lanes side by side, handed to the buffers after the
    // walk (keepPieces): eight inlined addPiece calls here took the inlining budget V8 then no
    // longer spent on tau's yearFraction, annuityInstalment and monthlyRate (measured). A piece
    // per reset and one per payment at most.
    let pieces = 0;
    if (capturing && pieceFlow.length < n + resets.length) growPieceScratch(n + resets.length);
    // survival over the first period (the share of it after as_of), then regularX
    let survivalA = smmA > 0 ? Math.exp(firstMonths * logA) : 1;
    let survivalB = smmA === smmB ? survivalA : smmB > 0 ? Math.exp(firstMonths * logB) : 1;
    let survivalC = smmA === smmC ? survivalA : smmB === smmC ? survivalB : smmC > 0 ? Math.exp(firstMonths * logC) : 1;
    let survivalD = smmA === smmD ? survivalA : smmB === smmD ? survivalB : smmC === smmD ? survivalC : smmD > 0 ? Math.exp(firstMonths * logD) : 1;
    let resetAt = g.firstReset;
    let nextReset = resetAt < resets.length ? (resets[resetAt] as number) : Number.POSITIVE_INFINITY;
    let a = g.previousRoll;
    for (let k = 0; k < n; k++) {
      const d = dates[k] as number;
      let interestA = 0;
      let interestB = 0;
      let interestC = 0;
      let interestD = 0;
      if (nextReset >= d) {
        const t = k === 0 ? firstTau : (taus[k] as number);
        interestA = balanceA * rateA * t;
        interestB = balanceB * rateB * t;
        interestC = balanceC * rateC * t;
        interestD = balanceD * rateD * t;
      } else {
        interestA = 0;
        interestB = 0;
        interestC = 0;
        interestD = 0;
        let start = a;
        while (nextReset < d) {
          if (nextReset > start) {
            const t = tau(dayCount, start, nextReset);
            const pieceA = balanceA * rateA * t;
            const pieceB = balanceB * rateB * t;
            const pieceC = balanceC * rateC * t;
            const pieceD = balanceD * rateD * t;
            interestA += pieceA;
            interestB += pieceB;
            interestC += pieceC;
            interestD += pieceD;
            if (capturing) {
              // a reset inside the period: NII accrues the segment before it at its own rate (§7)
              pieceFlow[pieces] = k;
              pieceEnd[pieces] = nextReset;
              pieceLanes[4 * pieces] = pieceA;
              pieceLanes[4 * pieces + 1] = pieceB;
              pieceLanes[4 * pieces + 2] = pieceC;
              pieceLanes[4 * pieces + 3] = pieceD;
              pieces++;
            }
            start = nextReset;
          }
          // FlowGenerator.fixing: forward over the reset period + spread, bounded by floor/cap (§3)
          const row = resetAt * S;
          // survival.ts floatingCoupon, written out: four more calls in this loop take the inlining
          // budget V8 spends on addPiece (measured); survival.test.ts pins the lanes to it
          rateA = (forwards[row + s] as number) + spread;
          if (rateA < floor) rateA = floor; // NaN bounds compare false: no bound
          if (rateA > cap) rateA = cap;
          rateB = (forwards[row + sb] as number) + spread;
          if (rateB < floor) rateB = floor;
          if (rateB > cap) rateB = cap;
          rateC = (forwards[row + sc] as number) + spread;
          if (rateC < floor) rateC = floor;
          if (rateC > cap) rateC = cap;
          rateD = (forwards[row + sd] as number) + spread;
          if (rateD < floor) rateD = floor;
          if (rateD > cap) rateD = cap;
          changed = true;
          resetAt++;
          nextReset = resetAt < resets.length ? (resets[resetAt] as number) : Number.POSITIVE_INFINITY;
        }
        const t = tau(dayCount, start, d);
        const pieceA = balanceA * rateA * t;
        const pieceB = balanceB * rateB * t;
        const pieceC = balanceC * rateC * t;
        const pieceD = balanceD * rateD * t;
        interestA += pieceA;
        interestB += pieceB;
        interestC += pieceC;
        interestD += pieceD;
        if (capturing && start > a) {
          pieceFlow[pieces] = k;
          pieceEnd[pieces] = d;
          pieceLanes[4 * pieces] = pieceA;
          pieceLanes[4 * pieces + 1] = pieceB;
          pieceLanes[4 * pieces + 2] = pieceC;
          pieceLanes[4 * pieces + 3] = pieceD;
          pieces++;
        }
      }
      const last = k === n - 1;
      let principalA = 0;
      let principalB = 0;
      let principalC = 0;
      let principalD = 0;
      if (last) {
        principalA = balanceA;
        principalB = balanceB;
        principalC = balanceC;
        principalD = balanceD;
      } else if (linear) {
        principalA = balanceA / (n - k);
        principalB = balanceB / (n - k);
        principalC = balanceC / (n - k);
        principalD = balanceD / (n - k);
      } else if (annuity) {
        if (changed) {
          // annuityInstalment for the four lanes at once: the same operations, but the lanes share
          // the exponent n − k, so the repeated squaring's data-dependent branch (mispredicted about
          // every other bit) is taken once for four lanes instead of once per lane
          const iA = rateA * perPeriod;
          const iB = rateB * perPeriod;
          const iC = rateC * perPeriod;
          const iD = rateD * perPeriod;
          if (Math.abs(iA) < 1e-14 || Math.abs(iB) < 1e-14 || Math.abs(iC) < 1e-14 || Math.abs(iD) < 1e-14) {
            instalmentA = annuityInstalment(balanceA, rateA, frequency, n - k);
            instalmentB = annuityInstalment(balanceB, rateB, frequency, n - k);
            instalmentC = annuityInstalment(balanceC, rateC, frequency, n - k);
            instalmentD = annuityInstalment(balanceD, rateD, frequency, n - k);
          } else {
            // n − k ≥ 2 here (not the last payment), a positive integer: annuityInstalment's squaring branch
            let xA = 1 + iA;
            let xB = 1 + iB;
            let xC = 1 + iC;
            let xD = 1 + iD;
            let powerA = 1;
            let powerB = 1;
            let powerC = 1;
            let powerD = 1;
            for (let m = n - k; m > 0; m >>>= 1) {
              if ((m & 1) === 1) {
                powerA *= xA;
                powerB *= xB;
                powerC *= xC;
                powerD *= xD;
              }
              xA *= xA;
              xB *= xB;
              xC *= xC;
              xD *= xD;
            }
            instalmentA = (balanceA * iA * powerA) / (powerA - 1);
            instalmentB = (balanceB * iB * powerB) / (powerB - 1);
            instalmentC = (balanceC * iC * powerC) / (powerC - 1);
            instalmentD = (balanceD * iD * powerD) / (powerD - 1);
          }
          changed = false;
        }
        principalA = interestA >= instalmentA ? 0 : Math.min(balanceA, instalmentA - interestA);
        principalB = interestB >= instalmentB ? 0 : Math.min(balanceB, instalmentB - interestB);
        principalC = interestC >= instalmentC ? 0 : Math.min(balanceC, instalmentC - interestC);
        principalD = interestD >= instalmentD ? 0 : Math.min(balanceD, instalmentD - interestD);
      }
      if (!last && behaves) {
        // survival over this period: the first counts only the share of it left after as_of (set
        // before the loop), every later one is regular; a lane without behaviour survives whole
        // (1: the principal gains (balance − principal)·0 and the instalment stays, exactly)
        // survival.ts behaviouralPrincipal, written out for the same reason as the coupon above
        principalA += (balanceA - principalA) * (1 - survivalA);
        instalmentA *= survivalA;
        principalB += (balanceB - principalB) * (1 - survivalB);
        instalmentB *= survivalB;
        principalC += (balanceC - principalC) * (1 - survivalC);
        instalmentC *= survivalC;
        principalD += (balanceD - principalD) * (1 - survivalD);
        instalmentD *= survivalD;
        survivalA = regularA;
        survivalB = regularB;
        survivalC = regularC;
        survivalD = regularD;
      }
      if (capturing) {
        capture1(outA as FlowBuffer, k, d, a, interestA, principalA);
        if (outB !== null) capture1(outB, k, d, a, interestB, principalB);
        if (outC !== null) capture1(outC, k, d, a, interestC, principalC);
        if (outD !== null) capture1(outD, k, d, a, interestD, principalD);
        if (d >= captureUntil) capturing = false;
      }
      const at = block + k * S + s;
      target[at] = (target[at] as number) + sign * (interestA + principalA);
      if (writeB) target[at + 1] = (target[at + 1] as number) + sign * (interestB + principalB);
      if (writeC) target[at + 2] = (target[at + 2] as number) + sign * (interestC + principalC);
      if (writeD) target[at + 3] = (target[at + 3] as number) + sign * (interestD + principalD);
      balanceA -= principalA;
      balanceB -= principalB;
      balanceC -= principalC;
      balanceD -= principalD;
      a = d;
    }
    if (pieces > 0) keepPieces(capture as readonly FlowBuffer[], s, writeD ? 4 : writeC ? 3 : writeB ? 2 : 1, pieces);
  }
}

// addFloatingScenarios' accrual pieces of the four lanes: flow, end, then the lanes' interest [4j + lane]
let pieceFlow = new Int32Array(256);
let pieceEnd = new Int32Array(256);
let pieceLanes = new Float64Array(4 * 256);

function growPieceScratch(size: number): void {
  pieceFlow = new Int32Array(2 * size);
  pieceEnd = new Int32Array(2 * size);
  pieceLanes = new Float64Array(8 * size);
}

/** The scratch pieces of lanes [0, lanes) become the pieces of the capture buffers of scenarios s, s + 1, … (cleared at the start: only these). */
function keepPieces(capture: readonly FlowBuffer[], s: number, lanes: number, pieces: number): void {
  for (let lane = 0; lane < lanes; lane++) (capture[s + lane] as FlowBuffer).setPieces(pieces, pieceFlow, pieceEnd, pieceLanes, lane, 4);
}

/** Flow k of a capture buffer (flows are captured from k = 0 on, so count = k + 1). */
function capture1(out: FlowBuffer, k: number, day: number, start: number, interest: number, principal: number): void {
  out.day[k] = day;
  out.accrualStart[k] = start;
  out.interest[k] = interest;
  out.principal[k] = principal;
  out.count = k + 1;
}

/**
 * Index forwards (DF(r_k)/DF(r_k+1) − 1)/τ_k of every reset period k of a cached reset list in
 * every scenario, [k·S + s] — the fixing before spread and floor/cap, as FlowGenerator.fixing
 * computes it. Thousands of contracts share ~100 reset lists, so the fixings become a sequential
 * read instead of two random reads of 90 KB grids and a division. Periods outside the grids: NaN
 * (never read: a contract only fixes resets after as_of and before its maturity).
 */
export function forwardTable(resets: Int32Array, resetTaus: Float64Array, projections: readonly Float64Array[], asOf: number): Float64Array {
  const S = projections.length;
  const K = Math.max(0, resets.length - 1);
  const out = new Float64Array(K * S);
  for (let k = 0; k < K; k++) {
    const from = (resets[k] as number) - asOf;
    const to = (resets[k + 1] as number) - asOf;
    const period = resetTaus[k] as number;
    for (let s = 0; s < S; s++) {
      const grid = projections[s] as Float64Array;
      // survival.ts indexForward, written out: evePass inlines this function, and the call took the
      // budget V8 then no longer spent on addByDay and MasterSums there (measured); pinned by survival.test.ts
      out[k * S + s] = from >= 0 && to < grid.length ? ((grid[from] as number) / (grid[to] as number) - 1) / period : Number.NaN;
    }
  }
  return out;
}
