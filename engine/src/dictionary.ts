import type { DictionaryColumn } from './positions.ts';

/** Builds a dictionary-encoded string column incrementally. */
export class DictionaryBuilder {
  private readonly lookup = new Map<string, number>();
  readonly values: string[] = [];
  private codes: Int32Array;
  private size = 0;

  constructor(capacity = 1024) {
    this.codes = new Int32Array(Math.max(16, capacity));
  }

  push(value: string | undefined | null): void {
    if (this.size === this.codes.length) {
      const grown = new Int32Array(this.codes.length * 2);
      grown.set(this.codes);
      this.codes = grown;
    }
    this.codes[this.size++] = value === undefined || value === null || value === '' ? -1 : this.code(value);
  }

  code(value: string): number {
    let code = this.lookup.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.lookup.set(value, code);
    }
    return code;
  }

  build(): DictionaryColumn {
    return { codes: this.codes.slice(0, this.size), values: this.values.slice() };
  }
}

export function dictionaryValue(column: DictionaryColumn, i: number): string | undefined {
  const code = column.codes[i] ?? -1;
  return code < 0 ? undefined : column.values[code];
}
