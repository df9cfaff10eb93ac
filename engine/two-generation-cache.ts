import { printOnlySummary } from './inspect-summary';

/**
 * A bounded string-keyed cache in two generations of at most `size` entries each: a hit costs one or
 * two `Map.get`s (no reordering on the hot path, unlike a strict LRU), a full generation is retired
 * whole, and entries found in the old generation are promoted into the new one. Memory stays bounded
 * at 2 × `size` entries. Used for pseudonyms and for the engine's clean URL/SQL-sanitized and generalized
 * values; every such cache belongs to one compiled policy and lives in memory only.
 */
export class TwoGenerationCache<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  /** @param size entries per generation */
  constructor(private readonly size: number) {}

  /** The cached value for `key`, or `undefined`. */
  get(key: string): V | undefined {
    const v = this.current.get(key);
    if (v !== undefined) return v;
    const old = this.previous.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  /** Caches `value` under `key` (retiring the old generation when the current one is full). */
  set(key: string, value: V): void {
    if (this.current.size >= this.size) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }
}

// Holds raw values (identifiers, URLs): prints only its bound.
printOnlySummary(TwoGenerationCache.prototype, 'TwoGenerationCache', (c) => ({
  size: (c as unknown as { size: number }).size,
}));
