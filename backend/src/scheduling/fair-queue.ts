/**
 * Fair turns between users, for anything that runs a few at a time (SQL statements, calculation
 * runs). Waiting items are kept per user; the next to start belongs to the user with the fewest
 * running, ties going to whoever was served longest ago. So one user queueing thirty items
 * gets one turn in each round, and someone arriving with one item goes next, not after the
 * thirty. Pure bookkeeping: callers say what runs and start what `take` returns.
 */
export class FairQueue<T> {
  /** user → waiting items, oldest first. Map order = order the users first queued. */
  private readonly queues = new Map<string, T[]>();
  /** user → the tick of their last turn (0 = never served). */
  private readonly served = new Map<string, number>();
  private tick = 0;
  private count = 0;

  /** `first`: ahead of the user's other waiting items (the next step of something already started). */
  push(user: string, item: T, first = false): void {
    const queue = this.queues.get(user);
    if (queue && first) queue.unshift(item);
    else if (queue) queue.push(item);
    else this.queues.set(user, [item]);
    this.count += 1;
  }

  /** Waiting items of `user`. */
  waiting(user: string): number {
    return this.queues.get(user)?.length ?? 0;
  }

  get size(): number {
    return this.count;
  }

  /** Records a turn for an item that started without waiting. */
  markServed(user: string): void {
    this.tick += 1;
    this.served.set(user, this.tick);
  }

  /**
   * The next item to start: from the user with the fewest `running(user)` below `perUser`, ties
   * to the least recently served, then to who queued first. Undefined when no user may start one.
   */
  take(running: (user: string) => number, perUser: number): { user: string; item: T } | undefined {
    let best: string | undefined;
    let bestRunning = 0;
    let bestServed = 0;
    for (const user of this.queues.keys()) {
      const now = running(user);
      if (now >= perUser) continue;
      const served = this.served.get(user) ?? 0;
      if (best === undefined || now < bestRunning || (now === bestRunning && served < bestServed)) {
        best = user;
        bestRunning = now;
        bestServed = served;
      }
    }
    if (best === undefined) return undefined;
    const queue = this.queues.get(best) as T[];
    const item = queue.shift() as T;
    if (queue.length === 0) this.queues.delete(best);
    this.count -= 1;
    this.markServed(best);
    return { user: best, item };
  }

  /** Removes and returns the first waiting item matching `match`. */
  remove(match: (item: T) => boolean): T | undefined {
    for (const [user, queue] of this.queues) {
      const at = queue.findIndex(match);
      if (at < 0) continue;
      const [item] = queue.splice(at, 1);
      if (queue.length === 0) this.queues.delete(user);
      this.count -= 1;
      return item;
    }
    return undefined;
  }

  /** Every waiting item, in the order they would start if nothing else ran; the queue is emptied. */
  drain(): T[] {
    const out: T[] = [];
    const running = new Map<string, number>();
    for (;;) {
      const next = this.take((u) => running.get(u) ?? 0, Number.POSITIVE_INFINITY);
      if (!next) break;
      out.push(next.item);
    }
    return out;
  }
}

export interface SlotLimits {
  /** Items running at once across users. */
  total: number;
  /** Items one user may run at once. */
  perUser: number;
  /** Items one user may have waiting; `acquire` refuses more. */
  queuedPerUser: number;
}

/** Async slots over a FairQueue: `acquire(user)` resolves when the user's turn comes. */
export class FairSlots {
  private readonly running = new Map<string, number>();
  private active = 0;
  private readonly queue = new FairQueue<() => void>();

  constructor(private readonly limits: SlotLimits, private readonly tooMany: (limits: SlotLimits) => Error) {}

  /** Runs `task` in one of the user's slots. */
  async run<T>(user: string, task: () => Promise<T>): Promise<T> {
    await this.acquire(user);
    try {
      return await task();
    } finally {
      this.release(user);
    }
  }

  acquire(user: string): Promise<void> {
    if (this.active < this.limits.total && this.runningFor(user) < this.limits.perUser && this.queue.size === 0) {
      this.start(user);
      this.queue.markServed(user);
      return Promise.resolve();
    }
    if (this.queue.waiting(user) >= this.limits.queuedPerUser) return Promise.reject(this.tooMany(this.limits));
    return new Promise<void>((resolve) => {
      this.queue.push(user, resolve);
      this.pump();
    });
  }

  release(user: string): void {
    const now = this.runningFor(user) - 1;
    if (now > 0) this.running.set(user, now);
    else this.running.delete(user);
    this.active -= 1;
    this.pump();
  }

  stats(): { running: number; waiting: number } {
    return { running: this.active, waiting: this.queue.size };
  }

  private runningFor(user: string): number {
    return this.running.get(user) ?? 0;
  }

  private start(user: string): void {
    this.running.set(user, this.runningFor(user) + 1);
    this.active += 1;
  }

  private pump(): void {
    while (this.active < this.limits.total) {
      const next = this.queue.take((u) => this.runningFor(u), this.limits.perUser);
      if (!next) return;
      this.start(next.user);
      next.item();
    }
  }
}
