/**
 * The run's server-sent events (`progress`, `done`, `failed`, `cancelled`) folded into one view
 * state — a pure transition so the EventSource wiring stays thin.
 */
export type RunView =
  | { state: 'waiting'; phase: string | null; fraction: number }
  | { state: 'done'; summary: unknown }
  | { state: 'failed'; message: string }
  | { state: 'cancelled' };

export type RunEvent = { type: 'progress' | 'done' | 'failed' | 'cancelled'; data: string };

function parse(data: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function applyRunEvent(view: RunView, event: RunEvent): RunView {
  if (view.state !== 'waiting') return view; // a finished run does not move again
  const payload = parse(event.data);
  switch (event.type) {
    case 'progress': {
      const fraction = typeof payload.fraction === 'number' ? Math.min(1, Math.max(0, payload.fraction)) : view.fraction;
      return { state: 'waiting', phase: typeof payload.phase === 'string' ? payload.phase : view.phase, fraction };
    }
    case 'done':
      return { state: 'done', summary: payload.summary ?? null };
    case 'failed':
      return { state: 'failed', message: typeof payload.message === 'string' ? payload.message : 'The run failed.' };
    case 'cancelled':
      return { state: 'cancelled' };
    default: {
      const never: never = event.type;
      return never;
    }
  }
}
