import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyMaterial } from './key-material';
import { printOnlySummary } from '../inspect-summary';

const TOKEN_PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Field encryption for `encrypt` rules: AES-256-GCM, a random 96-bit IV per value, the attribute key as
 * associated data (a token moved to another attribute does not decrypt). Token: `enc:v1:<keyId>:<base64url(iv | ciphertext | tag)>`.
 */
export class FieldEncryptor {
  constructor(private readonly key: KeyMaterial) {}

  /** Encrypts `plaintext` bound to `attributeKey` (the same key is needed to decrypt). */
  encrypt(plaintext: string, attributeKey: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key.bytes, iv);
    cipher.setAAD(Buffer.from(attributeKey, 'utf8'));
    const body = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${TOKEN_PREFIX}${this.key.id}:${body.toString('base64url')}`;
  }

  /** The id of the key. */
  get keyId(): string {
    return this.key.id;
  }

  /** Decrypts a token this key made for `attributeKey` (see `decryptToken`). */
  decrypt(token: string, attributeKey: string): string {
    return decryptToken(token, this.key, attributeKey);
  }
}

printOnlySummary(FieldEncryptor.prototype, 'FieldEncryptor', (e) => ({
  keyId: (e as unknown as { key: KeyMaterial }).key.id,
}));

/**
 * Decrypts a field-encryption token back to the canonical string of the original value.
 * @param token `enc:v1:<keyId>:<payload>`
 * @param key the 32-byte encryption key (raw bytes), or key material whose id must match the token's
 * @param attributeKey the attribute key the value was stored under (associated data)
 * @throws Error when the token is malformed, the key id differs, or authentication fails.
 */
export function decryptToken(token: string, key: Buffer | KeyMaterial, attributeKey: string): string {
  if (!token.startsWith(TOKEN_PREFIX)) throw new Error('not an otel-privacy encryption token (expected "enc:v1:")');
  const rest = token.slice(TOKEN_PREFIX.length);
  const sep = rest.indexOf(':');
  if (sep <= 0) throw new Error('malformed encryption token: missing key id');
  const keyId = rest.slice(0, sep);
  const material = Buffer.isBuffer(key) ? key : key.bytes;
  if (!Buffer.isBuffer(key) && key.id !== keyId)
    throw new Error(`token was encrypted with key "${keyId}", not "${key.id}"`);
  if (material.length !== 32) throw new Error('encryption key must be exactly 32 bytes');
  const body = Buffer.from(rest.slice(sep + 1), 'base64url');
  if (body.length < IV_BYTES + TAG_BYTES) throw new Error('malformed encryption token: too short');
  const decipher = createDecipheriv('aes-256-gcm', material, body.subarray(0, IV_BYTES));
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
