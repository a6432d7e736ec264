import { expect, it } from 'vitest';
import { csvLine } from './csv.ts';

it('quotes only fields that need it, doubling quotes, with CRLF line ends', () => {
  expect(csvLine(['a', 1.5, null, 'x,y', 'say "hi"', 'two\nlines', '2024-01-31'])).toBe('a,1.5,,"x,y","say ""hi""","two\nlines",2024-01-31\r\n');
  expect(csvLine([{ k: 1 }, true])).toBe('"{""k"":1}",true\r\n');
});
