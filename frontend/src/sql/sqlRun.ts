import type { ApiFailure } from '../api/http.ts';
import type { SqlResult } from '../api/types.ts';

/** What the SQL tab shows: the last answer with the SQL it answered, or the last error. */
export interface SqlRunState {
  result: SqlResult | null;
  /** the SQL text `result` answers */
  resultSql: string | null;
  error: ApiFailure | string | null;
}

export const EMPTY_RUN: SqlRunState = { result: null, resultSql: null, error: null };

/**
 * After a run: an answer replaces everything; a failure clears the previous answer, which would
 * otherwise sit under the error as if it were this query's.
 */
export function afterRun(sql: string, answer: { ok: true; value: SqlResult } | { ok: false; error: ApiFailure | string }): SqlRunState {
  return answer.ok ? { result: answer.value, resultSql: sql, error: null } : { result: null, resultSql: null, error: answer.error };
}

/** The shown result no longer answers the text in the editor. */
export function isStale(state: SqlRunState, sql: string): boolean {
  return state.result !== null && state.resultSql !== sql;
}
