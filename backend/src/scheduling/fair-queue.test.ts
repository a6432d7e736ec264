import { describe, expect, it } from 'vitest';
import { FairQueue, FairSlots } from './fair-queue.ts';

/** Starts items one at a time (total 1) as FairQueue orders them, returning the start order. */
function order(submissions: [user: string, item: string][], perUser = 1, total = 1): string[] {
  const queue = new FairQueue<string>();
  const running = new Map<string, number>();
  const started: string[] = [];
  let active = 0;
  const pump = () => {
    while (active < total) {
      const next = queue.take((u) => running.get(u) ?? 0, perUser);
      if (!next) return;
      running.set(next.user, (running.get(next.user) ?? 0) + 1);
      active += 1;
      started.push(next.item);
    }
  };
  for (const [user, item] of submissions) {
    queue.push(user, item);
    pump();
  }
  // Finish in start order, one at a time.
  for (let i = 0; i < started.length; i += 1) {
    const user = (started[i] as string)[0] as string;
    running.set(user, (running.get(user) ?? 1) - 1);
    active -= 1;
    pump();
  }
  return started;
}

describe('FairQueue', () => {
  it('gives a newcomer the next turn instead of the end of a long queue', () => {
    const a = Array.from({ length: 30 }, (_, i): [string, string] => ['a', `a${i + 1}`]);
    const started = order([...a, ['b', 'b1']]);
    expect(started.slice(0, 3)).toEqual(['a1', 'b1', 'a2']);
    expect(started).toHaveLength(31);
  });

  it('puts an item pushed `first` ahead of its user\'s other waiting items only', () => {
    const queue = new FairQueue<string>();
    queue.push('a', 'a1');
    queue.push('a', 'a2');
    queue.push('b', 'b1');
    queue.push('a', 'a-next', true);
    const taken = [0, 1, 2, 3].map(() => queue.take(() => 0, 1)?.item);
    expect(taken).toEqual(['a-next', 'b1', 'a1', 'a2']);
  });

  it('takes turns round-robin between users, oldest waiting first', () => {
    expect(order([['a', 'a1'], ['a', 'a2'], ['a', 'a3'], ['a', 'a4'], ['b', 'b1'], ['c', 'c1'], ['c', 'c2']]))
      .toEqual(['a1', 'b1', 'c1', 'a2', 'c2', 'a3', 'a4']);
  });

  it('prefers the user with fewer running, and skips users at their limit', () => {
    // Two slots, one per user: a1 and b1 run while a2 waits (a is at its limit, the free slot
    // stays free). When a1 ends, c (never served) goes before a (just served).
    expect(order([['a', 'a1'], ['a', 'a2'], ['a', 'a3'], ['b', 'b1'], ['c', 'c1']], 1, 2)).toEqual(['a1', 'b1', 'c1', 'a2', 'a3']);
  });

  it('keeps each user\'s own items in the order they came', () => {
    const started = order([['a', 'a1'], ['b', 'b1'], ['a', 'a2'], ['b', 'b2'], ['a', 'a3'], ['b', 'b3']]);
    expect(started.filter((x) => x.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(started.filter((x) => x.startsWith('b'))).toEqual(['b1', 'b2', 'b3']);
  });

  it('removes a waiting item and drains the rest in turn order', () => {
    const queue = new FairQueue<string>();
    for (const [u, i] of [['a', 'a1'], ['a', 'a2'], ['b', 'b1'], ['a', 'a3']]) queue.push(u as string, i as string);
    expect(queue.remove((i) => i === 'a2')).toBe('a2');
    expect(queue.remove((i) => i === 'zz')).toBeUndefined();
    expect(queue.waiting('a')).toBe(2);
    expect(queue.drain()).toEqual(['a1', 'b1', 'a3']);
    expect(queue.size).toBe(0);
  });
});

describe('FairSlots', () => {
  const busy = () => new Error('busy');

  it('runs at most total at once and perUser per user, in fair order', async () => {
    const slots = new FairSlots({ total: 2, perUser: 1, queuedPerUser: 10 }, busy);
    const started: string[] = [];
    const finish = new Map<string, () => void>();
    const job = (user: string, name: string) => slots.run(user, () => new Promise<void>((resolve) => { started.push(name); finish.set(name, resolve); }));
    const all = [job('a', 'a1'), job('a', 'a2'), job('a', 'a3'), job('b', 'b1'), job('c', 'c1')];
    await Promise.resolve();
    expect(started).toEqual(['a1', 'b1']);
    expect(slots.stats()).toEqual({ running: 2, waiting: 3 });
    finish.get('a1')!();
    await new Promise((r) => setImmediate(r));
    // a has none running now but was served last; c never was.
    expect(started).toEqual(['a1', 'b1', 'c1']);
    finish.get('b1')!();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['a1', 'b1', 'c1', 'a2']);
    for (const name of ['c1', 'a2']) finish.get(name)!();
    await new Promise((r) => setImmediate(r));
    finish.get('a3')!();
    await Promise.all(all);
    expect(started).toEqual(['a1', 'b1', 'c1', 'a2', 'a3']);
    expect(slots.stats()).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses a user\'s item past their waiting cap, frees the slot when a task fails', async () => {
    const slots = new FairSlots({ total: 1, perUser: 1, queuedPerUser: 2 }, busy);
    let release = () => {};
    const first = slots.run('a', () => new Promise<void>((r) => { release = r; }));
    const waiting = [slots.run('a', async () => 'x'), slots.run('a', async () => { throw new Error('task failed'); })];
    await expect(slots.run('a', async () => 'y')).rejects.toThrow('busy');
    // Another user's cap is their own.
    const other = slots.run('b', async () => 'b');
    release();
    await first;
    expect(await Promise.allSettled([...waiting, other])).toMatchObject([{ status: 'fulfilled', value: 'x' }, { status: 'rejected' }, { status: 'fulfilled', value: 'b' }]);
    expect(slots.stats()).toEqual({ running: 0, waiting: 0 });
  });
});
