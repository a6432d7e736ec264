/**
 * Reusable columnar buffer for the flows of ONE position (no per-flow objects).
 * accrualStart is the start of the interest period a flow pays (NII spreads interest over it).
 */
export class FlowBuffer {
  count = 0;
  day: Int32Array;
  accrualStart: Int32Array;
  interest: Float64Array;
  principal: Float64Array;

  constructor(capacity = 1024) {
    this.day = new Int32Array(capacity);
    this.accrualStart = new Int32Array(capacity);
    this.interest = new Float64Array(capacity);
    this.principal = new Float64Array(capacity);
  }

  clear(): void {
    this.count = 0;
  }

  /** Room for `extra` more flows (callers then write the arrays directly and set count). */
  reserve(extra: number): void {
    while (this.count + extra > this.day.length) this.grow();
  }

  push(day: number, accrualStart: number, interest: number, principal: number): void {
    if (this.count === this.day.length) this.grow();
    const k = this.count++;
    this.day[k] = day;
    this.accrualStart[k] = accrualStart;
    this.interest[k] = interest;
    this.principal[k] = principal;
  }

  private grow(): void {
    const size = Math.max(16, this.day.length * 2);
    const day = new Int32Array(size);
    day.set(this.day);
    const accrualStart = new Int32Array(size);
    accrualStart.set(this.accrualStart);
    const interest = new Float64Array(size);
    interest.set(this.interest);
    const principal = new Float64Array(size);
    principal.set(this.principal);
    Object.assign(this, { day, accrualStart, interest, principal });
  }
}
