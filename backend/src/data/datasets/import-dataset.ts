/**
 * Turns uploaded files into an immutable dataset directory `<workspaceDir>/datasets/<id>/`
 * (positions/curves/schedules Parquet, manifest.json). Everything is built in a `.tmp-<uuid>`
 * directory and renamed into place; on any failure the temp directory is removed and nothing
 * else exists. All-or-nothing unless `skipInvalid`.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat, writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import { openDuckDb, type DuckDb } from '../duckdb.ts';
import { MAX_LISTED_ERRORS, fileError, positionOutputColumns, positionRules, scheduleOutputColumns, scheduleRules, POSITION_COLUMNS, SCHEDULE_COLUMNS, type ImportError } from '../schema/index.ts';
import { publicImportError, readCurves, readingFile, stageBankSchedules, stagePositions, stageScheduleCsv, validateStaged, type ValidationOutcome } from '../import/index.ts';
import { DATASET_FILES, type DatasetMeta } from './dataset-meta.ts';
import { publishDirectory } from '../../files/atomic-dir.ts';
import { writeCurvesTable, datasetTotals, hashFiles, copyToParquet } from './dataset-writer.ts';
import { checkImportOptions, type ImportDatasetOptions } from './import-options.ts';

export type { ImportDatasetOptions } from './import-options.ts';

export type ImportDatasetResult =
  | { ok: true; dataset: DatasetMeta }
  | { ok: false; errors: ImportError[]; total: number; mapping: Record<string, string> };

class Refused {
  constructor(readonly errors: ImportError[], readonly total: number) {}
}

export async function importDataset(options: ImportDatasetOptions): Promise<ImportDatasetResult> {
  const checked = checkImportOptions(options);
  if (!checked.ok) return { ok: false, errors: checked.errors, total: checked.errors.length, mapping: {} };
  const uuid = options.uuid ?? randomUUID;
  const datasetId = options.datasetId ?? uuid();
  const datasetsDir = path.join(options.workspaceDir, 'datasets');
  const finalDir = path.join(datasetsDir, datasetId);
  if (await exists(finalDir)) {
    const error = fileError('', `dataset ${datasetId} already exists in this workspace`);
    return { ok: false, errors: [error], total: 1, mapping: {} };
  }
  const tmpDir = path.join(datasetsDir, `.tmp-${uuid()}`);
  const stagingDir = path.join(tmpDir, 'staging');
  await mkdir(stagingDir, { recursive: true });
  let db: DuckDb | undefined;
  let mapping: Record<string, string> = {};
  const progress = (f: number) => options.onProgress?.(Math.min(1, Math.max(0, f)));
  try {
    db = await openDuckDb(':memory:', { threads: '2', memory_limit: '600MB', temp_directory: path.join(stagingDir, 'duckdb') });
    await db.run('CREATE TABLE sources (src INTEGER, name VARCHAR)');
    let nextSrc = 0;
    const addSource = async (name: string) => {
      const src = nextSrc++;
      await db!.run('INSERT INTO sources VALUES (?, ?)', [src, name]);
      return src;
    };
    const positionsFile = options.sources.positions ?? options.sources.bankZip;
    if (!positionsFile) throw new Refused([fileError('', 'no positions file given (positions or bankZip)')], 1);
    const staged = await stagePositions(db, { file: positionsFile, stagingDir, mapping: options.mapping, dateFormat: options.dateFormat ?? 'iso', addSource, ...(options.zipLimits ? { zipLimits: options.zipLimits } : {}) });
    mapping = staged.mapping;
    if (!staged.ok) throw new Refused(staged.errors, staged.errors.length);
    progress(0.3);

    const asOf = options.asOf ?? staged.asOf;
    if (!asOf) throw new Refused([fileError(positionsFile.originalName, 'no analysis date: give asOf (yyyy-mm-dd); only the bank ZIP export carries its own Reference day', 'as_of')], 1);

    const curves = options.sources.curves ? await readCurves(options.sources.curves, options.zipLimits) : undefined;
    if (curves && !curves.ok) throw new Refused(curves.errors.slice(0, MAX_LISTED_ERRORS), curves.errors.length);

    const outcomes: ValidationOutcome[] = [];
    const positionsRead = await readingFile(positionsFile.originalName, () => validateStaged(db!, {
      staged: 'staged_positions', name: 'clean_positions', specs: POSITION_COLUMNS, parse: staged.parse, uniqueColumn: 'position_id',
      rules: () => positionRules({ ...staged.parse, asOf, ...(curves?.ok ? { curves: { ids: curves.ids, currencies: curves.currencies } } : {}) }),
      output: positionOutputColumns(staged.attributes), keep: staged.attributes,
    }));
    if (!positionsRead.ok) throw new Refused([positionsRead.error], 1);
    const positions = positionsRead.value;
    outcomes.push(positions);
    progress(0.6);

    const scheduleTables: string[] = [];
    const scheduleSources = [
      ...(staged.bankSchedules && staged.bankSchedules.rows > 0 ? [{ table: 'staged_bank_schedules', file: positionsFile.originalName, run: () => stageBankSchedules(db!, 'staged_bank_schedules', staged.bankSchedules!) }] : []),
      ...(options.sources.schedules ? [{
        table: 'staged_file_schedules', file: options.sources.schedules.originalName,
        run: async () => stageScheduleCsv(db!, 'staged_file_schedules', { file: options.sources.schedules!, stagingDir, dateFormat: options.dateFormat ?? 'iso', src: await addSource(options.sources.schedules!.originalName) }),
      }] : []),
    ];
    for (const source of scheduleSources) {
      const result = await source.run();
      if (!result.ok) throw new Refused(result.errors, result.errors.length);
      const name = `clean_${source.table.replace('staged_', '')}`;
      const read = await readingFile(source.file, () => validateStaged(db!, {
        staged: source.table, name, specs: SCHEDULE_COLUMNS, parse: result.parse,
        rules: () => scheduleRules(result.parse, 'clean_positions'), output: scheduleOutputColumns(),
      }));
      if (!read.ok) throw new Refused([read.error], 1);
      outcomes.push(read.value);
      scheduleTables.push(name);
    }
    const total = outcomes.reduce((n, o) => n + o.total, 0);
    const listed = outcomes.flatMap((o) => o.listed).slice(0, MAX_LISTED_ERRORS);
    if (total > 0 && !options.skipInvalid) throw new Refused(listed, total);
    if (positions.validRows === 0) throw new Refused(listed.length ? listed : [fileError(positionsFile.originalName, 'the file has no position rows')], Math.max(total, 1));
    progress(0.7);

    await db.run(scheduleTables.length === 0
      ? 'CREATE TABLE clean_schedules (position_id VARCHAR, date DATE, principal DOUBLE)'
      : `CREATE TABLE clean_schedules AS ${scheduleTables.map((t) => `SELECT * FROM ${t}`).join(' UNION ALL ')}`);
    await writeCurvesTable(db, curves?.ok ? curves.rows : []);
    for (const [table, file] of [['clean_positions', 'positions.parquet'], ['curves', 'curves.parquet'], ['clean_schedules', 'schedules.parquet']] as const) {
      await copyToParquet(db, table, path.join(tmpDir, file));
    }
    const counts = await db.all('SELECT (SELECT count(*) FROM clean_positions) p, (SELECT count(*) FROM curves) c, (SELECT count(*) FROM clean_schedules) s');
    const totals = await datasetTotals(db, 'clean_positions');
    db.close();
    db = undefined;
    await rm(stagingDir, { recursive: true, force: true });
    progress(0.9);

    const skippedRows = outcomes.reduce((n, o) => n + o.invalidRows, 0);
    const sourceFiles = [];
    for (const [field, file] of Object.entries(options.sources)) {
      if (file) sourceFiles.push({ field, name: file.originalName, bytes: (await stat(file.path)).size });
    }
    const meta: DatasetMeta = {
      id: datasetId,
      workspaceId: options.workspaceId,
      name: options.name,
      asOf,
      createdAt: (options.now?.() ?? new Date()).toISOString(),
      createdBy: options.createdBy,
      sourceFiles,
      rows: { positions: Number(counts[0]?.p ?? 0), curves: Number(counts[0]?.c ?? 0), schedules: Number(counts[0]?.s ?? 0) },
      totals,
      contentHash: await hashFiles(DATASET_FILES.map((f) => path.join(tmpDir, f))),
      mapping,
      attributes: staged.attributes,
      ignoredFiles: staged.ignored,
      skipped: { count: skippedRows, errors: total > 0 ? listed : [] },
    };
    if (total > 0) await writeFile(path.join(tmpDir, 'skipped.json'), `${JSON.stringify({ rows: skippedRows, totalErrors: total, errors: listed }, null, 2)}\n`);
    await writeFile(path.join(tmpDir, 'manifest.json'), `${JSON.stringify(meta, null, 2)}\n`);
    await publishDirectory(tmpDir, finalDir);
    progress(1);
    return { ok: true, dataset: meta };
  } catch (error) {
    db?.close();
    await rm(tmpDir, { recursive: true, force: true });
    if (error instanceof Refused) {
      // The import's boundary: whatever a parser said about a file, the user sees no server path.
      const known = [
        ...Object.values(options.sources).flatMap((f) => (f ? [{ path: f.path, label: f.originalName }] : [])),
        { path: options.workspaceDir, label: 'the file' },
      ];
      return { ok: false, errors: error.errors.map((e) => publicImportError(e, known)), total: error.total, mapping };
    }
    throw error;
  }
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(() => true, () => false);
}
