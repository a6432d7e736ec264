/**
 * Globals of a notebook `ts` cell, for the editor (hover docs, completion, type checks).
 *
 * A `ts` cell runs in a QuickJS sandbox on the server. It has no `process`, `require`, `import`,
 * timers, network or files: `alm` is its only door out. `export`ed top-level names are the cell's
 * outputs (data only — numbers, strings, booleans, null, dates, arrays, plain objects, tables);
 * other top-level names stay local to the cell. Other cells' outputs are read-only globals.
 *
 * Every `alm` call is synchronous: it returns the value itself, no `await` needed. Each cell has
 * limits (memory, stack, wall time, output size, number of `alm` calls); breaking one ends the cell
 * with an error that names it.
 */

declare global {
  /** A value a cell can export, pass to `alm` or receive as an input. */
  type AlmValue = null | boolean | number | string | Date | AlmTable | AlmValue[] | { [key: string]: AlmValue | undefined };

  /** A row of a table: column name → value (dates come as ISO strings, big integers as numbers). */
  type AlmRow = Record<string, null | boolean | number | string>;

  /**
   * A table that lives on the server (DuckDB), never copied whole into the cell. Export it to make
   * it a named result other SQL cells can query; page it with `rows`.
   */
  interface AlmTable {
    /** The table's id on the server. */
    readonly name: string;
    /**
     * The first `limit` rows (default 100, at most 100 000).
     * @example const top = alm.sql`SELECT * FROM positions ORDER BY notional DESC`.rows(10);
     */
    rows(limit?: number): AlmRow[];
    /** The number of rows. */
    count(): number;
  }

  /** What `alm.dataset()` tells about the workspace's selected dataset. */
  interface AlmDataset {
    id: string;
    /** analysis date, yyyy-mm-dd */
    asOf: string;
    /** number of positions */
    positions: number;
    /** notional totals by side (asset, liability, …), in the reporting currency */
    totals: Record<string, number>;
  }

  /** One curve pillar of the dataset. */
  interface AlmCurvePoint {
    curveId: string;
    currency: string | null;
    /** as written in the data: ON, 1M, 10Y, … */
    tenor: string;
    /** the tenor in years */
    years: number;
    /** zero rate, decimal (0.025 for 2.5%) */
    rate: number;
  }

  /** Regulatory shock sizes of a currency, decimals (0.02 for 200 bp): R_parallel, R_short, R_long. */
  interface AlmShockSizes {
    parallel: number;
    short: number;
    long: number;
  }

  /** A custom scenario defined by `alm.scenario`; pass it (or its id) to `alm.run`. */
  interface AlmScenario {
    readonly id: string;
  }

  interface AlmScenarioOptions {
    /** display name (defaults to the id) */
    label?: string;
    /** floored by the EU post-shock lower bound when the run's floor is "eu" (default true) */
    floorable?: boolean;
    /** NII: months over which the shock builds linearly, 0 = instant (default 0) */
    rampMonths?: number;
    /**
     * Whose behavioural multipliers the run applies to prepayment (CPR) and term-deposit redemption
     * (TDRR) in this scenario: a regulatory scenario's (parallel_up: CPR ×0.8, TDRR ×1.2; …), "neutral"
     * (×1, the contractual rates), or "auto" (default): derived from the shock's direction at the short
     * end (overnight) and the long end (25 years), summed over currencies — both up: parallel_up's,
     * both down: parallel_down's, short down and long up: the steepener's, short up and long down:
     * the flattener's, no move: neutral. A rebuilt regulatory shock so gets that scenario's behaviour.
     */
    behaviour?: AlmBehaviour;
  }

  /** A regulatory scenario whose behavioural multipliers a custom scenario uses, "neutral", or "auto" (derived from the shock). */
  type AlmBehaviour = 'parallel_up' | 'parallel_down' | 'steepener' | 'flattener' | 'short_up' | 'short_down' | 'neutral' | 'auto';

  /** One non-maturing-deposit assumption (see the methodology's NMD section). */
  type AlmNmdAssumption = Record<string, string | number | boolean | null>;

  interface AlmRunSettings {
    /** scenario ids (built-in like "parallel_up", "parallel_up_200", or custom) and `alm.scenario` results; default the six regulatory ones */
    scenarios?: (string | AlmScenario)[];
    /** "full" revaluation (default) or the "standardised" 19-bucket approach */
    method?: 'full' | 'standardised';
    /** post-shock lower bound: "eu" (default) or "none" (BCBS) */
    floor?: 'eu' | 'none';
    /** NII horizon in months, 1 to 120 (default 12) */
    niiHorizonMonths?: number;
    nmd?: AlmNmdAssumption[];
    /** NII balance sheet: "constant" (default, repayments replaced) or "runoff" */
    balanceSheet?: 'constant' | 'runoff';
    /** extra attribute columns to break EVE and NII down by */
    breakdownBy?: string[];
    /** Tier 1 capital, for the outlier tests */
    tier1?: number;
  }

  /**
   * The engine's result as a plain object: EVE and NII by scenario, outlier tests, and its tables
   * (`tables.eve`, `tables.nii`, …) as AlmTable, also queryable by SQL as `<cell>_eve`, `<cell>_nii`, ….
   */
  type AlmRunResult = { [key: string]: any; tables: Record<string, AlmTable> };

  interface Alm {
    /**
     * Runs a read-only DuckDB query over the dataset (`positions`, `curves`, `schedules`) and earlier
     * results by name. Use it as a tagged template: every `${value}` is sent as a bound parameter,
     * never pasted into the SQL, so it can only be a value (string, finite number, boolean, null,
     * Date) — write table and column names in the text itself.
     * @example const eur = alm.sql`SELECT product, sum(notional) AS total FROM positions WHERE currency = ${ccy} GROUP BY product`;
     */
    sql(strings: TemplateStringsArray, ...values: (string | number | boolean | null | Date)[]): AlmTable;
    /**
     * A dataset table or an earlier cell's result, by name.
     * @example const byProduct = alm.table("by_product");
     */
    table(name: string): AlmTable;
    /** The selected dataset: id, as-of date, position count and totals. */
    dataset(): AlmDataset;
    /** The dataset's curve pillars. */
    curves(): AlmCurvePoint[];
    /**
     * The regulatory shock sizes of a currency (methodology table, EU 2024/856 / BCBS d368).
     * @example const { parallel } = alm.bcbs("EUR"); // 0.02
     */
    bcbs(currency: string): AlmShockSizes;
    /**
     * Defines a scenario from your own shock function: `shock(t, currency)` returns the decimal shift
     * of the zero rate at `t` years (0.01 for +100 bp). The sandbox evaluates it at every time the
     * engine reads a curve, for each of the dataset's currencies, so it must be a pure function of
     * its arguments and fast; call `alm.bcbs` outside it, not inside. `id` is lower-case letters,
     * digits and `_` (at most 64), and not a built-in scenario's id (`parallel_up`, `ramp_up_200`, …).
     * @example
     * const eur = alm.bcbs("EUR");
     * const twist = alm.scenario("twist", (t) => (t < 5 ? -0.01 : 0.01) * Math.min(1, Math.abs(t - 5) / 5), { floorable: true, behaviour: "steepener" });
     */
    scenario(id: string, shock: (t: number, currency: string) => number, options?: AlmScenarioOptions): AlmScenario;
    /**
     * Runs the engine on the server over the selected dataset (never inside the cell) and returns its result.
     * @example const r = alm.run({ scenarios: ["parallel_up", twist], niiHorizonMonths: 12 });
     */
    run(settings?: AlmRunSettings): AlmRunResult;
    /** Shows a grid of a table or of rows under the cell. */
    grid(data: AlmTable | AlmRow[]): void;
    /** Shows a chart under the cell (bar, stacked bar, line, waterfall; x, y, series, formats). */
    chart(spec: { [key: string]: AlmValue }): void;
    /**
     * Shows one figure under the cell.
     * @param format "money", "pct", "bp", … (as in Markdown interpolation)
     * @example alm.metric("ΔEVE parallel up", r.eve.parallel_up.delta, "money");
     */
    metric(label: string, value: AlmValue, format?: string): void;
  }

  /** The only door out of a `ts` cell: data, the engine, and outputs. */
  const alm: Alm;

  /** Lines printed here appear under the cell (at most 10 000 lines and the cell's output size). */
  const console: {
    log(...values: unknown[]): void;
    info(...values: unknown[]): void;
    debug(...values: unknown[]): void;
    warn(...values: unknown[]): void;
    error(...values: unknown[]): void;
  };
}

export {};
