import { describe, it, expect } from 'vitest';
import { RateLimiter } from '../../../processors/sampling/rate-limiter';

describe('RateLimiter (token bucket)', () => {
  it('starts full: a burst of 10 000 at one instant yields exactly perSecond permits', () => {
    const limiter = new RateLimiter(100);
    let passed = 0;
    for (let i = 0; i < 10_000; i += 1) if (limiter.tryAcquire(0)) passed += 1;
    expect(passed).toBe(100);
  });

  it('refills continuously: 10 000 attempts over 10 s at maxPerSecond 100 yield about 100 per second', () => {
    const limiter = new RateLimiter(100);
    const perSecond = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i += 1) {
      const now = i; // one attempt per millisecond
      if (limiter.tryAcquire(now)) perSecond[Math.floor(now / 1000)] += 1;
    }
    // First second: the initial bucket (100) plus the refill (~100); afterwards exactly the rate.
    expect(perSecond[0]).toBeGreaterThanOrEqual(199);
    expect(perSecond[0]).toBeLessThanOrEqual(200);
    for (const n of perSecond.slice(1)) expect(n).toBe(100);
  });

  it('uses the injected clock when no time is given', () => {
    let t = 1_000;
    const limiter = new RateLimiter(2, { clock: () => t, burst: 1 });
    expect(limiter.tryAcquire()).toBe(true);
    expect(limiter.tryAcquire()).toBe(false);
    t += 499;
    expect(limiter.tryAcquire()).toBe(false);
    t += 1;
    expect(limiter.tryAcquire()).toBe(true);
    expect(limiter.tryAcquire()).toBe(false);
  });

  it('caps accumulated permits at the burst size after an idle period', () => {
    const limiter = new RateLimiter(10, { burst: 5 });
    expect(limiter.burst).toBe(5);
    let passed = 0;
    for (let i = 0; i < 100; i += 1) if (limiter.tryAcquire(0)) passed += 1;
    expect(passed).toBe(5);
    passed = 0;
    for (let i = 0; i < 100; i += 1) if (limiter.tryAcquire(60_000)) passed += 1;
    expect(passed).toBe(5);
  });

  it('supports fractional rates and small refill steps without losing permits to rounding', () => {
    const slow = new RateLimiter(0.5);
    expect(slow.burst).toBe(1);
    expect(slow.tryAcquire(0)).toBe(true);
    expect(slow.tryAcquire(1_999)).toBe(false);
    expect(slow.tryAcquire(2_000)).toBe(true);
    const fast = new RateLimiter(1000, { burst: 1 });
    expect(fast.tryAcquire(0)).toBe(true);
    let passed = 0;
    for (let i = 1; i <= 1000; i += 1) if (fast.tryAcquire(i * 0.1)) passed += 1; // 0.1 permit per step
    expect(passed).toBe(100);
  });

  it('adds nothing when time goes backwards', () => {
    const limiter = new RateLimiter(1, { burst: 1 });
    expect(limiter.tryAcquire(10_000)).toBe(true);
    expect(limiter.tryAcquire(0)).toBe(false);
    expect(limiter.tryAcquire(10_999)).toBe(false);
    expect(limiter.tryAcquire(11_000)).toBe(true);
  });

  it('rejects invalid configuration', () => {
    expect(() => new RateLimiter(0)).toThrow(RangeError);
    expect(() => new RateLimiter(-1)).toThrow(RangeError);
    expect(() => new RateLimiter(Number.NaN)).toThrow(RangeError);
    expect(() => new RateLimiter(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => new RateLimiter(10, { burst: 0.5 })).toThrow(RangeError);
  });
});
