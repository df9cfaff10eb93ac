/** Tolerance for floating-point refill sums (ten 0.1-permit refills must make one permit). */
const EPSILON = 1e-9;

/** Options of a {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Most permits available at once (bucket capacity). Default: `max(1, perSecond)`, i.e. one second's worth. */
  burst?: number;
  /** Monotonic clock in milliseconds, used when `tryAcquire` gets no time. Default: `performance.now()`. */
  clock?: () => number;
}

/**
 * A token bucket for `traces.sampling.maxPerSecond`: `perSecond` permits are added per second,
 * continuously, up to `burst`; each kept item takes one. The bucket starts full. Not thread-safe (Node is
 * single-threaded); time that goes backwards adds nothing.
 */
export class RateLimiter {
  /** Permits added per second. */
  readonly perSecond: number;
  /** Bucket capacity. */
  readonly burst: number;
  private readonly clock: () => number;
  private tokens: number;
  private last: number | undefined;

  /** @throws RangeError when `perSecond` or `burst` is not a positive finite number. */
  constructor(perSecond: number, options: RateLimiterOptions = {}) {
    if (!(Number.isFinite(perSecond) && perSecond > 0))
      throw new RangeError(`expected a positive rate per second, got ${String(perSecond)}`);
    const burst = options.burst ?? Math.max(1, perSecond);
    if (!(Number.isFinite(burst) && burst >= 1))
      throw new RangeError(`expected a burst of at least 1, got ${String(burst)}`);
    this.perSecond = perSecond;
    this.burst = burst;
    this.clock = options.clock ?? (() => performance.now());
    this.tokens = burst;
  }

  /**
   * Takes one permit if one is available at time `now` (milliseconds, same clock as the previous calls).
   * @returns true when the item may pass, false when it is over the rate.
   */
  tryAcquire(now: number = this.clock()): boolean {
    if (this.last === undefined) {
      this.last = now;
    } else if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perSecond) / 1000);
      this.last = now;
    }
    if (this.tokens >= 1 - EPSILON) {
      this.tokens = Math.max(0, this.tokens - 1);
      return true;
    }
    return false;
  }
}
