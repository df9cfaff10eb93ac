import { TwoGenerationCache } from '../two-generation-cache';

/** Inputs longer than this are transformed every time, never cached (bounds the cache's memory). */
export const MAX_CACHED_TRANSFORM_INPUT = 512;

/** Default number of entries per cache generation. */
export const DEFAULT_TRANSFORM_CACHE_SIZE = 2048;

/**
 * Wraps a pure string transform (the URL or SQL sanitizer) with a bounded cache: telemetry repeats
 * the same URLs and statements, and a hit returns the very string object produced the first time,
 * so the value scanner's clean-value cache then finds it without rehashing it.
 *
 * A `TwoGenerationCache` of `size` entries per generation (inputs up to `MAX_CACHED_TRANSFORM_INPUT`
 * characters). The cache lives in the closure, which belongs to one compiled policy
 * (`buildTools`), so a hot-reloaded policy starts with an empty cache. Like the pseudonym cache, it
 * holds raw inputs in memory only; nothing in it is exported.
 */
export function cachedTransform(transform: (value: string) => string, size = DEFAULT_TRANSFORM_CACHE_SIZE): (value: string) => string {
  const cache = new TwoGenerationCache<string>(size);
  return (value: string): string => {
    if (value.length > MAX_CACHED_TRANSFORM_INPUT) return transform(value);
    let out = cache.get(value);
    if (out === undefined) cache.set(value, (out = transform(value)));
    return out;
  };
}
