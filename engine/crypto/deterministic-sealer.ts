import { createHmac, createSecretKey, hkdfSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { GcmSealer } from './field-encryption';
import { TwoGenerationCache } from '../two-generation-cache';
import { printOnlySummary } from '../inspect-summary';

/** HKDF-SHA256 info of the synthetic-IV key: a key of its own, never the GCM key itself. */
const IV_KEY_INFO = 'otel-privacy deterministic field encryption: synthetic IV key v1';
/** Values longer than this (UTF-16 code units) are encrypted but their tokens are not cached. */
const MAX_CACHED_INPUT = 256;
/**
 * Tokens cached per generation (the cache holds at most twice this many; about 146 bytes per entry measured at
 * e-mail-sized values, so at most about 28 MiB, reached only when more than 100 000 distinct values keep repeating).
 * Sized so that 100 000 distinct values in steady use all stay cached: with uniform draws over 100 000 values, a
 * generation of 65 536 hits 79 % of the time and one of 10 000 (the pseudonym cache's size) 14 %, each miss costing
 * a new token.
 */
export const DETERMINISTIC_CACHE_SIZE = 100_000;

/**
 * A cached token of another attribute key than the sealer's first one, with the attribute key it was made for (the
 * cache is keyed by the value alone). Tokens of the first attribute key are cached as the bare string.
 */
interface CachedToken {
  readonly attributeKey: string;
  readonly token: string;
}

/**
 * Deterministic field encryption by a synthetic IV (the SIV idea, built from `node:crypto` primitives only, since
 * the runtime's OpenSSL 3.0 exposes neither AES-SIV nor AES-GCM-SIV to `createCipheriv`):
 *
 * - IV = the first 96 bits of HMAC-SHA256 under an IV key, of `uint32be(len(attribute key)) | attribute key |
 *   value` (UTF-8). The IV key is HKDF-SHA256 of the encryption key (info `otel-privacy deterministic field
 *   encryption: synthetic IV key v1`), so it is never the GCM key.
 * - Then AES-256-GCM under the encryption key with that IV and the attribute key as associated data: exactly the
 *   token of the random mode (`iv | ciphertext | tag`), so decryption needs nothing new and cannot tell the modes
 *   apart; the IV in the token is all it uses.
 *
 * Equal (attribute key, value) pairs give equal tokens (that is the point, and the linkability a pseudonym has);
 * different values reuse a GCM IV only if 96-bit HMAC outputs collide (about n² / 2⁹⁷ for n distinct values, the
 * same bound as random IVs). Tokens are cached in a `TwoGenerationCache` keyed by the value (admitted at its second
 * sighting; values over 256 characters are not cached), so a repeated value costs a lookup: the first attribute key's
 * tokens as bare strings, other attribute keys' with the attribute key they were made for.
 */
export class DeterministicSealer {
  private readonly ivKey: KeyObject;
  private readonly cache: TwoGenerationCache<string | CachedToken>;
  /**
   * The first attribute key this sealer made a token for: its tokens are cached as bare strings, so a hit is one
   * lookup and one comparison (no wrapper object to load), which is most of a hit's cost at 100 000 values.
   */
  private home: string | undefined;
  /** `uint32be(len) | attribute key` per attribute key (bounded like the sealer's associated data). */
  private readonly macPrefix = new Map<string, Buffer>();

  /**
   * @param keyBytes the 32-byte key `sealer` encrypts with (the IV key is derived from it)
   * @param sealer the AES-256-GCM sealer under that key
   * @param prefix written before every token (`enc:v1:<keyId>:` / `enc:v2:<dataKeyId>:`); the cache holds whole tokens
   * @param cacheSize tokens per cache generation
   */
  constructor(
    keyBytes: Buffer,
    private readonly sealer: GcmSealer,
    private readonly prefix: string,
    cacheSize = DETERMINISTIC_CACHE_SIZE,
  ) {
    const ivKey = Buffer.from(hkdfSync('sha256', keyBytes, Buffer.alloc(0), IV_KEY_INFO, 32));
    this.ivKey = createSecretKey(ivKey);
    ivKey.fill(0);
    this.cache = new TwoGenerationCache(cacheSize, { admitOnSecondSighting: true });
  }

  /** The token of `plaintext` under `attributeKey`: from the cache, or sealed under its synthetic IV. */
  seal(plaintext: string, attributeKey: string): string {
    const hit = this.cache.get(plaintext);
    if (hit !== undefined) {
      if (typeof hit === 'string') {
        if (attributeKey === this.home) return hit;
      } else if (hit.attributeKey === attributeKey) return hit.token;
    }
    const iv = this.syntheticIv(plaintext, attributeKey);
    const token = this.prefix + this.sealer.sealWithIv(plaintext, this.sealer.associatedData(attributeKey), iv);
    this.home ??= attributeKey;
    if (plaintext.length <= MAX_CACHED_INPUT)
      this.cache.set(plaintext, attributeKey === this.home ? token : { attributeKey, token });
    return token;
  }

  /** The first 12 bytes of HMAC-SHA256(IV key, uint32be(len(attributeKey)) | attributeKey | plaintext). */
  syntheticIv(plaintext: string, attributeKey: string): Buffer {
    let head = this.macPrefix.get(attributeKey);
    if (head === undefined) {
      const name = Buffer.from(attributeKey, 'utf8');
      head = Buffer.alloc(4 + name.length);
      head.writeUInt32BE(name.length, 0);
      name.copy(head, 4);
      if (this.macPrefix.size < 4096) this.macPrefix.set(attributeKey, head);
    }
    return createHmac('sha256', this.ivKey).update(head).update(plaintext, 'utf8').digest().subarray(0, 12);
  }
}

// Holds a key (the IV key) and raw values (its cache): prints nothing of either.
printOnlySummary(DeterministicSealer.prototype, 'DeterministicSealer', () => ({}));
