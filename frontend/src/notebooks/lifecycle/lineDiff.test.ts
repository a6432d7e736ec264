import { describe, expect, it } from 'vitest';
import { diffCounts, diffLines, splitLines, type DiffLine } from './lineDiff.ts';

const show = (lines: DiffLine[]) => lines.map((l) => `${l.op === 'same' ? ' ' : l.op === 'added' ? '+' : '-'}${l.text}`);

describe('diffLines', () => {
  it('keeps the longest common subsequence and marks the rest', () => {
    expect(show(diffLines(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e']))).toEqual([' a', '-b', '+x', ' c', ' d', '+e']);
  });

  it('finds the LCS across a moved block, not just the common ends', () => {
    // LCS of ABCBDAB / BDCABA has length 4
    const out = diffLines([...'ABCBDAB'], [...'BDCABA']);
    expect(out.filter((l) => l.op === 'same')).toHaveLength(4);
    // replaying the diff gives back both sides
    expect(out.filter((l) => l.op !== 'added').map((l) => l.text).join('')).toBe('ABCBDAB');
    expect(out.filter((l) => l.op !== 'removed').map((l) => l.text).join('')).toBe('BDCABA');
  });

  it('equal texts are all same; empty sides are all added or all removed', () => {
    expect(show(diffLines(['x', 'y'], ['x', 'y']))).toEqual([' x', ' y']);
    expect(show(diffLines([], ['x', 'y']))).toEqual(['+x', '+y']);
    expect(show(diffLines(['x'], []))).toEqual(['-x']);
    expect(diffLines([], [])).toEqual([]);
  });

  it('a repeated line is matched once per occurrence', () => {
    expect(show(diffLines(['}', '}', '}'], ['}', 'z', '}']))).toEqual([' }', '-}', '+z', ' }']);
  });

  it('a very long replaced middle is shown as removed then added without an LCS table', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}`);
    const out = diffLines(['head', ...a, 'tail'], ['head', ...b, 'tail']);
    expect(out[0]).toEqual({ op: 'same', text: 'head' });
    expect(out.at(-1)).toEqual({ op: 'same', text: 'tail' });
    expect(diffCounts(out)).toEqual({ added: 3000, removed: 3000 });
  });

  it('splitLines: an empty source has no lines, a trailing newline an empty last line', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a\nb\n')).toEqual(['a', 'b', '']);
  });
});
