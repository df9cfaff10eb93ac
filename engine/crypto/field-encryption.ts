import { createCipheriv, createDecipheriv, createSecretKey, randomFillSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { KeyMaterial } from './key-material';
import { printOnlySummary } from '../inspect-summary';
import { DeterministicSealer } from './deterministic-sealer';

/** Token prefix of tokens under a shared secret key (`keys.encryption` with `env`/`file`). */
export const TOKEN_PREFIX_V1 = 'enc:v1:';
/** Token prefix of tokens under a per-process data key wrapped for a recipient's public key. */
export const TOKEN_PREFIX_V2 = 'enc:v2:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** IVs drawn from the system RNG at once: one `randomFillSync` per this many tokens instead of one call per token. */
const IV_POOL = 1024;

/**
 * What an `encrypt` rule calls: a value and its attribute key in, a token out. Implemented by
 * {@link FieldEncryptor} (shared secret key, `enc:v1`) and `RecipientFieldEncryptor` (public key, `enc:v2`).
 */
export interface ValueEncryptor {
  /** The id written into tokens (the secret key's id, or the per-process data key's id). */
  readonly keyId: string;
  /**
   * With a recipient's public key: the wrapped data key (`ekw:v2:…`), exported once per process as the resource
   * attribute `privacy.encryption.data_key` so the private key's holder can decrypt. Undefined for a shared key.
   */
  readonly wrappedDataKey?: string;
  /** Encrypts `plaintext` bound to `attributeKey` (the same attribute key is needed to decrypt). */
  encrypt(plaintext: string, attributeKey: string): string;
  /**
   * Deterministic mode (`encrypt: [{ key, deterministic: true }]`): equal `plaintext` under the same `attributeKey`
   * and key gives the same token (linkable, like a pseudonym), so repeated values cost a cache lookup. The token has
   * the same format as {@link ValueEncryptor.encrypt}'s and decrypts the same way (see `DeterministicSealer`).
   */
  encryptDeterministic(plaintext: string, attributeKey: string): string;
}

/**
 * AES-256-GCM under one key, set up once: the key is imported once as a `KeyObject`, IVs (random, 96 bits) come
 * from a pool refilled by one RNG call per 1 024 tokens, and the attribute key's associated-data bytes are cached.
 * Per token what is left is the GCM context itself (`createCipheriv`), which `node:crypto` cannot reuse across IVs.
 */
export class GcmSealer {
  private readonly key: KeyObject;
  private readonly ivs = Buffer.alloc(IV_BYTES * IV_POOL);
  private next = IV_POOL;
  private readonly aad = new Map<string, Buffer>();

  constructor(keyBytes: Buffer) {
    if (keyBytes.length !== 32) throw new Error('an AES-256-GCM key must be exactly 32 bytes');
    this.key = createSecretKey(keyBytes);
  }

  /** base64url(iv | ciphertext | tag) of `plaintext` with `attributeKey` as associated data, under a random IV. */
  seal(plaintext: string, attributeKey: string): string {
    if (this.next === IV_POOL) {
      randomFillSync(this.ivs);
      this.next = 0;
    }
    const at = this.next++ * IV_BYTES;
    return this.sealWithIv(plaintext, this.associatedData(attributeKey), this.ivs.subarray(at, at + IV_BYTES));
  }

  /** The UTF-8 bytes of `attributeKey` (cached for up to 4 096 attribute keys). */
  associatedData(attributeKey: string): Buffer {
    let aad = this.aad.get(attributeKey);
    if (aad === undefined) {
      aad = Buffer.from(attributeKey, 'utf8');
      if (this.aad.size < 4096) this.aad.set(attributeKey, aad);
    }
    return aad;
  }

  /**
   * base64url(iv | ciphertext | tag) under the 12-byte `iv` given. The caller guarantees that an IV is never used
   * for two different (plaintext, associated data) pairs: random IVs (`seal`) or synthetic ones
   * (`DeterministicSealer`: the IV is a PRF of exactly these two).
   */
  sealWithIv(plaintext: string, aad: Buffer, iv: Buffer): string {
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(aad);
    const body = cipher.update(plaintext, 'utf8');
    cipher.final();
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  }
}

printOnlySummary(GcmSealer.prototype, 'GcmSealer', () => ({}));

/**
 * Field encryption for `encrypt` rules under a shared secret key: AES-256-GCM, a random 96-bit IV per value, the
 * attribute key as associated data (a token moved to another attribute does not decrypt).
 * Token: `enc:v1:<keyId>:<base64url(iv | ciphertext | tag)>`.
 */
export class FieldEncryptor implements ValueEncryptor {
  readonly keyId: string;
  private readonly prefix: string;
  private readonly sealer: GcmSealer;
  private readonly key: KeyMaterial;
  private deterministic: DeterministicSealer | undefined;

  constructor(key: KeyMaterial) {
    this.key = key;
    this.keyId = key.id;
    this.prefix = `${TOKEN_PREFIX_V1}${key.id}:`;
    this.sealer = new GcmSealer(key.bytes);
  }

  /** Encrypts `plaintext` bound to `attributeKey` (the same key is needed to decrypt). */
  encrypt(plaintext: string, attributeKey: string): string {
    return this.prefix + this.sealer.seal(plaintext, attributeKey);
  }

  /** Encrypts `plaintext` bound to `attributeKey` with a synthetic IV: equal inputs give equal tokens (cached). */
  encryptDeterministic(plaintext: string, attributeKey: string): string {
    this.deterministic ??= new DeterministicSealer(this.key.bytes, this.sealer, this.prefix);
    return this.deterministic.seal(plaintext, attributeKey);
  }

  /** Decrypts an `enc:v1` token this key made for `attributeKey` (see `decryptToken`). */
  decrypt(token: string, attributeKey: string): string {
    return decryptToken(token, this.key, attributeKey);
  }
}

printOnlySummary(FieldEncryptor.prototype, 'FieldEncryptor', (e) => ({ keyId: (e as FieldEncryptor).keyId }));

/** A token split into its parts (no key needed). */
export interface ParsedToken {
  /** 1 (shared secret key) or 2 (data key wrapped for a recipient). */
  readonly version: 1 | 2;
  /** The secret key's id (v1) or the data key's id (v2). */
  readonly keyId: string;
  /** iv | ciphertext | tag. */
  readonly body: Buffer;
}

/**
 * Splits a field-encryption token into version, key id and body.
 * @throws Error when it is not an `enc:v1:` / `enc:v2:` token or is malformed (never echoing the token).
 */
export function parseToken(token: string): ParsedToken {
  const version = token.startsWith(TOKEN_PREFIX_V1) ? 1 : token.startsWith(TOKEN_PREFIX_V2) ? 2 : undefined;
  if (version === undefined) throw new Error('not an otel-privacy encryption token (expected "enc:v1:" or "enc:v2:")');
  const rest = token.slice(TOKEN_PREFIX_V1.length);
  const sep = rest.indexOf(':');
  if (sep <= 0) throw new Error('malformed encryption token: missing key id');
  const body = Buffer.from(rest.slice(sep + 1), 'base64url');
  if (body.length < IV_BYTES + TAG_BYTES) throw new Error('malformed encryption token: too short');
  return { version, keyId: rest.slice(0, sep), body };
}

/** AES-256-GCM-opens `body` (iv | ciphertext | tag) with `attributeKey` as associated data. */
export function openSealed(body: Buffer, key: Buffer | KeyObject, attributeKey: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(attributeKey, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new Error('encryption token failed authentication (wrong key, wrong attribute key, or tampered)');
  }
}

/**
 * Decrypts a shared-key field-encryption token (`enc:v1:`) back to the canonical string of the original value.
 * @param token `enc:v1:<keyId>:<payload>`
 * @param key the 32-byte encryption key (raw bytes), key material whose id must match the token's, or a key ring
 *   (the key whose id the token names is used)
 * @param attributeKey the attribute key the value was stored under (associated data)
 * @throws Error when the token is malformed, no key has its id, or authentication fails. Tokens under a
 *   recipient's public key (`enc:v2:`) need `decryptRecipientToken`.
 */
export function decryptToken(
  token: string,
  key: Buffer | KeyMaterial | readonly KeyMaterial[],
  attributeKey: string,
): string {
  const parsed = parseToken(token);
  if (parsed.version !== 1)
    throw new Error('an enc:v2 token is encrypted for a recipient public key: decrypt it with the private key');
  let material: Buffer;
  if (Buffer.isBuffer(key)) material = key;
  else if (Array.isArray(key)) {
    const found = (key as readonly KeyMaterial[]).find((k) => k.id === parsed.keyId);
    if (found === undefined)
      throw new Error(
        `token was encrypted with key "${parsed.keyId}", which the key ring does not hold (it holds ${(key as readonly KeyMaterial[]).map((k) => `"${k.id}"`).join(', ') || 'no key'})`,
      );
    material = found.bytes;
  } else {
    const one = key as KeyMaterial;
    if (one.id !== parsed.keyId) throw new Error(`token was encrypted with key "${parsed.keyId}", not "${one.id}"`);
    material = one.bytes;
  }
  if (material.length !== 32) throw new Error('encryption key must be exactly 32 bytes');
  return openSealed(parsed.body, material, attributeKey);
}
