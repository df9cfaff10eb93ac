import { printOnlySummary } from './inspect-summary';

/** While sampling, an offer is hashed when the low bits of a pseudo-random number are zero: one in 8. */
const SAMPLE_MASK = 7;

/**
 * A bounded string-keyed cache in two generations of at most `size` entries each: a hit costs one or
 * two `Map.get`s (no reordering on the hot path, unlike a strict LRU), a full generation is retired
 * whole, and entries found in the old generation are promoted into the new one. Memory stays bounded
 * at 2 × `size` entries. Used for pseudonyms and for the engine's clean URL/SQL-sanitized and generalized
 * values; every such cache belongs to one compiled policy and lives in memory only.
 *
 * With `admitOnSecondSighting`, `set` stores a key only when the same text was offered before, recently
 * (31-bit hashes of the keys offered recently, no strings). Values seen once (a new user's id, a URL with a
 * per-request token) are never stored: storing them cost more than it saved (every stored string outlives a
 * few young-generation collections and is promoted, then collected as old-generation garbage: about a fifth
 * of the request cost at 100 000 users), and the cache holds no raw value that was only seen once. A
 * hash collision only admits a key early; a value that repeats is stored at its second sighting.
 *
 * When nothing repeats (a whole generation of the admission table found fewer than a handful of second
 * sightings: every id and URL new, as at 100 000 users), hashing every offer is pure cost, so the table then
 * hashes about one offer in 8 (sampled, not every 8th) until second sightings come back: a value repeating then
 * is stored a few sightings later instead of at its second. Sampling never stores a value at its first sighting.
 */
export class TwoGenerationCache<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();
  /**
   * With admission on the second sighting: 31-bit hashes of the keys offered recently, in two generations of
   * `4 × size` (small integers, no strings), so a key is remembered across at least `4 × size` other offers.
   */
  private seen: Set<number> | undefined;
  private seenBefore: Set<number> | undefined;
  /** Second sightings found since `seen` was started. */
  private admitted = 0;
  /** Fewer second sightings than this in a whole generation of `seen` turn sampling on (one turns it off). */
  private readonly repeatsWorthHashing: number;
  /** Whether only about one offer in `SAMPLE_MASK + 1` is hashed (nothing repeated recently). */
  private sampling = false;
  /** While sampling: offers since `seen` was started (its generation still spans `4 × size` offers). */
  private offers = 0;
  /** xorshift32 state for the sampling (deterministic: the same offers give the same admissions). */
  private random = 0x2545f491;

  /**
   * @param size entries per generation
   * @param options `admitOnSecondSighting`: store a key at its second offer only (see the class comment)
   */
  constructor(
    private readonly size: number,
    options?: { readonly admitOnSecondSighting?: boolean },
  ) {
    this.repeatsWorthHashing = Math.max(1, Math.min(8, size >> 7));
    if (options?.admitOnSecondSighting !== true) return;
    this.seen = new Set();
    this.seenBefore = new Set();
  }

  /** The cached value for `key`, or `undefined`. */
  get(key: string): V | undefined {
    // An empty generation is not asked (a cache nothing repeats in stays empty: no lookup at all).
    if (this.current.size !== 0) {
      const v = this.current.get(key);
      if (v !== undefined) return v;
    }
    if (this.previous.size === 0) return undefined;
    const old = this.previous.get(key);
    if (old !== undefined) this.store(key, old);
    return old;
  }

  /** Caches `value` under `key`; with `admitOnSecondSighting`, only when the key was offered before, recently. */
  set(key: string, value: V): void {
    if (this.seen === undefined) {
      this.store(key, value);
      return;
    }
    if (this.sampling) {
      // The generations of the table still span 4 × `size` offers: a value is admitted only when it comes back
      // within them, as without sampling (sampled hashes alone would stretch them 8-fold).
      if (++this.offers >= 4 * this.size) this.retireSeen();
      let x = this.random;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.random = x;
      if ((x & SAMPLE_MASK) !== 0) return;
    }
    // FNV-1a over the UTF-16 code units, to 31 bits (a small integer for the sets).
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    h >>>= 1;
    const seen = this.seen;
    if (seen.has(h) || this.seenBefore!.has(h)) {
      // The hash stays: a key stored before and retired with its generation is stored again at its next offer.
      // A repeat seen while sampling ends the sampling (values repeat again); the next generation decides anew.
      this.admitted++;
      this.sampling = false;
      this.store(key, value);
      return;
    }
    if (!this.sampling && seen.size >= 4 * this.size) this.retireSeen();
    this.seen.add(h);
  }

  /** Starts a new generation of the admission table; sampling for it when the last one found almost no repeats. */
  private retireSeen(): void {
    this.sampling = this.admitted < this.repeatsWorthHashing;
    this.admitted = 0;
    this.offers = 0;
    this.seenBefore = this.seen;
    this.seen = new Set();
  }

  /** Stores `value` under `key` (retiring the old generation when the current one is full). */
  private store(key: string, value: V): void {
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
