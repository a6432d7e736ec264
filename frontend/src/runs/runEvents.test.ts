import { describe, expect, it } from 'vitest';
import { applyRunEvent, type RunView } from './runEvents.ts';

const start: RunView = { state: 'waiting', phase: null, fraction: 0 };

describe('applyRunEvent', () => {
  it('follows progress then done', () => {
    let view = applyRunEvent(start, { type: 'progress', data: '{"phase":"cashflows","fraction":0.4}' });
    expect(view).toEqual({ state: 'waiting', phase: 'cashflows', fraction: 0.4 });
    view = applyRunEvent(view, { type: 'progress', data: '{"fraction":1.7}' });
    expect(view).toEqual({ state: 'waiting', phase: 'cashflows', fraction: 1 });
    view = applyRunEvent(view, { type: 'done', data: '{"summary":{"worstDeltaEve":-12.5}}' });
    expect(view).toEqual({ state: 'done', summary: { worstDeltaEve: -12.5 } });
    expect(applyRunEvent(view, { type: 'failed', data: '{}' })).toBe(view);
  });

  it('keeps the failure message and survives bad JSON', () => {
    expect(applyRunEvent(start, { type: 'failed', data: '{"message":"No curve EUR_ESTR for currency EUR."}' })).toEqual({ state: 'failed', message: 'No curve EUR_ESTR for currency EUR.' });
    expect(applyRunEvent(start, { type: 'failed', data: 'oops' })).toEqual({ state: 'failed', message: 'The run failed.' });
    expect(applyRunEvent(start, { type: 'cancelled', data: '' })).toEqual({ state: 'cancelled' });
  });
});
