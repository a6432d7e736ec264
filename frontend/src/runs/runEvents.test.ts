/** The SSE fold over a real run's stream (api/fixtures: the events the server sent, in order). */
import { describe, expect, it } from 'vitest';
import type { RunEventType } from '@almready/contracts';
import { fixtures, rawAnswers } from '../api/fixtures/index.ts';
import { applyRunEvent, type RunEventMessage, type RunView } from './runEvents.ts';

const start: RunView = { state: 'waiting', phase: null, fraction: 0 };

/** Each captured event as EventSource hands it over: the event name and its `data:` text. */
const wire: RunEventMessage[] = rawAnswers.runEvents.map(({ type, ...data }) => ({ type: type as RunEventType, data: JSON.stringify(data) }));

describe('applyRunEvent', () => {
  it('follows the server\'s progress phases, then shows the summary the done event carries', () => {
    const seen: RunView[] = [];
    let view: RunView = start;
    for (const message of wire) {
      view = applyRunEvent(view, message);
      seen.push(view);
    }
    const progress = fixtures.runEvents.filter((e) => e.type === 'progress');
    expect(seen.slice(0, -1)).toEqual(progress.map((e) => ({ state: 'waiting', phase: e.phase, fraction: e.fraction })));
    expect(view).toEqual({ state: 'done', summary: fixtures.run.summary });
    expect(applyRunEvent(view, { type: 'failed', data: '{"message":"late"}' })).toBe(view);
  });

  it('keeps the failure message and survives bad JSON', () => {
    expect(applyRunEvent(start, { type: 'failed', data: '{"message":"No curve EUR_ESTR for currency EUR."}' })).toEqual({ state: 'failed', message: 'No curve EUR_ESTR for currency EUR.' });
    expect(applyRunEvent(start, { type: 'failed', data: 'oops' })).toEqual({ state: 'failed', message: 'The run failed.' });
    expect(applyRunEvent(start, { type: 'cancelled', data: '' })).toEqual({ state: 'cancelled' });
  });

  it('does not move on an event the server never sends', () => {
    const midway = applyRunEvent(start, wire[1]!);
    expect(applyRunEvent(midway, { type: 'progress', data: '{"phase":"eve","fraction":"half"}' })).toBe(midway);
    expect(applyRunEvent(midway, { type: 'done', data: '{"summary":{"worstDeltaEve":-12.5}}' })).toBe(midway);
  });
});
