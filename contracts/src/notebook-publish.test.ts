import { describe, expect, it } from 'vitest';
import { publishNotebookBodySchema } from './notebook-publish.ts';

const messages = (body: unknown) => {
  const parsed = publishNotebookBodySchema.safeParse(body);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the publish body', () => {
  it('takes nothing (current version, newest dataset, defaults) or any of version, datasetId, parameters', () => {
    expect(publishNotebookBodySchema.parse({})).toEqual({});
    const body = { version: 3, datasetId: '6b1e0f7e-2c1d-4a8e-9f00-1c2d3e4f5a6b', parameters: { tier1: '1.2e9', shocks: ['parallel_up'] } };
    expect(publishNotebookBodySchema.parse(body)).toEqual(body);
  });

  it('refuses what cannot be published, naming the field and the fix', () => {
    expect(messages({ version: 0 })).toEqual(['version: version must be 1 or more']);
    expect(messages({ version: 1.5 })).toEqual(['version: version must be a whole number']);
    expect(messages({ datasetId: '../x' })).toEqual(['datasetId: datasetId must be the id of a dataset of this workspace']);
    expect(messages({ parameters: { tier1: { nested: true } } })).toHaveLength(1);
    expect(messages({ verison: 2 })).toEqual([': Unrecognized key: "verison"']); // the router's validator names the key in its message
  });
});
