/**
 * Ordered upgrades of the persisted notebook format. Step i turns version i into version i+1;
 * a document is run through every step from its own version to the current one. Version 1 is
 * the first published format, so the list is empty for now — add a step (and a fixture of the
 * old version under `fixtures/`) whenever the format changes.
 */
export interface NotebookMigration {
  from: number;
  to: number;
  migrate: (document: Record<string, unknown>) => Record<string, unknown>;
}

export const CURRENT_NOTEBOOK_VERSION = 1;
export const notebookMigrations: NotebookMigration[] = [];

export type MigrationResult = { ok: true; value: unknown } | { ok: false; reason: string };

export function migrateToCurrent(value: unknown, migrations = notebookMigrations, current = CURRENT_NOTEBOOK_VERSION): MigrationResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'A notebook must be a JSON object.' };
  let document = value as Record<string, unknown>;
  if (document.format !== 'almready-notebook') return { ok: false, reason: 'Not an ALMReady notebook: "format" must be "almready-notebook".' };
  const declared = document.version;
  if (typeof declared !== 'number' || !Number.isInteger(declared) || declared < 1) return { ok: false, reason: 'Notebook "version" must be a positive integer.' };
  let version = declared;
  if (version > current) return { ok: false, reason: `Notebook format version ${version} is newer than this ALMReady (${current}); upgrade ALMReady to open it.` };
  while (version < current) {
    const step = migrations.find((m) => m.from === version);
    if (!step) return { ok: false, reason: `No upgrade from notebook format version ${version}.` };
    document = { ...step.migrate(document), version: step.to };
    version = step.to;
  }
  return { ok: true, value: document };
}
