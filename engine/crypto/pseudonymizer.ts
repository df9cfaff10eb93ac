import { HmacSha256 } from './hmac-sha256';
import type { KeyMaterial } from './key-material';
import { TwoGenerationCache } from '../two-generation-cache';
import { printOnlySummary } from '../inspect-summary';

/** Inputs longer than this are hashed but not cached (bounds the cache's memory). */
const MAX_CACHED_INPUT = 256;

/** The base64url alphabet (RFC 4648, section 5) as character codes. */
const ALPHABET = Uint8Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', (c) =>
  c.charCodeAt(0),
);

/**
 * Unpadded base64url of `d[0, 16)` (22 characters; the last holds the 2 low bits of `d[15]`), what
 * `Buffer#toString('base64url', 0, 16)` returns, written by one `String.fromCharCode` call: no call into C++ per new
 * pseudonym (`bench/tools/hmac-compare.mjs`). Written out group by group on purpose: a loop filling an array for
 * `String.fromCharCode.apply` kept about half of the gain (1.04× against 1.09× per new pseudonym, same micro).
 */
export function base64url16(d: Uint8Array): string {
  const a = ALPHABET;
  return String.fromCharCode(
    a[d[0] >> 2],
    a[((d[0] & 3) << 4) | (d[1] >> 4)],
    a[((d[1] & 15) << 2) | (d[2] >> 6)],
    a[d[2] & 63],
    a[d[3] >> 2],
    a[((d[3] & 3) << 4) | (d[4] >> 4)],
    a[((d[4] & 15) << 2) | (d[5] >> 6)],
    a[d[5] & 63],
    a[d[6] >> 2],
    a[((d[6] & 3) << 4) | (d[7] >> 4)],
    a[((d[7] & 15) << 2) | (d[8] >> 6)],
    a[d[8] & 63],
    a[d[9] >> 2],
    a[((d[9] & 3) << 4) | (d[10] >> 4)],
    a[((d[10] & 15) << 2) | (d[11] >> 6)],
    a[d[11] & 63],
    a[d[12] >> 2],
    a[((d[12] & 3) << 4) | (d[13] >> 4)],
    a[((d[13] & 15) << 2) | (d[14] >> 6)],
    a[d[14] & 63],
    a[d[15] >> 2],
    a[(d[15] & 3) << 4],
  );
}

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
    out = this.prefix + base64url16(this.digest);
    if (input.length <= MAX_CACHED_INPUT) this.cache.set(input, out);
    return out;
  }
}

// Holds the key (through its HMAC) and raw identifiers (its cache): prints only the key id.
printOnlySummary(Pseudonymizer.prototype, 'Pseudonymizer', (p) => ({
  keyId: (p as unknown as { prefix: string }).prefix.slice(0, -1),
}));
