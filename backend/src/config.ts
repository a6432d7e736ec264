/**
 * Server configuration from the environment, validated once at start-up. A bad value stops the
 * server with one message listing every variable to fix, instead of failing later mid-request.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
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
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Built SPA (frontend/dist); null serves the API only. */
  staticDir: string | null;
  /** HTTP limits; unset means the defaults of `httpLimits` (kept optional so test configs stay short). */
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
  maxRequestsPerClient?: number;
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
  ALMREADY_LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    error: 'ALMREADY_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  }).optional()),
  ALMREADY_STATIC_DIR: z.preprocess(blankToUndefined, z.string().optional()),
  ALMREADY_REQUEST_TIMEOUT_SECONDS: positiveNumber('ALMREADY_REQUEST_TIMEOUT_SECONDS'),
  ALMREADY_HEADERS_TIMEOUT_SECONDS: positiveNumber('ALMREADY_HEADERS_TIMEOUT_SECONDS'),
  ALMREADY_MAX_REQUESTS_PER_CLIENT: z.preprocess(blankToUndefined, z.coerce.number({ error: 'ALMREADY_MAX_REQUESTS_PER_CLIENT must be a number' })
    .int('ALMREADY_MAX_REQUESTS_PER_CLIENT must be a whole number').min(1, 'ALMREADY_MAX_REQUESTS_PER_CLIENT must be at least 1').optional()),
});

/** Reads and validates the environment; creates the data dir and, if needed, the JWT secret. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  - ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const corsOrigins = parseOrigins(e.ALMREADY_CORS_ORIGINS ?? '');
  const dataDir = resolve(cwd, e.ALMREADY_DATA_DIR ?? './data');
  const limits = httpLimits({
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
    logLevel: e.ALMREADY_LOG_LEVEL ?? 'info',
    staticDir: e.ALMREADY_STATIC_DIR ? resolve(cwd, e.ALMREADY_STATIC_DIR) : defaultStaticDir,
    requestTimeoutMs: limits.requestTimeoutMs,
    headersTimeoutMs: limits.headersTimeoutMs,
    maxRequestsPerClient: limits.maxRequestsPerClient,
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
