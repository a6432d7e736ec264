/** Streams rows of strings to a UTF-8 CSV file (staging for XLSX and bank ZIP rows), honouring backpressure. */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

export function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export class CsvWriter {
  private readonly stream: WriteStream;
  private buffer: string[] = [];
  private bufferedChars = 0;
  rows = 0;

  constructor(readonly path: string, header: readonly string[]) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
    this.buffer.push(header.map(csvField).join(','));
  }

  async write(values: readonly (string | null | undefined)[]): Promise<void> {
    const line = values.map(csvField).join(',');
    this.buffer.push(line);
    this.bufferedChars += line.length;
    this.rows += 1;
    if (this.bufferedChars > 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const text = `${this.buffer.join('\n')}\n`;
    this.buffer = [];
    this.bufferedChars = 0;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
