/**
 * The key a cell's output is stored under: a hash of everything the output depends on — the cell's
 * kind, source and options, the hashes of its inputs (by name), the dataset id and the engine
 * version. An unchanged cell on unchanged inputs finds its output under the same key and never
 * re-runs; two users on different notebook versions write under different keys.
 *
 * Inputs are hashed by the upstream cells' own cache keys (Merkle style), so every key of a notebook
 * is known before anything runs; an input cell's hash is that of its value (`valueHash`).
 */
import { sha256Hex } from './sha256.ts';

/** Bumped when the way outputs are computed from these parts changes. */
export const CACHE_KEY_VERSION = 1;

export interface CacheKeyParts {
  kind: string;
  source: string;
  /** Options that change the output (the cell's name does: SQL results and run tables are named by it). */
  name?: string;
  inputs: Readonly<Record<string, string>>;
  datasetId: string | null;
  engineVersion: string;
}

export function outputCacheKey(parts: CacheKeyParts): string {
  const inputs = Object.keys(parts.inputs).sort().map((name) => [name, parts.inputs[name]!]);
  // JSON of a fixed shape: every part is length-delimited, so no two different part lists share a text
  return sha256Hex(JSON.stringify([CACHE_KEY_VERSION, parts.kind, parts.source, parts.name ?? null, inputs, parts.datasetId, parts.engineVersion]));
}

/** Hash of a JSON-like value with object keys sorted, so equal values hash equally. */
export function valueHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (typeof value === 'number' && !Number.isFinite(value)) return JSON.stringify(String(value));
  if (typeof value === 'bigint') return JSON.stringify(`${value}n`);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
