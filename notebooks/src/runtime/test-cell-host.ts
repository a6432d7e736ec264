/**
 * A `CellHost` in memory for the runner's tests: each SQL or ts cell is answered by a function the
 * test gives (by cell id) from the cell's current source and its inputs' rows, so an edit, an
 * input or a failure changes real numbers downstream. Result tables are kept by id, content-keyed
 * as the real host names them, and every call is recorded.
 */
import type { SqlCell, TsCell } from '../format/schema.ts';
import { FIRST_PAGE_ROWS, type CellValue, type TableHandle, type TsOutput } from './outputs.ts';
import type { CellCall, CellHost, HostResult, InputBinding } from './ports.ts';

export type Row = Record<string, CellValue>;
type Failure = { ok: false; message: string; line?: number; column?: number };

export interface TestSqlContext { source: string; inputs: Readonly<Record<string, InputBinding>>; rowsOf(binding: InputBinding | undefined): Row[]; call: CellCall<SqlCell> }
export interface TestTsContext { source: string; inputs: Readonly<Record<string, InputBinding>>; rowsOf(binding: InputBinding | undefined): Row[]; value(name: string): CellValue | undefined; table(name: string, rows: Row[]): TableHandle; call: CellCall<TsCell> }
export type TestTsAnswer = Partial<Omit<TsOutput, 'kind'>> | Failure;

export class TestCellHost implements CellHost {
  readonly calls: { cellId: string; kind: 'sql' | 'ts'; version: number; cacheKey: string }[] = [];
  readonly tables = new Map<string, Row[]>();

  constructor(private readonly answers: {
    sql?: Record<string, (ctx: TestSqlContext) => Row[] | Failure | Promise<Row[] | Failure>>;
    ts?: Record<string, (ctx: TestTsContext) => TestTsAnswer | Promise<TestTsAnswer>>;
  }) {}

  async runSql(call: CellCall<SqlCell>): Promise<HostResult<{ kind: 'sql'; table: TableHandle }>> {
    this.calls.push({ cellId: call.cell.id, kind: 'sql', version: call.notebook.version, cacheKey: call.cacheKey });
    const answer = this.answers.sql?.[call.cell.id];
    if (answer === undefined) return { ok: false, message: `no test answer for sql cell ${call.cell.id}` };
    const rows = await answer({ source: call.cell.source, inputs: call.inputs, rowsOf: (b) => this.rowsOf(b), call });
    if (!Array.isArray(rows)) return rows;
    return { ok: true, output: { kind: 'sql', table: this.store(call.cell.name ?? call.cell.id, call.cacheKey, rows) } };
  }

  async runTs(call: CellCall<TsCell>): Promise<HostResult<TsOutput>> {
    this.calls.push({ cellId: call.cell.id, kind: 'ts', version: call.notebook.version, cacheKey: call.cacheKey });
    const answer = this.answers.ts?.[call.cell.id];
    if (answer === undefined) return { ok: false, message: `no test answer for ts cell ${call.cell.id}` };
    const tables: Record<string, TableHandle> = {};
    const result = await answer({
      source: call.cell.source,
      inputs: call.inputs,
      rowsOf: (b) => this.rowsOf(b),
      value: (name) => { const b = call.inputs[name]; return b?.kind === 'value' ? b.value : undefined; },
      table: (name, rows) => (tables[name] = this.store(name, `${call.cacheKey}:${name}`, rows)),
      call,
    });
    if ('ok' in result) return result;
    return { ok: true, output: { kind: 'ts', values: result.values ?? {}, tables: { ...tables, ...result.tables }, console: result.console ?? [], views: result.views ?? [] } };
  }

  ranCells(): string[] {
    return this.calls.map((c) => c.cellId);
  }

  private rowsOf(binding: InputBinding | undefined): Row[] {
    if (binding?.kind !== 'table') throw new Error('not a table input');
    const rows = this.tables.get(binding.table.id);
    if (rows === undefined) throw new Error(`table ${binding.table.id} is not in the test host`);
    return rows;
  }

  private store(name: string, key: string, rows: Row[]): TableHandle {
    const id = `t_${name}_${key.slice(0, 12)}${key.includes(':') ? key.slice(key.indexOf(':')) : ''}`;
    this.tables.set(id, rows);
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))].map((c) => ({ name: c, type: typeof rows.find((r) => r[c] !== null)?.[c] === 'number' ? 'DOUBLE' : 'VARCHAR' }));
    return { id, name, rowCount: rows.length, columns, firstPage: rows.slice(0, FIRST_PAGE_ROWS) };
  }
}
