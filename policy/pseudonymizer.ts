import { createHmac } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { KeyMaterial } from './key-material';

/** Inputs longer than this are hashed but not cached (bounds the cache's memory). */
const MAX_CACHED_INPUT = 256;

/**
 * Keyed pseudonyms (SPEC §4): HMAC-SHA256 of the canonical value, output `<keyId>:` + base64url of
 * the first 16 bytes of the MAC. Same input and key → same pseudonym in every process (joinable);
 * without the key nothing reverses it. Results are kept in a bounded LRU.
 */
export class Pseudonymizer {
  private readonly cache: LRUCache<string, string>;
  private readonly prefix: string;

  constructor(
    private readonly key: KeyMaterial,
    cacheSize = 10_000,
  ) {
    this.prefix = `${key.id}:`;
    this.cache = new LRUCache({ max: cacheSize });
  }

  /** The pseudonym of `input`. */
  pseudonym(input: string): string {
    const cached = this.cache.get(input);
    if (cached !== undefined) return cached;
    const out = this.prefix + createHmac('sha256', this.key.bytes).update(input, 'utf8').digest().subarray(0, 16).toString('base64url');
    if (input.length <= MAX_CACHED_INPUT) this.cache.set(input, out);
    return out;
  }
}
