import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_QUERY_LIMITS, DEFAULT_RUN_LIMITS, DEFAULT_WARM_LIMITS, limitsFromEnv, limitsOf, loadConfig, runLimitsOf, warmLimitsOf } from './config.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'almready-config-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('reads the HTTP limits (seconds in the environment, milliseconds in the config) and keeps headers within the request timeout', () => {
    const dataDir = tempDir();
    expect(loadConfig({ ALMREADY_DATA_DIR: dataDir })).toMatchObject({ requestTimeoutMs: 900_000, headersTimeoutMs: 30_000, maxRequestsPerClient: 64 });
    const set = loadConfig({ ALMREADY_DATA_DIR: dataDir, ALMREADY_REQUEST_TIMEOUT_SECONDS: '20', ALMREADY_HEADERS_TIMEOUT_SECONDS: '60', ALMREADY_MAX_REQUESTS_PER_CLIENT: '8' });
    expect(set).toMatchObject({ requestTimeoutMs: 20_000, headersTimeoutMs: 20_000, maxRequestsPerClient: 8 });
    expect(() => loadConfig({ ALMREADY_DATA_DIR: dataDir, ALMREADY_MAX_REQUESTS_PER_CLIENT: '0' })).toThrow(/ALMREADY_MAX_REQUESTS_PER_CLIENT must be at least 1/);
  });

  it('applies the documented defaults and keeps a generated JWT secret (mode 0600) across loads', () => {
    const dataDir = join(tempDir(), 'data');
    const config = loadConfig({ ALMREADY_DATA_DIR: dataDir });
    expect(config).toMatchObject({
      dataDir, port: 8080, host: '0.0.0.0', corsOrigins: [], sessionTtlDays: 30, adminPassword: null,
      maxUploadMb: 512, workspaceTtlDays: null, trustProxy: false, logLevel: 'info',
    });
    expect(config.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim()).toBe(config.jwtSecret);
    expect(loadConfig({ ALMREADY_DATA_DIR: dataDir }).jwtSecret).toBe(config.jwtSecret);
  });

  it('reads the ts cell limits, defaulting to 128 MB, 60 s, 16 MB of output and 1000 alm calls', () => {
    expect(loadConfig({ ALMREADY_DATA_DIR: tempDir() }).tsCell).toEqual({ memoryMb: 128, stackKb: 1024, wallMs: 60_000, maxOutputBytes: 16 * 1024 * 1024, maxConsoleLines: 10_000, maxHostCalls: 1_000 });
    const config = loadConfig({
      ALMREADY_DATA_DIR: tempDir(), ALMREADY_TS_CELL_MEMORY_MB: '256', ALMREADY_TS_CELL_TIMEOUT_S: '2.5',
      ALMREADY_TS_CELL_MAX_OUTPUT_MB: '1', ALMREADY_TS_CELL_MAX_HOST_CALLS: '50',
    });
    expect(config.tsCell).toMatchObject({ memoryMb: 256, wallMs: 2_500, maxOutputBytes: 1024 * 1024, maxHostCalls: 50 });
    expect(() => loadConfig({ ALMREADY_DATA_DIR: tempDir(), ALMREADY_TS_CELL_TIMEOUT_S: '0' })).toThrow('ALMREADY_TS_CELL_TIMEOUT_S must be greater than 0');
    expect(() => loadConfig({ ALMREADY_DATA_DIR: tempDir(), ALMREADY_TS_CELL_MEMORY_MB: '4096' })).toThrow('ALMREADY_TS_CELL_MEMORY_MB must be at most 2048');
  });

  it('reads every variable', () => {
    const dataDir = tempDir();
    const config = loadConfig({
      ALMREADY_DATA_DIR: dataDir, ALMREADY_PORT: '9090', ALMREADY_HOST: '127.0.0.1',
      ALMREADY_CORS_ORIGINS: 'https://alm.bank.internal/, http://localhost:5173', ALMREADY_SESSION_TTL_DAYS: '7',
      ALMREADY_JWT_SECRET: 's'.repeat(40), ALMREADY_ADMIN_PASSWORD: 'first-admin-password', ALMREADY_MAX_UPLOAD_MB: '64',
      ALMREADY_WORKSPACE_TTL_DAYS: '90', ALMREADY_TRUST_PROXY: '1', ALMREADY_LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      port: 9090, host: '127.0.0.1', corsOrigins: ['https://alm.bank.internal', 'http://localhost:5173'], sessionTtlDays: 7,
      jwtSecret: 's'.repeat(40), adminPassword: 'first-admin-password', maxUploadMb: 64, workspaceTtlDays: 90, trustProxy: true, logLevel: 'warn',
    });
  });

  it('runs the demo notebooks after start-up unless ALMREADY_DEMO_NOTEBOOKS is 0; another value is refused by name', () => {
    expect(loadConfig({ ALMREADY_DATA_DIR: tempDir() }).demoNotebooks).toBe(true);
    expect(loadConfig({ ALMREADY_DATA_DIR: tempDir(), ALMREADY_DEMO_NOTEBOOKS: '0' }).demoNotebooks).toBe(false);
    expect(loadConfig({ ALMREADY_DATA_DIR: tempDir(), ALMREADY_DEMO_NOTEBOOKS: 'false' }).demoNotebooks).toBe(false);
    expect(() => loadConfig({ ALMREADY_DATA_DIR: tempDir(), ALMREADY_DEMO_NOTEBOOKS: 'later' })).toThrow('ALMREADY_DEMO_NOTEBOOKS must be 1 or 0');
  });

  it('reads the upload and ZIP limits, with defaults that refuse a ZIP bomb', () => {
    const defaults = loadConfig({ ALMREADY_DATA_DIR: tempDir() });
    expect(defaults).toMatchObject({
      zipLimits: { entryBytes: 2048 * 1024 * 1024, totalBytes: 4096 * 1024 * 1024, ratio: 100, entries: 1000 }, uploadsPerUser: 3, uploadIdleMs: 60_000,
    });
    const set = loadConfig({
      ALMREADY_DATA_DIR: tempDir(), ALMREADY_MAX_ZIP_ENTRY_MB: '100', ALMREADY_MAX_ZIP_TOTAL_MB: '250', ALMREADY_MAX_ZIP_RATIO: '40',
      ALMREADY_UPLOADS_PER_USER: '2', ALMREADY_UPLOAD_IDLE_SECONDS: '15',
    });
    expect(set).toMatchObject({ zipLimits: { entryBytes: 100 * 1024 * 1024, totalBytes: 250 * 1024 * 1024, ratio: 40, entries: 1000 }, uploadsPerUser: 2, uploadIdleMs: 15_000 });
    expect(() => loadConfig({ ALMREADY_DATA_DIR: tempDir(), ALMREADY_UPLOADS_PER_USER: '0', ALMREADY_MAX_ZIP_RATIO: 'many' }))
      .toThrow(/ALMREADY_UPLOADS_PER_USER must be at least 1[\s\S]*ALMREADY_MAX_ZIP_RATIO must be a number|ALMREADY_MAX_ZIP_RATIO must be a number[\s\S]*ALMREADY_UPLOADS_PER_USER must be at least 1/);
  });

  it('refuses bad values with one message naming every variable to fix', () => {
    const env = {
      ALMREADY_DATA_DIR: tempDir(), ALMREADY_PORT: 'eighty', ALMREADY_SESSION_TTL_DAYS: '-1',
      ALMREADY_JWT_SECRET: 'short', ALMREADY_ADMIN_PASSWORD: 'short', ALMREADY_TRUST_PROXY: 'yes',
    };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('ALMREADY_PORT must be a number');
      expect(message).toContain('ALMREADY_SESSION_TTL_DAYS must be greater than 0');
      expect(message).toContain('ALMREADY_JWT_SECRET must be at least 32 characters');
      expect(message).toContain('ALMREADY_ADMIN_PASSWORD must be at least 10 characters');
      expect(message).toContain('ALMREADY_TRUST_PROXY must be 1 or 0');
    }
    expect(() => loadConfig({ ALMREADY_DATA_DIR: tempDir(), ALMREADY_CORS_ORIGINS: 'alm.bank.internal' })).toThrow(/ALMREADY_CORS_ORIGINS entry "alm.bank.internal" is not a URL/);
  });
});

describe('query and run limits', () => {
  it('default to the documented sizes and read every ALMREADY_QUERY*/RUN* variable', () => {
    const defaults = loadConfig({ ALMREADY_DATA_DIR: tempDir() }).limits;
    expect(defaults?.query).toEqual({ memoryMb: 1024, tempMb: 2048, maxResultMb: 64, concurrent: 3, concurrentPerUser: 2, queuedPerUser: 20 });
    expect(defaults?.runs).toMatchObject({ perUser: 2, queuedPerUser: 10 });
    expect(defaults?.runs.workers).toBeGreaterThanOrEqual(1);
    expect(defaults?.notebooks).toEqual({ executionsPerUser: 3 });
    const set = limitsFromEnv({
      ALMREADY_QUERY_MEMORY_MB: '512', ALMREADY_QUERY_TEMP_MB: '100', ALMREADY_QUERY_MAX_RESULT_MB: '8', ALMREADY_QUERIES_AT_ONCE: '2',
      ALMREADY_QUERIES_PER_USER: '1', ALMREADY_QUERIES_QUEUED_PER_USER: '5', ALMREADY_RUN_WORKERS: '3', ALMREADY_RUNS_PER_USER: '1', ALMREADY_RUNS_QUEUED_PER_USER: '4',
      ALMREADY_NOTEBOOK_RUNS_PER_USER: '2',
    });
    expect(set).toEqual({
      query: { memoryMb: 512, tempMb: 100, maxResultMb: 8, concurrent: 2, concurrentPerUser: 1, queuedPerUser: 5 },
      runs: { workers: 3, perUser: 1, queuedPerUser: 4, splitMinPositions: 200_000, splitParts: DEFAULT_RUN_LIMITS.splitParts, cacheMb: 2048 },
      notebooks: { executionsPerUser: 2 },
      warm: { sandboxes: 1, runWorkers: 1 },
    });
    expect(limitsOf({})).toEqual({ query: DEFAULT_QUERY_LIMITS, runs: DEFAULT_RUN_LIMITS });
  });

  it('reads the split threshold, the parts and the dataset cache budget (0 turns the cache off)', () => {
    const set = limitsFromEnv({ ALMREADY_RUN_SPLIT_MIN_POSITIONS: '50000', ALMREADY_RUN_SPLIT_PARTS: '4', ALMREADY_RUN_CACHE_MB: '0' });
    expect(set.runs).toMatchObject({ splitMinPositions: 50_000, splitParts: 4, cacheMb: 0 });
    expect(runLimitsOf({})).toEqual(DEFAULT_RUN_LIMITS);
    expect(runLimitsOf({ limits: { query: DEFAULT_QUERY_LIMITS, runs: { workers: 2, perUser: 2, queuedPerUser: 3 } } })).toEqual({ ...DEFAULT_RUN_LIMITS, workers: 2, queuedPerUser: 3 });
    let message = '';
    try {
      limitsFromEnv({ ALMREADY_RUN_SPLIT_MIN_POSITIONS: '0', ALMREADY_RUN_SPLIT_PARTS: '1.5', ALMREADY_RUN_CACHE_MB: '-1' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('ALMREADY_RUN_SPLIT_MIN_POSITIONS must be greater than 0');
    expect(message).toContain('ALMREADY_RUN_SPLIT_PARTS must be a whole number');
    expect(message).toContain('ALMREADY_RUN_CACHE_MB must be 0 (no cache) or more');
    expect(() => limitsFromEnv({ ALMREADY_RUN_CACHE_MB: 'lots' })).toThrow(/ALMREADY_RUN_CACHE_MB must be a number/);
  });

  it('lists every bad limit with the other bad variables in one message', () => {
    let message = '';
    try {
      loadConfig({ ALMREADY_DATA_DIR: tempDir(), ALMREADY_PORT: 'x', ALMREADY_RUN_WORKERS: '0', ALMREADY_QUERIES_PER_USER: '1.5', ALMREADY_QUERY_MAX_RESULT_MB: 'lots' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('ALMREADY_PORT must be a number');
    expect(message).toContain('ALMREADY_RUN_WORKERS must be greater than 0');
    expect(message).toContain('ALMREADY_QUERIES_PER_USER must be a whole number');
    expect(message).toContain('ALMREADY_QUERY_MAX_RESULT_MB must be a number');
  });
});

describe('workers started ahead', () => {
  it('keep one ts sandbox and one run worker ready by default; 0 turns either off', () => {
    expect(loadConfig({ ALMREADY_DATA_DIR: tempDir() }).limits?.warm).toEqual({ sandboxes: 1, runWorkers: 1 });
    expect(warmLimitsOf({})).toEqual(DEFAULT_WARM_LIMITS);
    expect(limitsFromEnv({ ALMREADY_TS_SANDBOXES_READY: '3', ALMREADY_RUN_WORKERS_READY: '0' }).warm).toEqual({ sandboxes: 3, runWorkers: 0 });
    expect(limitsFromEnv({ ALMREADY_TS_SANDBOXES_READY: ' ' }).warm).toEqual({ sandboxes: 1, runWorkers: 1 });
  });

  it('refuse a negative, fractional, too large or non-numeric count, naming the variable', () => {
    const messageOf = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig({ ALMREADY_DATA_DIR: tempDir(), ...env });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error('the configuration was accepted');
    };
    expect(messageOf({ ALMREADY_TS_SANDBOXES_READY: '-1' })).toContain('ALMREADY_TS_SANDBOXES_READY must be 0 or more');
    expect(messageOf({ ALMREADY_TS_SANDBOXES_READY: '17' })).toContain('ALMREADY_TS_SANDBOXES_READY must be at most 16');
    expect(messageOf({ ALMREADY_TS_SANDBOXES_READY: '1.5' })).toContain('ALMREADY_TS_SANDBOXES_READY must be a whole number');
    const both = messageOf({ ALMREADY_TS_SANDBOXES_READY: 'two', ALMREADY_RUN_WORKERS_READY: '-2', ALMREADY_PORT: 'x' });
    expect(both).toContain('ALMREADY_TS_SANDBOXES_READY must be a number');
    expect(both).toContain('ALMREADY_RUN_WORKERS_READY must be 0 or more');
    expect(both).toContain('ALMREADY_PORT must be a number');
    expect(() => limitsFromEnv({ ALMREADY_RUN_WORKERS_READY: '65' })).toThrow('ALMREADY_RUN_WORKERS_READY must be at most 64');
  });
});
