/**
 * One execution's events, kept whole so a subscriber arriving late (an SSE client reconnecting
 * with Last-Event-ID) reads everything after the last `seq` it saw, then waits for more until the
 * execution finishes.
 */
import type { ExecutionEvent, ExecutionEventBody } from './events.ts';

export class EventLog {
  private readonly events: ExecutionEvent[] = [];
  private readonly listeners = new Set<(event: ExecutionEvent) => void>();
  private wake: (() => void)[] = [];
  private closed = false;

  constructor(private readonly executionId: string, private readonly now: () => number) {}

  emit(body: ExecutionEventBody): ExecutionEvent {
    if (this.closed) throw new Error(`execution ${this.executionId} has finished; no event can follow`);
    // The body's own type picks the union member; the fields added here are common to all of them.
    const event = { ...body, executionId: this.executionId, seq: this.events.length, at: this.now() } as ExecutionEvent;
    this.events.push(event);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // a subscriber's failure (a closed SSE socket, a full disk) is its own: the execution goes on
      }
    }
    this.wakeAll();
    return event;
  }

  close(): void {
    this.closed = true;
    this.wakeAll();
  }

  all(): readonly ExecutionEvent[] {
    return this.events;
  }

  subscribe(listener: (event: ExecutionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events with `seq` greater than `afterSeq`, then the ones still to come, ending with the execution. */
  async *after(afterSeq = -1): AsyncGenerator<ExecutionEvent> {
    let next = afterSeq + 1;
    for (;;) {
      while (next < this.events.length) yield this.events[next++]!;
      if (this.closed) return;
      await new Promise<void>((resolve) => this.wake.push(resolve));
    }
  }

  private wakeAll(): void {
    const waiting = this.wake;
    this.wake = [];
    for (const resolve of waiting) resolve();
  }
}
