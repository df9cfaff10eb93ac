/** Entries an `IdentityMemo` holds (a power of two). */
const SIZE = 8;

/**
 * The last few results of a function of immutable objects, looked up by object identity: a hit costs a few pointer
 * comparisons. Used where the same object is seen many times in a row (a trace's tracestate on each of its spans, a
 * request's baggage on each outgoing call). A `WeakMap` would hold more, but inserting a fresh object per request
 * costs microseconds of garbage collection work; this holds at most 8 strong references and never grows.
 */
export class IdentityMemo<K extends object, V> {
  private readonly keys: (K | undefined)[] = new Array<K | undefined>(SIZE).fill(undefined);
  private readonly values: (V | undefined)[] = new Array<V | undefined>(SIZE).fill(undefined);
  private next = 0;

  /** Whether `key` is remembered. */
  has(key: K): boolean {
    for (let i = 0; i < SIZE; i++) if (this.keys[i] === key) return true;
    return false;
  }

  /** The result remembered for `key` (check `has` first when `undefined` is a result). */
  get(key: K): V | undefined {
    for (let i = 0; i < SIZE; i++) if (this.keys[i] === key) return this.values[i];
    return undefined;
  }

  /** Remembers `value` for `key`, forgetting the oldest entry. */
  set(key: K, value: V): void {
    this.keys[this.next] = key;
    this.values[this.next] = value;
    this.next = (this.next + 1) & (SIZE - 1);
  }
}
