import { describe, expect, it } from 'vitest';
import { executionParametersSchema, startExecutionBodySchema } from './notebook-exec.ts';

const messages = (body: unknown) => {
  const parsed = startExecutionBodySchema.safeParse(body);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('notebook execution bodies', () => {
  it('accepts each target with what it needs', () => {
    expect(startExecutionBodySchema.parse({ target: 'notebook' })).toEqual({ target: 'notebook' });
    expect(startExecutionBodySchema.parse({ target: 'cell-and-dependents', cellId: 'by_product', parameters: { tier1: '1.2e9', shocks: ['parallel_up'] }, version: 3 }))
      .toEqual({ target: 'cell-and-dependents', cellId: 'by_product', parameters: { tier1: '1.2e9', shocks: ['parallel_up'] }, version: 3 });
  });

  it('refuses what cannot run, naming the field and the fix', () => {
    expect(messages({ target: 'cell' })).toEqual(['cellId: target "cell" needs the cellId of the cell to run']);
    expect(messages({ target: 'notebook', cellId: 'x' })).toEqual(['cellId: target "notebook" runs every cell: leave cellId out, or use target "cell"']);
    expect(messages({ target: 'all' })).toEqual(['target: target must be "notebook", "cell" or "cell-and-dependents"']);
    expect(messages({ target: 'notebook', version: 0 })).toEqual(['version: version must be 1 or more']);
    expect(messages({ target: 'notebook', datasetId: '../x' })).toEqual(['datasetId: datasetId must be the id of a dataset of this workspace']);
    expect(messages({ target: 'notebook', extra: 1 })).toHaveLength(1);
    expect(executionParametersSchema.safeParse({ tier1: { nested: true } }).success).toBe(false);
  });
});
