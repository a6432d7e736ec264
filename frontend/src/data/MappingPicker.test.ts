import { describe, expect, it } from 'vitest';
import { parseMappingJson } from './MappingPicker.tsx';

describe('parseMappingJson', () => {
  it('accepts an object of column names', () => {
    expect(parseMappingJson('{"notional": "Saldo vivo", "currency": "Divisa"}')).toEqual({ ok: true, mapping: { notional: 'Saldo vivo', currency: 'Divisa' } });
  });

  it('says what to fix for broken JSON and for non-string values', () => {
    expect(parseMappingJson('{notional: x}')).toEqual({ ok: false, message: 'The mapping must be JSON like {"notional": "Outstanding", "maturity_date": "Maturity"}.' });
    expect(parseMappingJson('{"notional": 3}')).toEqual({ ok: false, message: 'The mapping must be one JSON object of canonical column → source column names.' });
    expect(parseMappingJson('["notional"]')).toMatchObject({ ok: false });
  });
});
