/**
 * Reusable columnar buffer for the flows of ONE position (no per-flow objects).
 * accrualStart is the start of the interest period a flow pays: NII accrues the interest over it
 * day by day (§7). Where the period's interest does not accrue evenly — a reset inside it, or a
 * scheduled repayment changing the balance — the flow also has accrual pieces: consecutive
 * entries j with pieceFlow[j] = its index, piece j covering [the previous piece's end (the first:
 * accrualStart), pieceEnd[j]) and accruing pieceInterest[j] evenly over its days; a flow's pieces
 * cover its period and add up to its interest, and come in flow order. Flows without pieces
 * accrue evenly over their period. EVE reads only day, interest and principal.
 */
export class FlowBuffer {
  count = 0;
  day: Int32Array;
  accrualStart: Int32Array;
  interest: Float64Array;
  principal: Float64Array;
  pieces = 0;
  pieceFlow: Int32Array;
  pieceEnd: Int32Array;
  pieceInterest: Float64Array;

  constructor(capacity = 1024) {
    this.day = new Int32Array(capacity);
    this.accrualStart = new Int32Array(capacity);
    this.interest = new Float64Array(capacity);
    this.principal = new Float64Array(capacity);
    this.pieceFlow = new Int32Array(16);
    this.pieceEnd = new Int32Array(16);
    this.pieceInterest = new Float64Array(16);
  }

  clear(): void {
    this.count = 0;
    this.pieces = 0;
  }

  /** An accrual piece of flow `flow` ending on `end` (see the class comment). */
  addPiece(flow: number, end: number, interest: number): void {
    if (this.pieces === this.pieceFlow.length) this.growPieces();
    const j = this.pieces++;
    this.pieceFlow[j] = flow;
    this.pieceEnd[j] = end;
    this.pieceInterest[j] = interest;
  }

  /**
   * The pieces added since `mark` become flow `flow`'s when there are two or more (its period was
   * split); a single piece is the whole period and is dropped (even accrual says the same).
   */
  keepPieces(mark: number, flow: number): void {
    if (this.pieces - mark < 2) {
      this.pieces = mark;
      return;
    }
    this.pieceFlow.fill(flow, mark, this.pieces);
  }

  /**
   * Replaces the pieces with `count` given ones: piece j is flow flows[j], ending ends[j], with
   * interest values[offset + j·stride] (one lane of interleaved values). One capacity check for
   * all, where addPiece checks each.
   */
  setPieces(count: number, flows: Int32Array, ends: Int32Array, values: Float64Array, offset: number, stride: number): void {
    while (this.pieceFlow.length < count) this.growPieces();
    const pieceFlow = this.pieceFlow;
    const pieceEnd = this.pieceEnd;
    const pieceInterest = this.pieceInterest;
    for (let j = 0; j < count; j++) {
      pieceFlow[j] = flows[j] as number;
      pieceEnd[j] = ends[j] as number;
      pieceInterest[j] = values[offset + j * stride] as number;
    }
    this.pieces = count;
  }

  private growPieces(): void {
    const size = this.pieceFlow.length * 2;
    const pieceFlow = new Int32Array(size);
    pieceFlow.set(this.pieceFlow);
    const pieceEnd = new Int32Array(size);
    pieceEnd.set(this.pieceEnd);
    const pieceInterest = new Float64Array(size);
    pieceInterest.set(this.pieceInterest);
    Object.assign(this, { pieceFlow, pieceEnd, pieceInterest });
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
