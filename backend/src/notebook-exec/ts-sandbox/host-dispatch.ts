/**
 * Server side of an `alm` call: parse and validate the payload the sandbox sent, check table ids
 * against those this cell was given, call the host port, encode its answer. Each cell run gets one
 * dispatcher, so issued tables and the call count are per cell.
 */
import type { CellValue } from './cell-result.ts';
import { isTableRef } from './cell-result.ts';
import { AlmHostError, hostCallSchemas, type AlmHost, type HostOp } from './alm-host.ts';
import { parseCellJson } from './run-cell.ts';

export type DispatchResult = { ok: true; value: string } | { ok: false; message: string; fatal?: 'host-call-limit' };

/** Every TableRef inside a value, so the cell may later page the tables it was handed. */
export function collectTableIds(value: unknown, into: Set<string>): void {
  if (isTableRef(value)) into.add(value.$almTable);
  else if (Array.isArray(value)) for (const item of value) collectTableIds(item, into);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) collectTableIds(item, into);
}

export class HostDispatcher {
  private calls = 0;
  readonly issued = new Set<string>();

  constructor(private readonly host: AlmHost, private readonly maxCalls: number, private readonly onUnexpected: (error: unknown, op: string) => void) {}

  async dispatch(op: string, payloadText: string): Promise<DispatchResult> {
    this.calls += 1;
    if (this.calls > this.maxCalls) return { ok: false, fatal: 'host-call-limit', message: `the cell made more than ${this.maxCalls} alm calls; batch the work into fewer queries` };
    if (!Object.hasOwn(hostCallSchemas, op)) return { ok: false, message: `alm has no operation "${op}"` };
    let payload: unknown;
    try {
      payload = parseCellJson(payloadText);
    } catch (error) {
      return { ok: false, message: `alm.${op}: ${error instanceof Error ? error.message : 'unreadable request'}` };
    }
    const parsed = hostCallSchemas[op as HostOp].safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { ok: false, message: `alm.${op}: ${issue?.path.length ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'invalid request'}` };
    }
    try {
      const value = await this.call(op as HostOp, parsed.data);
      collectTableIds(value, this.issued);
      return { ok: true, value: JSON.stringify(value ?? null) };
    } catch (error) {
      if (error instanceof AlmHostError) return { ok: false, message: error.message };
      this.onUnexpected(error, op);
      return { ok: false, message: `alm.${op} failed on the server (internal error)` };
    }
  }

  private requireIssued(table: string): void {
    if (!this.issued.has(table)) throw new AlmHostError(`unknown table handle "${table}"; use a table from alm.sql, alm.table, alm.run or a cell input`);
  }

  private async call(op: HostOp, p: unknown): Promise<CellValue | object> {
    const h = this.host;
    switch (op) {
      case 'sql': return h.sql(p as never);
      case 'table': return h.table((p as { name: string }).name);
      case 'rows': {
        const { table, limit } = p as { table: string; limit: number };
        this.requireIssued(table);
        return h.rows(table, limit);
      }
      case 'count': {
        const { table } = p as { table: string };
        this.requireIssued(table);
        return h.count(table);
      }
      case 'dataset': return h.dataset();
      case 'curves': return h.curves();
      case 'bcbs': return h.bcbs((p as { currency: string }).currency);
      case 'shockGrid': return h.shockGrid();
      case 'scenario': return h.scenario(p as never);
      case 'run': return h.run(p as never);
    }
  }
}
