import { it, expect } from 'vitest';
import { openDuckDb } from './duckdb.ts';
it('reads rows', async () => {
  const db = await openDuckDb();
  expect(await db.all('select 40 + ? as x, ? as s, DATE \'2024-01-02\' as d', [2, 'a'])).toEqual([{ x: 42, s: 'a', d: new Date('2024-01-02T00:00:00Z') }]);
  db.close();
});
