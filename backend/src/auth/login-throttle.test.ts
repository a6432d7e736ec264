import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.ts';

describe('LoginThrottle', () => {
  it('locks on the 11th attempt within a minute and doubles each further lock', () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle({ now: () => now });
    const keys = ['ip:1.2.3.4', 'user:erin'];
    for (let i = 0; i < 10; i += 1) {
      expect(throttle.check(keys)).toEqual({ ok: true });
      throttle.recordFailure(keys);
      now += 1_000;
    }
    expect(throttle.check(keys)).toEqual({ ok: false, retryAfterSeconds: 60 });
    now += 30_000;
    expect(throttle.check(keys)).toEqual({ ok: false, retryAfterSeconds: 30 });
    now += 30_000;
    expect(throttle.check(keys)).toEqual({ ok: true });
    for (let i = 0; i < 10; i += 1) throttle.recordFailure(keys);
    expect(throttle.check(keys)).toEqual({ ok: false, retryAfterSeconds: 120 });
    now += 120_000;
    for (let i = 0; i < 10; i += 1) throttle.recordFailure(keys);
    expect(throttle.check(keys)).toEqual({ ok: false, retryAfterSeconds: 240 });
  });

  it('forgets failures older than the window', () => {
    let now = 0;
    const throttle = new LoginThrottle({ now: () => now });
    for (let i = 0; i < 10; i += 1) {
      throttle.recordFailure(['user:a']);
      now += 7_000; // 10 failures spread over 70 s: never 10 inside one minute
    }
    expect(throttle.check(['user:a'])).toEqual({ ok: true });
  });

  it('a success clears the username but not the address', () => {
    const now = 0;
    const throttle = new LoginThrottle({ now: () => now });
    for (let i = 0; i < 10; i += 1) throttle.recordFailure(['ip:x', 'user:a']);
    throttle.recordSuccess('user:a');
    expect(throttle.check(['user:a'])).toEqual({ ok: true });
    expect(throttle.check(['ip:x', 'user:b'])).toEqual({ ok: false, retryAfterSeconds: 60 });
  });
});
