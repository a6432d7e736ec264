import { describe, expect, it } from 'vitest';
import { readValidationErrors } from './validationDetails.ts';

describe('readValidationErrors', () => {
  it('keeps the rows and the server total', () => {
    const details = {
      errors: [
        { file: 'positions', row: 4, column: 'notional', value: '-10', reason: 'must be greater than 0' },
        { file: 'positions', row: 9, column: 'currency', value: 'EU', reason: 'not an ISO 4217 code' },
      ],
      total: 1250,
    };
    const read = readValidationErrors(details);
    expect(read?.total).toBe(1250);
    expect(read?.errors.map((e) => e.row)).toEqual([4, 9]);
  });

  it('counts the rows when no total is given and ignores other shapes', () => {
    expect(readValidationErrors({ errors: [{ file: 'curves', row: 2, column: 'rate', value: 'x', reason: 'not a number' }] })?.total).toBe(1);
    expect(readValidationErrors({ message: 'x' })).toBeNull();
    expect(readValidationErrors(undefined)).toBeNull();
  });
});
