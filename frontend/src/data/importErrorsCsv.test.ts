import { expect, it } from 'vitest';
import { importErrorsCsv } from './importErrorsCsv.ts';

it('lists every error as CSV, quoting commas and neutralising formulas', () => {
  const csv = importErrorsCsv([
    { file: 'positions.csv', row: 3, column: 'notional', value: 'abc', reason: 'not a number' },
    { file: 'positions.csv', row: 9, column: 'currency', value: '=HYPERLINK("x")', reason: 'unknown currency, use ISO 4217' },
  ]);
  expect(csv).toBe(
    'file,row,column,value,reason\r\n'
    + 'positions.csv,3,notional,abc,not a number\r\n'
    + `positions.csv,9,currency,"'=HYPERLINK(""x"")","unknown currency, use ISO 4217"\r\n`,
  );
});
