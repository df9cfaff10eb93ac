import { HmacSha256 } from './hmac-sha256';
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
  private readonly hmac: HmacSha256;
  private readonly digest = Buffer.alloc(32);

  constructor(
    key: KeyMaterial,
    private readonly cacheSize = 10_000,
  ) {
    this.prefix = `${key.id}:`;
    this.hmac = new HmacSha256(key.bytes);
  }

  /** The pseudonym of `input`. */
  pseudonym(input: string): string {
    let out = this.current.get(input);
    if (out !== undefined) return out;
    out = this.previous.get(input);
    if (out === undefined) {
      this.hmac.mac(input, this.digest);
      out = this.prefix + this.digest.toString('base64url', 0, 16);
    }
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
