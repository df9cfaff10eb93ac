import { HmacSha256 } from './hmac-sha256';
import type { KeyMaterial } from './key-material';
import { TwoGenerationCache } from '../two-generation-cache';
import { printOnlySummary } from '../inspect-summary';

/** Inputs longer than this are hashed but not cached (bounds the cache's memory). */
const MAX_CACHED_INPUT = 256;

/**
 * Keyed pseudonyms for `hash` rules: HMAC-SHA256 of the canonical value, output `<keyId>:` + base64url of
 * the first 16 bytes of the MAC. Same input and key → same pseudonym in every process (joinable);
 * without the key nothing reverses it.
 *
 * Results are cached in a `TwoGenerationCache` of `cacheSize` entries per generation (inputs of at
 * most 256 characters), so memory stays bounded at 2 × `cacheSize` entries; an input is stored at its second
 * sighting (an identifier seen once, e.g. of a user who does not come back soon, is not kept; when no id repeats,
 * a few sightings later: see `TwoGenerationCache`).
 */
export class Pseudonymizer {
  private readonly cache: TwoGenerationCache<string>;
  private readonly prefix: string;
  private readonly hmac: HmacSha256;
  private readonly digest = Buffer.alloc(32);
  /** The id of the key, written before every pseudonym (`<keyId>:`). */
  readonly keyId: string;

  constructor(key: KeyMaterial, cacheSize = 10_000) {
    this.keyId = key.id;
    this.cache = new TwoGenerationCache(cacheSize, { admitOnSecondSighting: true });
    this.prefix = `${key.id}:`;
    this.hmac = new HmacSha256(key.bytes);
  }

  /** The pseudonym of `input`. */
  pseudonym(input: string): string {
    let out = this.cache.get(input);
    if (out !== undefined) return out;
    this.hmac.mac(input, this.digest);
    out = this.prefix + this.digest.toString('base64url', 0, 16);
    if (input.length <= MAX_CACHED_INPUT) this.cache.set(input, out);
    return out;
  }
}

// Holds the key (through its HMAC) and raw identifiers (its cache): prints only the key id.
printOnlySummary(Pseudonymizer.prototype, 'Pseudonymizer', (p) => ({
  keyId: (p as unknown as { prefix: string }).prefix.slice(0, -1),
}));
