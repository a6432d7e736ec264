/**
 * The run's server-sent events (`progress`, `done`, `failed`, `cancelled`) folded into one view
 * state — a pure transition so the EventSource wiring stays thin. Each event's data is read
 * through the contract's schema: an event the server never sends does not move the view.
 */
import { runEventSchema, type RunEventType, type RunSummary } from '@almready/contracts';

export type RunView =
  | { state: 'waiting'; phase: string | null; fraction: number }
  | { state: 'done'; summary: RunSummary }
  | { state: 'failed'; message: string }
  | { state: 'cancelled' };

/** One SSE message as EventSource hands it over: the event name and its raw `data:` text. */
export interface RunEventMessage { type: RunEventType; data: string }

function parse(data: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function applyRunEvent(view: RunView, message: RunEventMessage): RunView {
  if (view.state !== 'waiting') return view; // a finished run does not move again
  const event = runEventSchema.safeParse({ ...parse(message.data), type: message.type });
  if (!event.success) {
    // A finish we cannot read still finishes: the page then reloads the run itself.
    return message.type === 'failed' ? { state: 'failed', message: 'The run failed.' } : message.type === 'cancelled' ? { state: 'cancelled' } : view;
  }
  const e = event.data;
  switch (e.type) {
    case 'progress':
      return { state: 'waiting', phase: e.phase, fraction: e.fraction };
    case 'done':
      return { state: 'done', summary: e.summary };
    case 'failed':
      return { state: 'failed', message: e.message };
    case 'cancelled':
      return { state: 'cancelled' };
    default: {
      const never: never = e;
      return never;
    }
  }
}
