import { describe, expect, it } from 'vitest';
import { editorHeight } from './editorHeight.ts';

describe('editorHeight', () => {
  it('counts lines, at least 3 and at most 400 px', () => {
    expect(editorHeight('a', false)).toBe(40 + 19 * 3);
    expect(editorHeight('a\nb\nc\nd\ne', false)).toBe(40 + 19 * 5);
    expect(editorHeight(Array(50).fill('x').join('\n'), false)).toBe(400);
  });
  it('counts a long wrapped JSON line as the lines it wraps to', () => {
    const spec = 'x'.repeat(600); // 5 lines of 130 characters
    expect(editorHeight(spec, true)).toBe(40 + 19 * 5);
    expect(editorHeight(spec, false)).toBe(40 + 19 * 3);
  });
});
