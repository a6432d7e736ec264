import { describe, expect, it } from 'vitest';
import { gapSeries } from './gapSeries.ts';

describe('gapSeries', () => {
  it('computes the gap from assets and liabilities and accumulates in bucket order', () => {
    const table = {
      columns: [{ name: 'bucket', type: 'VARCHAR' }, { name: 'currency', type: 'VARCHAR' }, { name: 'assets', type: 'DOUBLE' }, { name: 'liabilities', type: 'DOUBLE' }],
      rows: [
        { bucket: 'O/N', currency: 'EUR', assets: 100, liabilities: 400 },
        { bucket: 'O/N', currency: 'USD', assets: 10, liabilities: 0 },
        { bucket: '1M-3M', currency: 'EUR', assets: 250, liabilities: 50 },
        { bucket: '1Y-2Y', currency: 'EUR', assets: 300, liabilities: 20 },
      ],
    };
    expect(gapSeries(table)).toEqual([
      { bucket: 'O/N', gap: -290, cumulative: -290 },
      { bucket: '1M-3M', gap: 200, cumulative: -90 },
      { bucket: '1Y-2Y', gap: 280, cumulative: 190 },
    ]);
  });

  it('prefers the server gap column and needs a bucket column', () => {
    const table = { columns: [{ name: 'bucket', type: 'VARCHAR' }, { name: 'gap', type: 'DOUBLE' }], rows: [{ bucket: 'A', gap: 5 }, { bucket: 'B', gap: '-7' }] };
    expect(gapSeries(table).map((p) => p.cumulative)).toEqual([5, -2]);
    expect(gapSeries({ columns: [{ name: 'gap', type: 'DOUBLE' }], rows: [{ gap: 1 }] })).toEqual([]);
  });
});
