import { createHmac } from 'node:crypto';
import type { KeyMaterial } from './key-material';

/** Inputs longer than this are hashed but not cached (bounds the cache's memory). */
const MAX_CACHED_INPUT = 256;

/**
 * Keyed pseudonyms (SPEC §4): HMAC-SHA256 of the canonical value, output `<keyId>:` + base64url of
 * the first 16 bytes of the MAC. Same input and key → same pseudonym in every process (joinable);
 * without the key nothing reverses it.
 *
 * Results are cached in two generations of at most `cacheSize` entries each: a hit costs one or two
 * `Map.get`s (no reordering on the hot path, unlike a strict LRU), a full generation is retired
 * whole, and entries still in use are promoted into the new one. Memory stays bounded at
 * 2 × `cacheSize` entries of at most 256 characters.
 */
export class Pseudonymizer {
  private current = new Map<string, string>();
  private previous = new Map<string, string>();
  private readonly prefix: string;

  constructor(
    private readonly key: KeyMaterial,
    private readonly cacheSize = 10_000,
  ) {
    this.prefix = `${key.id}:`;
  }

  /** The pseudonym of `input`. */
  pseudonym(input: string): string {
    let out = this.current.get(input);
    if (out !== undefined) return out;
    out = this.previous.get(input);
    if (out === undefined) out = this.prefix + createHmac('sha256', this.key.bytes).update(input, 'utf8').digest().subarray(0, 16).toString('base64url');
    if (input.length <= MAX_CACHED_INPUT) {
      if (this.current.size >= this.cacheSize) {
        this.previous = this.current;
        this.current = new Map();
      }
      this.current.set(input, out);
    }
    return out;
  }
}
