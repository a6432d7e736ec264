/**
 * Server configuration from the environment, validated once at start-up. A bad value stops the
 * server with one message listing every variable to fix, instead of failing later mid-request.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PASSWORD_MIN_LENGTH } from '@almready/contracts';

// A type alias (not an interface) so it also fits structural deps types with index signatures.
export type Config = {
  dataDir: string;
  port: number;
  host: string;
  corsOrigins: string[];
  sessionTtlDays: number;
  jwtSecret: string;
  adminPassword: string | null;
  maxUploadMb: number;
  workspaceTtlDays: number | null;
  trustProxy: boolean;
  /** Run a newly created demo workspace's notebooks in the background after start-up (ALMREADY_DEMO_NOTEBOOKS, default on). */
  demoNotebooks?: boolean;
  /** The origin users reach the server at (ALMREADY_PUBLIC_URL); null: taken from each request's Host. */
  publicUrl?: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Built SPA (frontend/dist); null serves the API only. */
  staticDir: string | null;
  /** HTTP limits; unset means the defaults of `httpLimits` (kept optional so test configs stay short). */
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
  maxRequestsPerClient?: number;
  /** ZIP bomb guard for bank exports and XLSX workbooks (import/zip-limits.ts). */
  zipLimits: ZipLimits;
  /** Uploads one user may have in flight at once; more get 429. */
  uploadsPerUser: number;
  /** An upload whose body sends nothing for this long is dropped and its temp folder removed. */
  uploadIdleMs: number;
  /** Limits of one TypeScript notebook cell in its QuickJS sandbox (DEFAULT_TS_CELL_LIMITS when absent). */
  tsCell?: TsCellLimits;
  /** Query and run sizes; `loadConfig` always sets them, hand-built configs may leave them to `limitsOf`. */
  limits?: Limits;
};

export interface TsCellLimits {
  memoryMb: number;
  stackKb: number;
  wallMs: number;
  /** console lines, display outputs and exported values together, in bytes of text */
  maxOutputBytes: number;
  maxConsoleLines: number;
  /** calls a cell may make through the `alm` object (sql, rows, run, …) */
  maxHostCalls: number;
}

export const DEFAULT_TS_CELL_LIMITS: TsCellLimits = {
  memoryMb: 128,
  stackKb: 1024,
  wallMs: 60_000,
  maxOutputBytes: 16 * 1024 * 1024,
  maxConsoleLines: 10_000,
  maxHostCalls: 1_000,
};

export interface HttpLimits {
  /** Whole request (headers and body) must arrive within this; slow uploads of 512 MB over a VPN are legitimate. */
  requestTimeoutMs: number;
  /** Request headers must arrive within this (stops clients that open sockets and dribble headers). */
  headersTimeoutMs: number;
  /** Requests one client address may have in flight at once (streams included). */
  maxRequestsPerClient: number;
  /** Sockets one address may hold open (twice the request cap: keep-alive sockets idle between requests). */
  maxConnectionsPerClient: number;
}

export const DEFAULT_HTTP_LIMITS = { requestTimeoutMs: 15 * 60_000, headersTimeoutMs: 30_000, maxRequestsPerClient: 64 } as const;

/** The server's HTTP limits: the configured ones, the defaults for the rest. */
export function httpLimits(config: Pick<Config, 'requestTimeoutMs' | 'headersTimeoutMs' | 'maxRequestsPerClient'>): HttpLimits {
  const requestTimeoutMs = config.requestTimeoutMs ?? DEFAULT_HTTP_LIMITS.requestTimeoutMs;
  const maxRequestsPerClient = config.maxRequestsPerClient ?? DEFAULT_HTTP_LIMITS.maxRequestsPerClient;
  return {
    requestTimeoutMs,
    // Node requires headersTimeout <= requestTimeout.
    headersTimeoutMs: Math.min(config.headersTimeoutMs ?? DEFAULT_HTTP_LIMITS.headersTimeoutMs, requestTimeoutMs),
    maxRequestsPerClient,
    maxConnectionsPerClient: 2 * maxRequestsPerClient,
  };
}

export type ZipLimits = {
  /** decompressed bytes of one entry */
  entryBytes: number;
  /** decompressed bytes of all entries */
  totalBytes: number;
  /** decompressed ÷ compressed size of an entry (entries over 1 MB) */
  ratio: number;
  /** number of entries */
  entries: number;
};

const MB = 1024 * 1024;
/** A real bank export's CSVs compress 5–20 times; a ZIP bomb a thousand. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { entryBytes: 2048 * MB, totalBytes: 4096 * MB, ratio: 100, entries: 1000 };
export const DEFAULT_UPLOADS_PER_USER = 3;
export const DEFAULT_UPLOAD_IDLE_MS = 60_000;


/** How much the DuckDB query layer may use, per workspace and across users. */
export interface QueryLimits {
  /** DuckDB memory per workspace instance. */
  memoryMb: number;
  /** DuckDB spill space per workspace (`max_temp_directory_size`; DuckDB's own default is 90% of the free disk). */
  tempMb: number;
  /** Largest answer a query route returns (SQL result, grid page, one block of an export), as JSON. */
  maxResultMb: number;
  /** Statements running at once on the whole server: libuv runs DuckDB calls on 4 threads, file-system calls need one. */
  concurrent: number;
  /** Statements one user may run at once; the rest of theirs wait, taking turns with other users'. */
  concurrentPerUser: number;
  /** Statements one user may have waiting; more are refused with 429. */
  queuedPerUser: number;
}

/** How many calculation runs execute and wait. */
export interface RunLimits {
  /** Worker threads running calculations. */
  workers: number;
  /** Runs one user may have executing at once. */
  perUser: number;
  /** Runs one user may have waiting; more are refused with 429. */
  queuedPerUser: number;
  /** A run of at least this many positions is split over several workers (runs/split-run.ts); smaller ones use one. */
  splitMinPositions?: number;
  /** Parts a large run is cut into (at most the workers one user may have running: `perUser`, and `workers`). */
  splitParts?: number;
  /** Memory for datasets' engine columns kept between runs (runs/dataset-cache.ts), MB; 0: no cache. */
  cacheMb?: number;
}

export const DEFAULT_SPLIT_MIN_POSITIONS = 200_000;
export const DEFAULT_RUN_CACHE_MB = 2048;

/** How many notebook executions run. */
export interface NotebookLimits {
  /** Notebook executions one user may have running at once; more are refused with 429. */
  executionsPerUser: number;
}

/** Workers started ahead, so a notebook's first ts cell or engine run does not wait for one to boot. */
export interface WarmLimits {
  /** idle ts sandbox workers the server keeps ready (notebook-exec/ts-sandbox/sandbox-pool.ts) */
  sandboxes: number;
  /** calculation workers started with the server (at most the run workers) */
  runWorkers: number;
}

export interface Limits { query: QueryLimits; runs: RunLimits; notebooks?: NotebookLimits; warm?: WarmLimits }

export const DEFAULT_WARM_LIMITS: WarmLimits = { sandboxes: 1, runWorkers: 1 };
export const MAX_READY_SANDBOXES = 16;

/** The warm-up sizes configured, or the defaults (a hand-built config). */
export function warmLimitsOf(config: { limits?: Limits | undefined }): WarmLimits {
  return config.limits?.warm ?? DEFAULT_WARM_LIMITS;
}

export const DEFAULT_NOTEBOOK_LIMITS: NotebookLimits = { executionsPerUser: 3 };

export const DEFAULT_QUERY_LIMITS: QueryLimits = { memoryMb: 1024, tempMb: 2048, maxResultMb: 64, concurrent: 3, concurrentPerUser: 2, queuedPerUser: 20 };
export const DEFAULT_RUN_LIMITS: Required<RunLimits> = {
  // at least two: a large run is split over the workers (split-run.ts), and on a 2-core machine
  // cores − 1 would leave it one; the main thread mostly waits while a run computes
  workers: Math.max(2, cpus().length - 1),
  perUser: 2,
  queuedPerUser: 10,
  splitMinPositions: DEFAULT_SPLIT_MIN_POSITIONS,
  // one part per core: a large run uses every core while it computes
  splitParts: Math.max(1, cpus().length),
  cacheMb: DEFAULT_RUN_CACHE_MB,
};

/** The run limits with every optional one filled in from the defaults. */
export function runLimitsOf(config: { limits?: Limits | undefined }): Required<RunLimits> {
  return { ...DEFAULT_RUN_LIMITS, ...stripUndefined(limitsOf(config).runs) };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}


/** The configured limits, or the defaults for a config built by hand. */
export function limitsOf(config: { limits?: Limits | undefined }): Limits {
  return config.limits ?? { query: DEFAULT_QUERY_LIMITS, runs: DEFAULT_RUN_LIMITS };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

// The password rules are part of the API contract (@almready/contracts), shared with the SPA.
export { PASSWORD_MIN_LENGTH };
const JWT_SECRET_MIN_LENGTH = 32;
export const defaultStaticDir = fileURLToPath(new URL('../../frontend/dist', import.meta.url));

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const positiveNumber = (name: string) =>
  z.preprocess(blankToUndefined, z.coerce.number({ error: `${name} must be a number` }).positive(`${name} must be greater than 0`).optional());
const wholeNumber = (name: string) =>
  z.preprocess(blankToUndefined, z.coerce.number({ error: `${name} must be a number` }).int(`${name} must be a whole number`).positive(`${name} must be greater than 0`).optional());
const flag = (name: string) =>
  z.preprocess(blankToUndefined, z.enum(['1', '0', 'true', 'false'], { error: `${name} must be 1 or 0` }).optional());

const envSchema = z.object({
  ALMREADY_DATA_DIR: z.preprocess(blankToUndefined, z.string().optional()),
  ALMREADY_PORT: z.preprocess(blankToUndefined, z.coerce.number({ error: 'ALMREADY_PORT must be a number' })
    .int('ALMREADY_PORT must be a whole number').min(0).max(65535, 'ALMREADY_PORT must be at most 65535').optional()),
  ALMREADY_HOST: z.preprocess(blankToUndefined, z.string().optional()),
  ALMREADY_CORS_ORIGINS: z.preprocess(blankToUndefined, z.string().optional()),
  ALMREADY_SESSION_TTL_DAYS: positiveNumber('ALMREADY_SESSION_TTL_DAYS'),
  ALMREADY_JWT_SECRET: z.preprocess(blankToUndefined, z.string()
    .min(JWT_SECRET_MIN_LENGTH, `ALMREADY_JWT_SECRET must be at least ${JWT_SECRET_MIN_LENGTH} characters`).optional()),
  ALMREADY_ADMIN_PASSWORD: z.preprocess(blankToUndefined, z.string()
    .min(PASSWORD_MIN_LENGTH, `ALMREADY_ADMIN_PASSWORD must be at least ${PASSWORD_MIN_LENGTH} characters`).optional()),
  ALMREADY_MAX_UPLOAD_MB: positiveNumber('ALMREADY_MAX_UPLOAD_MB'),
  ALMREADY_WORKSPACE_TTL_DAYS: positiveNumber('ALMREADY_WORKSPACE_TTL_DAYS'),
  ALMREADY_TRUST_PROXY: flag('ALMREADY_TRUST_PROXY'),
  ALMREADY_DEMO_NOTEBOOKS: flag('ALMREADY_DEMO_NOTEBOOKS'),
  ALMREADY_PUBLIC_URL: z.preprocess(blankToUndefined, z.string().optional()),
  ALMREADY_LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    error: 'ALMREADY_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  }).optional()),
  ALMREADY_STATIC_DIR: z.preprocess(blankToUndefined, z.string().optional()),
  ALMREADY_REQUEST_TIMEOUT_SECONDS: positiveNumber('ALMREADY_REQUEST_TIMEOUT_SECONDS'),
  ALMREADY_HEADERS_TIMEOUT_SECONDS: positiveNumber('ALMREADY_HEADERS_TIMEOUT_SECONDS'),
  ALMREADY_MAX_REQUESTS_PER_CLIENT: z.preprocess(blankToUndefined, z.coerce.number({ error: 'ALMREADY_MAX_REQUESTS_PER_CLIENT must be a number' })
    .int('ALMREADY_MAX_REQUESTS_PER_CLIENT must be a whole number').min(1, 'ALMREADY_MAX_REQUESTS_PER_CLIENT must be at least 1').optional()),
  ALMREADY_MAX_ZIP_ENTRY_MB: positiveNumber('ALMREADY_MAX_ZIP_ENTRY_MB'),
  ALMREADY_MAX_ZIP_TOTAL_MB: positiveNumber('ALMREADY_MAX_ZIP_TOTAL_MB'),
  ALMREADY_MAX_ZIP_RATIO: positiveNumber('ALMREADY_MAX_ZIP_RATIO'),
  ALMREADY_UPLOADS_PER_USER: z.preprocess(blankToUndefined, z.coerce.number({ error: 'ALMREADY_UPLOADS_PER_USER must be a number' })
    .int('ALMREADY_UPLOADS_PER_USER must be a whole number').min(1, 'ALMREADY_UPLOADS_PER_USER must be at least 1').optional()),
  ALMREADY_UPLOAD_IDLE_SECONDS: positiveNumber('ALMREADY_UPLOAD_IDLE_SECONDS'),
  // QuickJS is 32-bit WebAssembly: its whole memory (the cell's limit plus headroom) stays under 4 GB
  ALMREADY_TS_CELL_MEMORY_MB: z.preprocess(blankToUndefined, z.coerce.number({ error: 'ALMREADY_TS_CELL_MEMORY_MB must be a number' })
    .int('ALMREADY_TS_CELL_MEMORY_MB must be a whole number of MB').min(16, 'ALMREADY_TS_CELL_MEMORY_MB must be at least 16')
    .max(2048, 'ALMREADY_TS_CELL_MEMORY_MB must be at most 2048').optional()),
  ALMREADY_TS_CELL_TIMEOUT_S: positiveNumber('ALMREADY_TS_CELL_TIMEOUT_S'),
  ALMREADY_TS_CELL_MAX_OUTPUT_MB: positiveNumber('ALMREADY_TS_CELL_MAX_OUTPUT_MB'),
  ALMREADY_TS_CELL_MAX_HOST_CALLS: positiveNumber('ALMREADY_TS_CELL_MAX_HOST_CALLS'),
});

const limitsSchema = z.object({
  ALMREADY_QUERY_MEMORY_MB: wholeNumber('ALMREADY_QUERY_MEMORY_MB'),
  ALMREADY_QUERY_TEMP_MB: wholeNumber('ALMREADY_QUERY_TEMP_MB'),
  ALMREADY_QUERY_MAX_RESULT_MB: wholeNumber('ALMREADY_QUERY_MAX_RESULT_MB'),
  ALMREADY_QUERIES_AT_ONCE: wholeNumber('ALMREADY_QUERIES_AT_ONCE'),
  ALMREADY_QUERIES_PER_USER: wholeNumber('ALMREADY_QUERIES_PER_USER'),
  ALMREADY_QUERIES_QUEUED_PER_USER: wholeNumber('ALMREADY_QUERIES_QUEUED_PER_USER'),
  ALMREADY_RUN_WORKERS: wholeNumber('ALMREADY_RUN_WORKERS'),
  ALMREADY_RUNS_PER_USER: wholeNumber('ALMREADY_RUNS_PER_USER'),
  ALMREADY_RUNS_QUEUED_PER_USER: wholeNumber('ALMREADY_RUNS_QUEUED_PER_USER'),
  ALMREADY_RUN_SPLIT_MIN_POSITIONS: wholeNumber('ALMREADY_RUN_SPLIT_MIN_POSITIONS'),
  ALMREADY_RUN_SPLIT_PARTS: z.preprocess(blankToUndefined, z.coerce.number({ error: 'ALMREADY_RUN_SPLIT_PARTS must be a number' })
    .int('ALMREADY_RUN_SPLIT_PARTS must be a whole number').min(1, 'ALMREADY_RUN_SPLIT_PARTS must be at least 1')
    .max(64, 'ALMREADY_RUN_SPLIT_PARTS must be at most 64').optional()),
  ALMREADY_RUN_CACHE_MB: z.preprocess(blankToUndefined, z.coerce.number({ error: 'ALMREADY_RUN_CACHE_MB must be a number (MB; 0 turns the cache off)' })
    .int('ALMREADY_RUN_CACHE_MB must be a whole number of MB').min(0, 'ALMREADY_RUN_CACHE_MB must be 0 (no cache) or more').optional()),
  ALMREADY_NOTEBOOK_RUNS_PER_USER: wholeNumber('ALMREADY_NOTEBOOK_RUNS_PER_USER'),
});

const countOf = (name: string, max: number) => z.preprocess(blankToUndefined, z.coerce.number({ error: `${name} must be a number` })
  .int(`${name} must be a whole number`).min(0, `${name} must be 0 or more`).max(max, `${name} must be at most ${max}`).optional());

const warmSchema = z.object({
  ALMREADY_TS_SANDBOXES_READY: countOf('ALMREADY_TS_SANDBOXES_READY', MAX_READY_SANDBOXES),
  ALMREADY_RUN_WORKERS_READY: countOf('ALMREADY_RUN_WORKERS_READY', 64),
});

function warmFrom(e: z.infer<typeof warmSchema>): WarmLimits {
  return {
    sandboxes: e.ALMREADY_TS_SANDBOXES_READY ?? DEFAULT_WARM_LIMITS.sandboxes,
    runWorkers: e.ALMREADY_RUN_WORKERS_READY ?? DEFAULT_WARM_LIMITS.runWorkers,
  };
}

/** Query and run limits from the environment (defaults for what is unset); throws ConfigError listing every bad value. */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): Limits {
  const parsed = limitsSchema.safeParse(env);
  const warm = warmSchema.safeParse(env);
  if (!parsed.success || !warm.success) {
    const issues = [...(parsed.error?.issues ?? []), ...(warm.error?.issues ?? [])];
    throw new ConfigError(`Invalid configuration:\n${issues.map((issue) => `  - ${issue.message}`).join('\n')}`);
  }
  return { ...limitsFrom(parsed.data), warm: warmFrom(warm.data) };
}

function limitsFrom(e: z.infer<typeof limitsSchema>): Limits {
  const q = DEFAULT_QUERY_LIMITS;
  const r = DEFAULT_RUN_LIMITS;
  return {
    query: {
      memoryMb: e.ALMREADY_QUERY_MEMORY_MB ?? q.memoryMb,
      tempMb: e.ALMREADY_QUERY_TEMP_MB ?? q.tempMb,
      maxResultMb: e.ALMREADY_QUERY_MAX_RESULT_MB ?? q.maxResultMb,
      concurrent: e.ALMREADY_QUERIES_AT_ONCE ?? q.concurrent,
      concurrentPerUser: e.ALMREADY_QUERIES_PER_USER ?? q.concurrentPerUser,
      queuedPerUser: e.ALMREADY_QUERIES_QUEUED_PER_USER ?? q.queuedPerUser,
    },
    runs: {
      workers: e.ALMREADY_RUN_WORKERS ?? r.workers,
      perUser: e.ALMREADY_RUNS_PER_USER ?? r.perUser,
      queuedPerUser: e.ALMREADY_RUNS_QUEUED_PER_USER ?? r.queuedPerUser,
      splitMinPositions: e.ALMREADY_RUN_SPLIT_MIN_POSITIONS ?? r.splitMinPositions,
      splitParts: e.ALMREADY_RUN_SPLIT_PARTS ?? r.splitParts,
      cacheMb: e.ALMREADY_RUN_CACHE_MB ?? r.cacheMb,
    },
    notebooks: { executionsPerUser: e.ALMREADY_NOTEBOOK_RUNS_PER_USER ?? DEFAULT_NOTEBOOK_LIMITS.executionsPerUser },
  };
}

/** Reads and validates the environment; creates the data dir and, if needed, the JWT secret. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  const parsedLimits = limitsSchema.safeParse(env);
  const parsedWarm = warmSchema.safeParse(env);
  if (!parsed.success || !parsedLimits.success || !parsedWarm.success) {
    const issues = [...(parsed.error?.issues ?? []), ...(parsedLimits.error?.issues ?? []), ...(parsedWarm.error?.issues ?? [])];
    const lines = issues.map((issue) => `  - ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const limits: Limits = { ...limitsFrom(parsedLimits.data), warm: warmFrom(parsedWarm.data) };
  const corsOrigins = parseOrigins(e.ALMREADY_CORS_ORIGINS ?? '');
  const dataDir = resolve(cwd, e.ALMREADY_DATA_DIR ?? './data');
  const http = httpLimits({
    requestTimeoutMs: e.ALMREADY_REQUEST_TIMEOUT_SECONDS === undefined ? undefined : Math.round(e.ALMREADY_REQUEST_TIMEOUT_SECONDS * 1000),
    headersTimeoutMs: e.ALMREADY_HEADERS_TIMEOUT_SECONDS === undefined ? undefined : Math.round(e.ALMREADY_HEADERS_TIMEOUT_SECONDS * 1000),
    maxRequestsPerClient: e.ALMREADY_MAX_REQUESTS_PER_CLIENT,
  });
  ensureDataDir(dataDir);
  return {
    dataDir,
    port: e.ALMREADY_PORT ?? 8080,
    host: e.ALMREADY_HOST ?? '0.0.0.0',
    corsOrigins,
    sessionTtlDays: e.ALMREADY_SESSION_TTL_DAYS ?? 30,
    jwtSecret: e.ALMREADY_JWT_SECRET ?? readOrCreateJwtSecret(dataDir),
    adminPassword: e.ALMREADY_ADMIN_PASSWORD ?? null,
    maxUploadMb: e.ALMREADY_MAX_UPLOAD_MB ?? 512,
    workspaceTtlDays: e.ALMREADY_WORKSPACE_TTL_DAYS ?? null,
    trustProxy: e.ALMREADY_TRUST_PROXY === '1' || e.ALMREADY_TRUST_PROXY === 'true',
    demoNotebooks: e.ALMREADY_DEMO_NOTEBOOKS !== '0' && e.ALMREADY_DEMO_NOTEBOOKS !== 'false',
    publicUrl: e.ALMREADY_PUBLIC_URL === undefined ? null : parsePublicUrl(e.ALMREADY_PUBLIC_URL),
    logLevel: e.ALMREADY_LOG_LEVEL ?? 'info',
    staticDir: e.ALMREADY_STATIC_DIR ? resolve(cwd, e.ALMREADY_STATIC_DIR) : defaultStaticDir,
    requestTimeoutMs: http.requestTimeoutMs,
    headersTimeoutMs: http.headersTimeoutMs,
    maxRequestsPerClient: http.maxRequestsPerClient,
    zipLimits: {
      entryBytes: e.ALMREADY_MAX_ZIP_ENTRY_MB ? Math.floor(e.ALMREADY_MAX_ZIP_ENTRY_MB * MB) : DEFAULT_ZIP_LIMITS.entryBytes,
      totalBytes: e.ALMREADY_MAX_ZIP_TOTAL_MB ? Math.floor(e.ALMREADY_MAX_ZIP_TOTAL_MB * MB) : DEFAULT_ZIP_LIMITS.totalBytes,
      ratio: e.ALMREADY_MAX_ZIP_RATIO ?? DEFAULT_ZIP_LIMITS.ratio,
      entries: DEFAULT_ZIP_LIMITS.entries,
    },
    uploadsPerUser: e.ALMREADY_UPLOADS_PER_USER ?? DEFAULT_UPLOADS_PER_USER,
    uploadIdleMs: e.ALMREADY_UPLOAD_IDLE_SECONDS ? e.ALMREADY_UPLOAD_IDLE_SECONDS * 1000 : DEFAULT_UPLOAD_IDLE_MS,
    tsCell: {
      ...DEFAULT_TS_CELL_LIMITS,
      memoryMb: e.ALMREADY_TS_CELL_MEMORY_MB ?? DEFAULT_TS_CELL_LIMITS.memoryMb,
      wallMs: e.ALMREADY_TS_CELL_TIMEOUT_S ? Math.round(e.ALMREADY_TS_CELL_TIMEOUT_S * 1000) : DEFAULT_TS_CELL_LIMITS.wallMs,
      maxOutputBytes: e.ALMREADY_TS_CELL_MAX_OUTPUT_MB ? Math.round(e.ALMREADY_TS_CELL_MAX_OUTPUT_MB * 1024 * 1024) : DEFAULT_TS_CELL_LIMITS.maxOutputBytes,
      maxHostCalls: e.ALMREADY_TS_CELL_MAX_HOST_CALLS ? Math.floor(e.ALMREADY_TS_CELL_MAX_HOST_CALLS) : DEFAULT_TS_CELL_LIMITS.maxHostCalls,
    },
    limits,
  };
}

/** Origins are compared exactly against the browser's `Origin` header, so normalise them now. */
export function parseOrigins(list: string): string[] {
  const origins: string[] = [];
  for (const raw of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError(`Invalid configuration:\n  - ALMREADY_CORS_ORIGINS entry "${raw}" is not a URL like https://alm.bank.internal`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConfigError(`Invalid configuration:\n  - ALMREADY_CORS_ORIGINS entry "${raw}" must start with http:// or https://`);
    }
    origins.push(url.origin);
  }
  return origins;
}

/** The public URL is an origin only (scheme, host, port): the origin check compares it exactly. */
export function parsePublicUrl(raw: string): string {
  const fail = (why: string) => new ConfigError(`Invalid configuration:\n  - ALMREADY_PUBLIC_URL "${raw}" ${why}`);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw fail('is not a URL like https://alm.bank.internal or https://alm.bank.internal:8443');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail('must start with https:// (or http://)');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw fail('must be scheme, host and port only, with no path, query or user');
  }
  return url.origin;
}

export function ensureDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new ConfigError(`Cannot create the data directory ${dataDir} (ALMREADY_DATA_DIR): ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The secret is generated once and kept beside the database so tokens survive restarts. */
export function readOrCreateJwtSecret(dataDir: string): string {
  const path = join(dataDir, 'jwt-secret');
  if (existsSync(path)) {
    const secret = readFileSync(path, 'utf8').trim();
    if (secret.length < JWT_SECRET_MIN_LENGTH) {
      throw new ConfigError(`${path} holds a JWT secret shorter than ${JWT_SECRET_MIN_LENGTH} characters; delete it to generate a new one.`);
    }
    return secret;
  }
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return secret;
}
