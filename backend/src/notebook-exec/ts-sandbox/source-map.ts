/**
 * Reads the `mappings` of a source map (v3) to take a position in the transpiled JavaScript back
 * to the cell's own TypeScript. A cell has one source, so only generated → original line/column
 * matter; a 40-line decoder saves a dependency for that.
 */

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** One mapped position: generated column → original line/column, all 0-based. */
interface Segment { column: number; sourceLine: number; sourceColumn: number }

export interface LineMap {
  /** 1-based line and column in the cell's source, for a 1-based generated line and column */
  original(line: number, column: number): { line: number; column: number } | undefined;
}

function decodeVlq(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new Error(`source map: invalid base64 digit "${char}"`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}

export function parseSourceMap(mapText: string): LineMap {
  const { mappings } = JSON.parse(mapText) as { mappings: string };
  const lines: Segment[][] = [];
  let sourceLine = 0;
  let sourceColumn = 0;
  for (const lineText of mappings.split(';')) {
    const segments: Segment[] = [];
    let column = 0;
    for (const segmentText of lineText.split(',')) {
      if (segmentText === '') continue;
      const fields = decodeVlq(segmentText);
      column += fields[0] ?? 0;
      if (fields.length < 4) continue;
      sourceLine += fields[2] ?? 0;
      sourceColumn += fields[3] ?? 0;
      segments.push({ column, sourceLine, sourceColumn });
    }
    lines.push(segments);
  }
  return {
    original(line, column) {
      const segments = lines[line - 1];
      if (!segments || segments.length === 0) return undefined;
      // the last segment starting at or before the column; before the first one, the first
      let best = segments[0] as Segment;
      for (const segment of segments) {
        if (segment.column > column - 1) break;
        best = segment;
      }
      return { line: best.sourceLine + 1, column: best.sourceColumn + 1 };
    },
  };
}
