/**
 * Ordered upgrades of the persisted notebook format. Step i turns version i into version i+1;
 * a document is run through every step from its own version to the current one. Changing the
 * format means: bump the version, add a step here and a fixture of the old version under
 * `fixtures/` (old fixtures are never edited).
 *
 * 1 → 2: the file became Markdown (the reader in `text-file.ts` yields the same object shape, so
 * the step itself only sees objects); a `grid` cell's source, which was a bare result name, becomes
 * the JSON spec `{"data": name}`; the `input` kind and the `lazy` options are new.
 */
export interface NotebookMigration {
  from: number;
  to: number;
  migrate: (document: Record<string, unknown>) => Record<string, unknown>;
}

export const CURRENT_NOTEBOOK_VERSION = 2;

const gridSpecFromName = (cell: unknown): unknown => {
  if (typeof cell !== 'object' || cell === null || Array.isArray(cell)) return cell;
  const c = cell as Record<string, unknown>;
  if (c.kind !== 'grid' || typeof c.source !== 'string' || !/^\s*[A-Za-z_][A-Za-z0-9_]*\s*$/.test(c.source)) return cell;
  return { ...c, source: JSON.stringify({ data: c.source.trim() }) };
};

export const notebookMigrations: NotebookMigration[] = [
  { from: 1, to: 2, migrate: (d) => (Array.isArray(d.cells) ? { ...d, cells: d.cells.map(gridSpecFromName) } : d) },
];

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
