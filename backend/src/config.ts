/**
 * Server configuration from the environment, validated once at start-up. A bad value stops the
 * server with one message listing every variable to fix, instead of failing later mid-request.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

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
  /** The origin users reach the server at (ALMREADY_PUBLIC_URL); null: taken from each request's Host. */
  publicUrl?: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Built SPA (frontend/dist); null serves the API only. */
  staticDir: string | null;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const PASSWORD_MIN_LENGTH = 10;
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
  ALMREADY_PUBLIC_URL: z.preprocess(blankToUndefined, z.string().optional()),
  ALMREADY_LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    error: 'ALMREADY_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  }).optional()),
  ALMREADY_STATIC_DIR: z.preprocess(blankToUndefined, z.string().optional()),
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
    publicUrl: e.ALMREADY_PUBLIC_URL === undefined ? null : parsePublicUrl(e.ALMREADY_PUBLIC_URL),
    logLevel: e.ALMREADY_LOG_LEVEL ?? 'info',
    staticDir: e.ALMREADY_STATIC_DIR ? resolve(cwd, e.ALMREADY_STATIC_DIR) : defaultStaticDir,
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
