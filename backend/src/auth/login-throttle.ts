/**
 * In-memory brute-force brake for logins, keyed by client IP and by username (existing or
 * not, so a lock says nothing about whether an account exists). Ten failures within a minute
 * lock the key; each further lock doubles (1, 2, 4 … 60 minutes). One server process only:
 * a multi-replica deployment would move this to the shared store.
 */
export interface ThrottleOptions {
  maxFailures?: number;
  windowMs?: number;
  baseLockMs?: number;
  maxLockMs?: number;
  now?: () => number;
}

interface KeyState {
  failures: number[];
  lockedUntil: number;
  locks: number;
  lastSeen: number;
}

export type ThrottleVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export class LoginThrottle {
  private readonly keys = new Map<string, KeyState>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly baseLockMs: number;
  private readonly maxLockMs: number;
  private readonly now: () => number;

  constructor(options: ThrottleOptions = {}) {
    this.maxFailures = options.maxFailures ?? 10;
    this.windowMs = options.windowMs ?? 60_000;
    this.baseLockMs = options.baseLockMs ?? 60_000;
    this.maxLockMs = options.maxLockMs ?? 3_600_000;
    this.now = options.now ?? Date.now;
  }

  /** Call before checking the password; locks a key that has used up its failures. */
  check(keys: readonly string[]): ThrottleVerdict {
    const now = this.now();
    let wait = 0;
    for (const key of keys) {
      const state = this.keys.get(key);
      if (!state) continue;
      state.failures = state.failures.filter((t) => now - t < this.windowMs);
      if (state.lockedUntil <= now && state.failures.length >= this.maxFailures) {
        state.locks += 1;
        state.lockedUntil = now + Math.min(this.maxLockMs, this.baseLockMs * 2 ** (state.locks - 1));
        state.failures = [];
      }
      if (state.lockedUntil > now) wait = Math.max(wait, state.lockedUntil - now);
    }
    return wait > 0 ? { ok: false, retryAfterSeconds: Math.ceil(wait / 1000) } : { ok: true };
  }

  recordFailure(keys: readonly string[]): void {
    const now = this.now();
    this.sweep(now);
    for (const key of keys) {
      const state = this.keys.get(key) ?? { failures: [], lockedUntil: 0, locks: 0, lastSeen: now };
      // A long quiet spell earns the short lock back.
      if (now - state.lastSeen > this.maxLockMs && state.lockedUntil <= now) state.locks = 0;
      state.failures.push(now);
      state.lastSeen = now;
      this.keys.set(key, state);
    }
  }

  /** A good password clears that username's record (not the IP's: one account must not
   * reset the counter for guessing others). */
  recordSuccess(key: string): void {
    this.keys.delete(key);
  }

  /** Forget keys idle for longer than the longest lock, so memory stays bounded. */
  private sweep(now: number): void {
    if (this.keys.size < 10_000) return;
    for (const [key, state] of this.keys) {
      if (now - state.lastSeen > this.maxLockMs && state.lockedUntil <= now) this.keys.delete(key);
    }
  }
}
