/**
 * Shapes of the API answers the SPA reads: all of them the contracts' own types
 * (@almready/contracts, z.infer of the schemas the server validates with), under the names the
 * SPA's components use. Only the generic `{columns, rows}` reader shape is declared here.
 */
export {
  hasRole, WORKSPACE_ROLES as ROLE_ORDER,
  type AdminUser, type AuditEvent, type DatasetMeta, type Member, type Notebook, type NotebookSummary,
  type Run, type RunSettings, type RunStatus, type RunSummary, type OutlierTest, type OutlierTests,
  type SqlResult, type User, type UserRole, type Workspace, type WorkspaceRole,
  type ColumnInfo as ResultColumn, type ImportError as ValidationError, type PageResult as QueryResult,
  type EveTable, type NiiTable, type GapTable, type EveRow, type NiiRow, type GapRow,
} from '@almready/contracts';
import type { ColumnInfo } from '@almready/contracts';

/** Any `{columns, rows}` answer (result tables, grid pages, SQL). */
export interface TableResult { columns: ColumnInfo[]; rows: Record<string, unknown>[] }
