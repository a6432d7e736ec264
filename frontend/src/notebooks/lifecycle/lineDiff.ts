/**
 * A line diff by longest common subsequence: the lines both texts keep, in order, and what was
 * removed from the first or added in the second. The common head and tail are trimmed first, so an
 * edit in a long cell costs the edited region only; past `MAX_CELLS` of LCS table the middle is
 * shown as removed-then-added rather than freezing the page.
 */
export type LineOp = 'same' | 'removed' | 'added';
export interface DiffLine { op: LineOp; text: string }

const MAX_CELLS = 4_000_000;

export function splitLines(text: string): string[] {
  return text === '' ? [] : text.split('\n');
}

export function diffLines(before: readonly string[], after: readonly string[]): DiffLine[] {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  const a = before.slice(head, before.length - tail);
  const b = after.slice(head, after.length - tail);
  const middle = (a.length + 1) * (b.length + 1) > MAX_CELLS ? replaceAll(a, b) : lcsDiff(a, b);
  return [
    ...before.slice(0, head).map((text): DiffLine => ({ op: 'same', text })),
    ...middle,
    ...before.slice(before.length - tail).map((text): DiffLine => ({ op: 'same', text })),
  ];
}

function replaceAll(a: readonly string[], b: readonly string[]): DiffLine[] {
  return [...a.map((text): DiffLine => ({ op: 'removed', text })), ...b.map((text): DiffLine => ({ op: 'added', text }))];
}

/** lengths[i][j] = LCS length of a[i..] and b[j..], one flat typed array; then one walk from the start. */
function lcsDiff(a: readonly string[], b: readonly string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  const width = m + 1;
  const lengths = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * width + j] = a[i] === b[j] ? lengths[(i + 1) * width + j + 1]! + 1 : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', text: a[i++]! });
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) out.push({ op: 'removed', text: a[i++]! });
    else out.push({ op: 'added', text: b[j++]! });
  }
  while (i < n) out.push({ op: 'removed', text: a[i++]! });
  while (j < m) out.push({ op: 'added', text: b[j++]! });
  return out;
}

/** Lines added and removed, for a one-line summary ("+3 −1"). */
export function diffCounts(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of lines) {
    if (line.op === 'added') added++;
    else if (line.op === 'removed') removed++;
  }
  return { added, removed };
}
