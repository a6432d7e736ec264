import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, outputCacheKey, valueHash } from './cache-key.ts';
import { sha256Hex } from './sha256.ts';

describe('sha256', () => {
  it('matches the FIPS test vectors and node:crypto on every padding boundary and on Unicode', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    for (const text of [...Array.from({ length: 130 }, (_, n) => 'x'.repeat(n)), 'مرحبا 👩‍👩‍👧 e\u0301', 'y'.repeat(100_000)]) {
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
  });
});

describe('output cache key', () => {
  const base = { kind: 'sql', source: 'SELECT * FROM by_product', name: 'q', inputs: { by_product: 'h1' }, datasetId: 'd1', engineVersion: '1.0.0' };

  it('is stable for the same parts, whatever the order inputs are given in', () => {
    expect(outputCacheKey(base)).toBe(outputCacheKey({ ...base }));
    expect(outputCacheKey({ ...base, inputs: { b: '2', a: '1' } })).toBe(outputCacheKey({ ...base, inputs: { a: '1', b: '2' } }));
    expect(outputCacheKey(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with each part: source, name, any input hash, dataset, engine version', () => {
    const keys = [
      outputCacheKey(base),
      outputCacheKey({ ...base, source: 'SELECT * FROM by_product ' }),
      outputCacheKey({ ...base, name: 'q2' }),
      outputCacheKey({ ...base, inputs: { by_product: 'h2' } }),
      outputCacheKey({ ...base, inputs: { by_product: 'h1', extra: 'h3' } }),
      outputCacheKey({ ...base, datasetId: 'd2' }),
      outputCacheKey({ ...base, datasetId: null }),
      outputCacheKey({ ...base, engineVersion: '1.0.1' }),
      outputCacheKey({ ...base, kind: 'ts' }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('parts cannot run into each other', () => {
    expect(outputCacheKey({ ...base, source: 'ab', name: 'c' })).not.toBe(outputCacheKey({ ...base, source: 'a', name: 'bc' }));
  });

  it('input values hash by content, object keys in any order', () => {
    expect(valueHash({ b: [1, 2], a: '2024-12-31' })).toBe(valueHash({ a: '2024-12-31', b: [1, 2] }));
    expect(valueHash(['parallel_up'])).not.toBe(valueHash(['parallel_down']));
    expect(canonicalJson({ z: 1, a: { y: null, b: undefined }, n: Number.NaN })).toBe('{"a":{"y":null},"n":"NaN","z":1}');
  });
});
