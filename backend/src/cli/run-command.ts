/**
 * The work behind `almready run` (its options are in run.ts). Two modes:
 * - `--workspace`: the data directory is opened as the server opens it (config.ts rules), the
 *   notebook (a stored one by id or name, or a file) runs on the workspace's dataset, and its
 *   outputs land in the workspace's output store, where the server shows them.
 * - `--positions/--curves/--as-of`: the files are imported with the upload's validation into a
 *   throw-away data directory (as `almready calc` does), the notebook runs there, and the
 *   directory is removed afterwards.
 * Exit codes: 0 every cell done; 1 a cell failed (named, with its line) or the data was refused;
 * 2 the command itself is wrong (unknown workspace, dataset or input, bad value, unreadable notebook).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { parseNotebookText, resolveInputValues, type NotebookDocument, type Parameters } from '@almready/notebooks';
import { AppError } from '../app-error.ts';
import { generatePassword } from '../auth/passwords.ts';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { importDataset } from '../data/datasets/index.ts';
import { isRealIsoDate } from '../data/datasets/import-options.ts';
import { DATABASE_FILE } from '../db/open-database.ts';
import { createLogger } from '../logger.ts';
import { getNotebookRow, notebookFileExists, readVersion, type NotebookRow } from '../notebook-store/store.ts';
import { createUser } from '../users/user-store.ts';
import { insertDatasetRow } from '../workspaces/dataset-routes.ts';
import { isUuid } from '../workspaces/ids.ts';
import { workspaceDir } from '../workspaces/paths.ts';
import { createWorkspace } from '../workspaces/workspace-routes.ts';
import { openHeadless, runNotebook, type CellReport, type HeadlessCore, type HeadlessExecution } from './headless.ts';
import { printImportErrors, printOptionErrors, readMappingOption, unreadableFiles } from './import.ts';
import type { CliIo } from './main.ts';
import { writeReportFile } from './report-file.ts';
import type { RunFlags } from './run.ts';

type Problem = { option: string; value: string; reason: string };

/** Exit code 2 with the problems printed as a table of options. */
class UsageError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => `${p.option} ${p.value}: ${p.reason}`).join('; '));
  }
}

const usage = (option: string, value: string, reason: string) => new UsageError([{ option, value, reason }]);

export async function runCommand(notebookArg: string, flags: RunFlags, io: CliIo): Promise<number> {
  try {
    const parameters = checkFlags(flags);
    return flags.workspace !== undefined
      ? await runInWorkspace(notebookArg, flags, parameters, io)
      : await runOnFiles(notebookArg, flags, parameters, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    printOptionErrors(io, error.problems);
    return 2;
  }
}

const FILE_OPTIONS = ['positions', 'curves', 'schedules', 'asOf', 'mapping', 'dateFormat'] as const;
const optionName = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Everything checkable before anything is opened; the parameters as `name → text`. */
function checkFlags(flags: RunFlags): Parameters {
  const problems: Problem[] = [];
  const fileOptions = FILE_OPTIONS.filter((key) => flags[key] !== undefined);
  if (flags.workspace !== undefined) {
    for (const key of fileOptions) problems.push({ option: optionName(key), value: String(flags[key]), reason: 'is for runs on files; with --workspace the cells read the workspace\'s dataset (pick one with --dataset)' });
  } else {
    if (fileOptions.length === 0) problems.push({ option: '--workspace', value: '(none)', reason: 'name the workspace (id or name) whose data the notebook reads, or give --positions, --curves and --as-of to run it on files' });
    else {
      if (flags.positions === undefined) problems.push({ option: '--positions', value: '(none)', reason: 'a run on files needs the positions file' });
      if (flags.curves === undefined) problems.push({ option: '--curves', value: '(none)', reason: 'a run on files needs the curves file' });
      if (flags.asOf === undefined) problems.push({ option: '--as-of', value: '(none)', reason: 'a run on files needs the analysis date yyyy-mm-dd' });
    }
    if (flags.asOf !== undefined && !isRealIsoDate(flags.asOf)) problems.push({ option: '--as-of', value: flags.asOf, reason: 'must be a real date yyyy-mm-dd' });
    if (flags.dateFormat !== undefined && flags.dateFormat !== 'iso' && flags.dateFormat !== 'dd/mm/yyyy') problems.push({ option: '--date-format', value: flags.dateFormat, reason: 'use iso or dd/mm/yyyy' });
    if (flags.dataset !== undefined) problems.push({ option: '--dataset', value: flags.dataset, reason: 'picks a dataset of --workspace; a run on files reads the files given' });
    if (flags.notebookVersion !== undefined) problems.push({ option: '--notebook-version', value: flags.notebookVersion, reason: 'picks a saved version of a notebook stored in --workspace' });
    if (flags.dataDir !== undefined) problems.push({ option: '--data-dir', value: flags.dataDir, reason: 'is where --workspace lives; a run on files uses a throw-away directory' });
  }
  if (flags.notebookVersion !== undefined && !/^[1-9]\d*$/.test(flags.notebookVersion)) problems.push({ option: '--notebook-version', value: flags.notebookVersion, reason: 'must be a saved version number (1 or more)' });
  const parameters: Record<string, string> = {};
  for (const raw of flags.param) {
    const at = raw.indexOf('=');
    const name = at < 0 ? '' : raw.slice(0, at).trim();
    if (at < 0 || name === '') problems.push({ option: '--param', value: raw, reason: 'write it name=value, with the name of an input cell' });
    else if (Object.hasOwn(parameters, name)) problems.push({ option: '--param', value: raw, reason: `"${name}" is given twice` });
    else parameters[name] = raw.slice(at + 1);
  }
  if (problems.length > 0) throw new UsageError(problems);
  return parameters;
}

function logger(config: Pick<Config, 'logLevel'>): pino.Logger {
  // stdout carries the report; the services' logs go to stderr, warnings and worse unless asked
  return createLogger({ logLevel: process.env.ALMREADY_LOG_LEVEL ? config.logLevel : 'warn' }, pino.destination(2));
}

async function readNotebookFile(file: string): Promise<{ document: NotebookDocument; text: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw usage('<notebook>', file, `cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = parseNotebookText(text);
  if (!parsed.ok) throw usage('<notebook>', file, `does not parse as a notebook: ${parsed.reason}`);
  return { document: parsed.document, text };
}

/**
 * Where each cell's source starts in a Markdown notebook file (1-based), from its fence or
 * `<!-- cell id=… -->` line, so a failure's line in the cell can also be given as a line of the file.
 */
export function cellFirstLines(text: string, document: NotebookDocument): Map<string, number> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const out = new Map<string, number>();
  const ids = new Set(document.cells.map((c) => c.id));
  lines.forEach((line, i) => {
    const opener = /^ {0,3}(?:`{3,}|~{3,})[a-z]+[ \t](.*)$/.exec(line) ?? /^<!--\s*cell[ \t](.*?)-->\s*$/.exec(line);
    const id = opener ? /(?:^|[ \t])id=(?:"([^"]*)"|(\S+))/.exec(opener[1] ?? '') : null;
    const value = id ? (id[1] ?? id[2] ?? '') : '';
    if (ids.has(value) && !out.has(value)) out.set(value, i + 2);
  });
  return out;
}

const isFile = (file: string) => stat(file).then((s) => s.isFile(), () => false);

/** A notebook the command runs: its document and the id/version its execution is recorded under. */
interface Target {
  notebookId: string;
  version: number;
  document: NotebookDocument;
  label: string;
  name: string;
  /** for a notebook file: the file and the line of the file each cell's source starts on */
  file?: { path: string; firstLine: ReadonlyMap<string, number> };
}

async function fileTarget(file: string): Promise<Target> {
  const { document, text } = await readNotebookFile(file);
  const firstLine = text.trimStart().startsWith('{') ? new Map<string, number>() : cellFirstLines(text, document);
  return { notebookId: `file:${path.basename(file)}`, version: 1, document, label: `${path.basename(file)} "${document.title}"`, name: document.title, file: { path: file, firstLine } };
}

function checkParameters(document: NotebookDocument, parameters: Parameters): void {
  const inputs = resolveInputValues(document, parameters);
  if (!inputs.ok) throw new UsageError(inputs.errors.map((reason) => ({ option: '--param', value: reasonName(reason, parameters), reason })));
}

/** The `name=value` a parameter problem is about (problems quote the input's name). */
function reasonName(reason: string, parameters: Parameters): string {
  const name = Object.keys(parameters).find((n) => reason.includes(`"${n}"`));
  return name === undefined ? '' : `${name}=${String(parameters[name])}`;
}

interface WorkspaceRef { id: string; name: string; ownerId: string; dir: string }

async function runInWorkspace(notebookArg: string, flags: RunFlags, parameters: Parameters, io: CliIo): Promise<number> {
  const dataDir = path.resolve(flags.dataDir ?? process.env.ALMREADY_DATA_DIR ?? './data');
  if (!existsSync(path.join(dataDir, DATABASE_FILE))) {
    throw usage(flags.dataDir !== undefined ? '--data-dir' : 'ALMREADY_DATA_DIR', dataDir, `is not an ALMReady data directory (no ${DATABASE_FILE}); pass the server's data directory with --data-dir`);
  }
  let config: Config;
  try {
    config = loadConfig({ ...process.env, ALMREADY_DATA_DIR: dataDir });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(error.message);
    return 2;
  }
  const core = openHeadless(config, logger(config));
  try {
    const workspace = findWorkspace(core, config, flags.workspace!);
    const dataset = findDataset(core, workspace, flags.dataset);
    const target = (await isFile(notebookArg)) ? await fileTarget(notebookArg) : storedTarget(core, workspace, notebookArg, flags.notebookVersion);
    checkParameters(target.document, parameters);
    if (dataset === null && target.document.cells.some((c) => c.kind === 'sql' || c.kind === 'ts')) {
      throw usage('--workspace', flags.workspace!, `workspace "${workspace.name}" has no dataset for the SQL and TypeScript cells to read; import one first (almready import, or upload it in the app)`);
    }
    const outFile = await checkOut(flags.out);
    return await execute(core, { workspace, dataset, target, parameters, userId: workspace.ownerId, flags, outFile, io });
  } finally {
    await core.close();
  }
}

async function runOnFiles(notebookArg: string, flags: RunFlags, parameters: Parameters, io: CliIo): Promise<number> {
  const missing = await unreadableFiles([
    { option: '--positions', file: flags.positions }, { option: '--curves', file: flags.curves },
    { option: '--schedules', file: flags.schedules }, { option: '--mapping', file: flags.mapping },
  ]);
  if (!(await isFile(notebookArg))) missing.unshift({ option: '<notebook>', value: notebookArg, reason: 'no such notebook file (a stored notebook needs --workspace)' });
  if (missing.length > 0) throw new UsageError(missing);
  const mapping = await readMappingOption(flags.mapping, io);
  if (!mapping.ok) return 2;
  const target = await fileTarget(notebookArg);
  checkParameters(target.document, parameters);
  const outFile = await checkOut(flags.out);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'almready-run-'));
  let core: HeadlessCore | null = null;
  try {
    const config = loadConfig({ ...process.env, ALMREADY_DATA_DIR: dataDir });
    core = openHeadless(config, logger(config));
    const created = await createUser(core.deps.db, { username: 'almready-run', password: generatePassword(), role: 'admin' });
    if (!created.ok) throw new Error(created.message);
    const ws = createWorkspace(core.deps, created.user, { name: 'almready run' });
    const workspace: WorkspaceRef = { id: ws.id, name: ws.name, ownerId: created.user.id, dir: workspaceDir(config.dataDir, created.user.id, ws.id) };
    const file = (p: string) => ({ path: path.resolve(p), originalName: path.basename(p) });
    const imported = await importDataset({
      workspaceDir: workspace.dir, workspaceId: workspace.id, name: path.basename(flags.positions!), asOf: flags.asOf!, createdBy: created.user.id,
      sources: { positions: file(flags.positions!), curves: file(flags.curves!), ...(flags.schedules ? { schedules: file(flags.schedules) } : {}) },
      ...(mapping.mapping ? { mapping: mapping.mapping } : {}),
      ...(flags.dateFormat === 'dd/mm/yyyy' ? { dateFormat: 'dd/mm/yyyy' as const } : {}),
    });
    if (!imported.ok) {
      printImportErrors(io, imported.errors, imported.total);
      return 1;
    }
    insertDatasetRow(core.deps, imported.dataset);
    const dataset = { id: imported.dataset.id, name: imported.dataset.name, asOf: imported.dataset.asOf };
    return await execute(core, { workspace, dataset, target, parameters, userId: created.user.id, flags, outFile, io, temporary: true });
  } finally {
    await core?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function findWorkspace(core: HeadlessCore, config: Config, ref: string): WorkspaceRef {
  type Row = { id: string; name: string; owner_id: string; owner: string };
  const select = 'SELECT w.id, w.name, w.owner_id, u.username AS owner FROM workspaces w JOIN users u ON u.id = w.owner_id';
  const db = core.deps.db;
  let rows = isUuid(ref) ? (db.prepare(`${select} WHERE w.id = ?`).all(ref) as Row[]) : [];
  if (rows.length === 0) rows = db.prepare(`${select} WHERE w.name = ? ORDER BY w.created_at, w.id`).all(ref) as Row[];
  if (rows.length === 0) rows = db.prepare(`${select} WHERE lower(w.name) = lower(?) ORDER BY w.created_at, w.id`).all(ref) as Row[];
  const describe = (r: Row) => `"${r.name}" (${r.id}, owner ${r.owner})`;
  if (rows.length > 1) throw usage('--workspace', ref, `names ${rows.length} workspaces: ${rows.map(describe).join(', ')}; give the id`);
  const row = rows[0];
  if (row === undefined) {
    const all = db.prepare(`${select} ORDER BY w.updated_at DESC, w.id LIMIT 21`).all() as Row[];
    const list = all.length === 0 ? 'this data directory has no workspaces' : `its workspaces: ${all.slice(0, 20).map(describe).join(', ')}${all.length > 20 ? ', …' : ''}`;
    throw usage('--workspace', ref, `is no workspace of ${config.dataDir} (${list})`);
  }
  return { id: row.id, name: row.name, ownerId: row.owner_id, dir: workspaceDir(config.dataDir, row.owner_id, row.id) };
}

interface DatasetRef { id: string; name: string; asOf: string }

/** The dataset named (id or name), else the newest, as the server picks it; null when the workspace has none. */
function findDataset(core: HeadlessCore, workspace: WorkspaceRef, ref: string | undefined): DatasetRef | null {
  const rows = core.deps.db.prepare('SELECT id, name, as_of AS asOf FROM datasets WHERE workspace_id = ? ORDER BY created_at DESC, id').all(workspace.id) as DatasetRef[];
  if (ref === undefined) return rows[0] ?? null;
  const byId = rows.filter((r) => r.id === ref);
  const matches = byId.length > 0 ? byId : rows.filter((r) => r.name === ref).length > 0 ? rows.filter((r) => r.name === ref) : rows.filter((r) => r.name.toLowerCase() === ref.toLowerCase());
  const describe = (r: DatasetRef) => `"${r.name}" (${r.id}, as of ${r.asOf})`;
  if (matches.length > 1) throw usage('--dataset', ref, `names ${matches.length} datasets of workspace "${workspace.name}": ${matches.map(describe).join(', ')}; give the id`);
  if (matches[0] === undefined) {
    throw usage('--dataset', ref, `is no dataset of workspace "${workspace.name}" (${rows.length === 0 ? 'it has none yet' : `its datasets: ${rows.slice(0, 20).map(describe).join(', ')}`})`);
  }
  return matches[0];
}

function storedTarget(core: HeadlessCore, workspace: WorkspaceRef, ref: string, versionFlag: string | undefined): Target {
  const db = core.deps.db;
  let row: NotebookRow | undefined = isUuid(ref) ? getNotebookRow(db, workspace.id, ref) : undefined;
  if (row === undefined) {
    const named = db.prepare('SELECT * FROM notebooks WHERE workspace_id = ? AND (name = ? OR lower(name) = lower(?)) ORDER BY updated_at DESC, id').all(workspace.id, ref, ref) as NotebookRow[];
    if (named.length > 1) throw usage('<notebook>', ref, `names ${named.length} notebooks of workspace "${workspace.name}": ${named.map((n) => `${n.id}`).join(', ')}; give the id`);
    row = named[0];
  }
  if (row === undefined) {
    const all = db.prepare('SELECT id, name FROM notebooks WHERE workspace_id = ? ORDER BY updated_at DESC, id LIMIT 20').all(workspace.id) as { id: string; name: string }[];
    const looksLikeFile = /[/\\]|\.(md|json)$/i.test(ref);
    throw usage('<notebook>', ref, `${looksLikeFile ? 'no such notebook file, and ' : ''}no notebook of workspace "${workspace.name}" has this id or name (${all.length === 0 ? 'it has none' : `its notebooks: ${all.map((n) => `"${n.name}" (${n.id})`).join(', ')}`})`);
  }
  const version = versionFlag === undefined ? row.version : Number(versionFlag);
  if (version > row.version || !notebookFileExists(workspace.dir, row.id, version)) throw usage('--notebook-version', String(version), `notebook "${row.name}" has versions 1 to ${row.version}`);
  return { notebookId: row.id, version, document: readVersion(workspace.dir, row.id, version), label: `"${row.name}" v${version}`, name: row.name };
}

/** The report's path, checked before anything runs: its folder must exist. */
async function checkOut(out: string | undefined): Promise<string | null> {
  if (out === undefined) return null;
  const file = path.resolve(out);
  const folder = await stat(path.dirname(file)).then((s) => s.isDirectory(), () => false);
  if (!folder) throw usage('--out', out, `its folder ${path.dirname(file)} does not exist`);
  if (await stat(file).then((s) => s.isDirectory(), () => false)) throw usage('--out', out, 'is a folder; name the HTML file to write');
  return file;
}

interface ExecuteInput {
  workspace: WorkspaceRef;
  dataset: DatasetRef | null;
  target: Target;
  parameters: Parameters;
  userId: string;
  flags: RunFlags;
  outFile: string | null;
  io: CliIo;
  /** the run is on files in a throw-away workspace */
  temporary?: boolean;
}

async function execute(core: HeadlessCore, input: ExecuteInput): Promise<number> {
  const { workspace, dataset, target, io, flags } = input;
  // with --json, stdout is the one JSON object: the progress goes to stderr
  const progress = flags.json ? io.err : io.out;
  progress(`Running ${target.label} on ${input.temporary ? 'the files given' : `workspace "${workspace.name}"`}${dataset ? `, dataset "${dataset.name}" as of ${dataset.asOf}` : ''}`);
  const stop = new AbortController();
  const onSignal = () => {
    io.err('almready: stopping the execution (the running cell is cancelled; nothing half done is stored)…');
    stop.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let result: HeadlessExecution;
  const ranAt = new Date();
  try {
    result = await runNotebook(core, {
      workspace: { id: workspace.id, dir: workspace.dir }, user: { id: input.userId }, datasetId: dataset?.id ?? null,
      notebookId: target.notebookId, version: target.version, document: target.document, parameters: input.parameters,
      signal: stop.signal,
      onCell: (cell, index, total) => progress(cellLine(cell, index, total)),
    });
  } catch (error) {
    // the service's refusals (429 too many executions, 422 parameters) say what to do
    if (error instanceof AppError && error.status < 500) {
      io.err(`almready: ${error.message}`);
      return error.status === 422 ? 2 : 1;
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  if (!input.temporary) {
    core.deps.audit.record({ action: 'notebook.execute', userId: input.userId, workspaceId: workspace.id, detail: { notebookId: target.notebookId, version: target.version, executionId: result.executionId, target: 'notebook', via: 'cli' } });
  }
  const counts = new Map<string, number>();
  for (const cell of result.cells) counts.set(cell.status, (counts.get(cell.status) ?? 0) + 1);
  progress(`Finished: ${result.status} (${[...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'no cells'}) in ${seconds(result.durationMs)}`);
  let report: string | null = null;
  if (input.outFile !== null && result.status === 'done') {
    const { bytes } = await writeReportFile(core, {
      file: input.outFile, workspace: { id: workspace.id, dir: workspace.dir }, user: { id: input.userId }, dataset,
      notebook: { id: target.notebookId, name: target.name, version: target.version, document: target.document },
      parameters: input.parameters, ranAt, runMs: result.durationMs,
    });
    report = input.outFile;
    progress(`Report written to ${input.outFile} (${Math.max(1, Math.round(bytes / 1024))} KB)`);
  } else if (input.outFile !== null) {
    io.err(`almready: no report written to ${input.outFile}: the execution ${result.status === 'cancelled' ? 'was cancelled' : 'failed'}`);
  }
  if (flags.json) {
    io.out(JSON.stringify({
      notebook: { id: target.notebookId, version: target.version, title: target.document.title },
      workspace: input.temporary ? null : { id: workspace.id, name: workspace.name },
      dataset,
      executionId: result.executionId,
      status: result.status,
      durationMs: result.durationMs,
      cells: result.cells,
      report,
      ...(result.error !== undefined ? { error: result.error } : {}),
    }));
  }
  if (result.error !== undefined) io.err(`almready: ${result.error}`);
  for (const cell of result.cells.filter((c) => c.status === 'failed')) io.err(`almready: ${failureLine(cell, target.file)}`);
  if (result.status === 'cancelled') io.err('almready: the execution was cancelled');
  return result.status === 'done' ? 0 : 1;
}

const seconds = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);
const cellName = (cell: CellReport) => (cell.name !== null && cell.name !== cell.id ? `${cell.id} (${cell.name})` : cell.id);

function cellLine(cell: CellReport, index: number, total: number): string {
  const width = String(total).length;
  const head = `[${String(index).padStart(width)}/${total}] ${cell.status === 'failed' ? 'FAILED' : cell.status}`.padEnd(width * 2 + 12);
  const what = `${cellName(cell)} ${cell.kind}`.padEnd(28);
  const time = (cell.durationMs === null ? '' : seconds(cell.durationMs)).padStart(9);
  const detail: string[] = [];
  if (cell.fromCache) detail.push('stored output');
  for (const t of cell.tables ?? []) detail.push(`${t.name}: ${t.rowCount.toLocaleString('en-US')} rows`);
  for (const [k, v] of Object.entries(cell.scalars ?? {})) detail.push(`${k} = ${typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 6 }) : String(v)}`);
  if (cell.status === 'failed') detail.push(`${cell.line ? `line ${cell.line}${cell.column ? `, column ${cell.column}` : ''}: ` : ''}${cell.message ?? ''}`);
  else if (cell.message) detail.push(cell.message);
  return `${head} ${what}${time}  ${detail.join('; ')}`.trimEnd();
}

function failureLine(cell: CellReport, file: Target['file']): string {
  const first = file?.firstLine.get(cell.id);
  const inFile = first === undefined ? '' : ` (${path.basename(file!.path)}:${first + (cell.line ?? 1) - 1})`;
  const at = cell.line ? ` at line ${cell.line}${cell.column ? `, column ${cell.column}` : ''}${inFile}` : inFile;
  return `cell "${cellName(cell)}" (${cell.kind}) failed${at}: ${cell.message ?? 'no message'}`;
}

