/**
 * The import's one set of rules: uploaded files are staged, parsed and checked in a DuckDB
 * database, leaving the valid rows as `clean_positions` (view, file order), `clean_schedules` and
 * `curves` (tables). Both consumers start here: an upload writes those tables to Parquet
 * (import-dataset.ts) and `almready calc` reads them straight into engine columns
 * (read-sources.ts), so the same bad file gets the same error list either way.
 */
import type { CurveRow } from '@almready/engine';
import type { DuckDb } from '../duckdb.ts';
import { MAX_LISTED_ERRORS, fileError, positionOutputColumns, positionRules, scheduleOutputColumns, scheduleRules, POSITION_COLUMNS, SCHEDULE_COLUMNS, type ImportError } from '../schema/index.ts';
import { publicImportError, readCurves, readingFile, stageBankSchedules, stagePositions, stageScheduleCsv, validateStaged, type ValidationOutcome } from '../import/index.ts';
import { writeCurvesTable } from './dataset-writer.ts';
import type { ImportDatasetOptions } from './import-options.ts';

/** The files cannot become a dataset: the errors to show (at most MAX_LISTED_ERRORS) and how many there are. */
export class ImportRefused {
  constructor(readonly errors: ImportError[], readonly total: number) {}
}

export interface ValidatedSources {
  asOf: string;
  /** canonical column → the source column it was read from */
  mapping: Record<string, string>;
  attributes: string[];
  ignored: string[];
  curves: CurveRow[];
  /** every error of every rule (0 unless `skipInvalid`), the listed ones, and the rows they reject */
  total: number;
  listed: ImportError[];
  skippedRows: number;
}

export type ValidateOptions = Pick<ImportDatasetOptions, 'asOf' | 'sources' | 'mapping' | 'skipInvalid' | 'dateFormat' | 'zipLimits'> & {
  onProgress?: (fraction: number) => void;
};

/**
 * Stages and validates the sources into `db` (which must hold nothing yet). Throws ImportRefused
 * with every listed error when the files cannot be used (any invalid row, unless `skipInvalid`).
 * `mappingUsed` receives the mapping as soon as it is known, so a refusal can still report it.
 */
export async function validateSources(
  db: DuckDb,
  options: ValidateOptions,
  stagingDir: string,
  mappingUsed: (mapping: Record<string, string>) => void = () => undefined,
): Promise<ValidatedSources> {
  const progress = (f: number) => options.onProgress?.(f);
  await db.run('CREATE TABLE sources (src INTEGER, name VARCHAR)');
  let nextSrc = 0;
  const addSource = async (name: string) => {
    const src = nextSrc++;
    await db.run('INSERT INTO sources VALUES (?, ?)', [src, name]);
    return src;
  };
  const positionsFile = options.sources.positions ?? options.sources.bankZip;
  if (!positionsFile) throw new ImportRefused([fileError('', 'no positions file given (positions or bankZip)')], 1);
  const staged = await stagePositions(db, { file: positionsFile, stagingDir, mapping: options.mapping, dateFormat: options.dateFormat ?? 'iso', addSource, ...(options.zipLimits ? { zipLimits: options.zipLimits } : {}) });
  mappingUsed(staged.mapping);
  if (!staged.ok) throw new ImportRefused(staged.errors, staged.errors.length);
  progress(0.3);

  const asOf = options.asOf ?? staged.asOf;
  if (!asOf) throw new ImportRefused([fileError(positionsFile.originalName, 'no analysis date: give asOf (yyyy-mm-dd); only the bank ZIP export carries its own Reference day', 'as_of')], 1);

  const curves = options.sources.curves ? await readCurves(options.sources.curves, options.zipLimits) : undefined;
  if (curves && !curves.ok) throw new ImportRefused(curves.errors.slice(0, MAX_LISTED_ERRORS), curves.errors.length);

  const outcomes: ValidationOutcome[] = [];
  const positionsRead = await readingFile(positionsFile.originalName, () => validateStaged(db, {
    staged: 'staged_positions', name: 'clean_positions', specs: POSITION_COLUMNS, parse: staged.parse, uniqueColumn: 'position_id',
    rules: () => positionRules({ ...staged.parse, asOf, ...(curves?.ok ? { curves: { ids: curves.ids, currencies: curves.currencies } } : {}) }),
    output: positionOutputColumns(staged.attributes), keep: staged.attributes,
  }));
  if (!positionsRead.ok) throw new ImportRefused([positionsRead.error], 1);
  const positions = positionsRead.value;
  outcomes.push(positions);
  progress(0.6);

  const scheduleTables: string[] = [];
  const scheduleSources = [
    ...(staged.bankSchedules && staged.bankSchedules.rows > 0 ? [{ table: 'staged_bank_schedules', file: positionsFile.originalName, run: () => stageBankSchedules(db, 'staged_bank_schedules', staged.bankSchedules!) }] : []),
    ...(options.sources.schedules ? [{
      table: 'staged_file_schedules', file: options.sources.schedules.originalName,
      run: async () => stageScheduleCsv(db, 'staged_file_schedules', { file: options.sources.schedules!, stagingDir, dateFormat: options.dateFormat ?? 'iso', src: await addSource(options.sources.schedules!.originalName) }),
    }] : []),
  ];
  for (const source of scheduleSources) {
    const result = await source.run();
    if (!result.ok) throw new ImportRefused(result.errors, result.errors.length);
    const name = `clean_${source.table.replace('staged_', '')}`;
    const read = await readingFile(source.file, () => validateStaged(db, {
      staged: source.table, name, specs: SCHEDULE_COLUMNS, parse: result.parse,
      rules: () => scheduleRules(result.parse, 'clean_positions'), output: scheduleOutputColumns(),
    }));
    if (!read.ok) throw new ImportRefused([read.error], 1);
    outcomes.push(read.value);
    scheduleTables.push(name);
  }
  const total = outcomes.reduce((n, o) => n + o.total, 0);
  const listed = outcomes.flatMap((o) => o.listed).slice(0, MAX_LISTED_ERRORS);
  if (total > 0 && !options.skipInvalid) throw new ImportRefused(listed, total);
  if (positions.validRows === 0) throw new ImportRefused(listed.length ? listed : [fileError(positionsFile.originalName, 'the file has no position rows')], Math.max(total, 1));
  progress(0.7);

  await db.run(scheduleTables.length === 0
    ? 'CREATE TABLE clean_schedules (position_id VARCHAR, date DATE, principal DOUBLE)'
    : `CREATE TABLE clean_schedules AS ${scheduleTables.map((t) => `SELECT * FROM ${t}`).join(' UNION ALL ')}`);
  const curveRows = curves?.ok ? curves.rows : [];
  await writeCurvesTable(db, curveRows);
  return {
    asOf, mapping: staged.mapping, attributes: staged.attributes, ignored: staged.ignored, curves: curveRows,
    total, listed, skippedRows: outcomes.reduce((n, o) => n + o.invalidRows, 0),
  };
}

/** A refusal as the user sees it: whatever a parser said about a file, no server path. */
export function publicRefusal(error: ImportRefused, options: Pick<ImportDatasetOptions, 'sources'>, workspaceDir: string): ImportError[] {
  const known = [
    ...Object.values(options.sources).flatMap((f) => (f ? [{ path: f.path, label: f.originalName }] : [])),
    { path: workspaceDir, label: 'the file' },
  ];
  return error.errors.map((e) => publicImportError(e, known));
}
