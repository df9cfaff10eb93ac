import {
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  constants,
  timingSafeEqual,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { GcmSealer, TOKEN_PREFIX_V2, openSealed, parseToken } from './field-encryption';
import type { ValueEncryptor } from './field-encryption';
import { printOnlySummary } from '../inspect-summary';
import { DeterministicSealer } from './deterministic-sealer';

/** Prefix of a wrapped data key: `ekw:v2:<recipientId>:<dataKeyId>:<algorithm>:<base64url(wrapped)>`. */
export const WRAPPED_KEY_PREFIX = 'ekw:v2:';

/** How a data key is wrapped for a recipient. */
export type WrapAlgorithm = 'x25519-hkdf-sha256' | 'rsa-oaep-256';

/** A recipient's public key as the engine uses it (never a private key). */
export interface RecipientKey {
  /** The id of the recipient key (`keys.encryption[].id`), written into the wrapped data key. */
  readonly id: string;
  /** The public key. */
  readonly publicKey: KeyObject;
  /** `x25519-hkdf-sha256` for an X25519 key, `rsa-oaep-256` for an RSA key. */
  readonly algorithm: WrapAlgorithm;
}

/** Minimum RSA modulus for a recipient key. */
const MIN_RSA_BITS = 2048;

/**
 * Parses a recipient's public key (PEM or DER SubjectPublicKeyInfo). Refuses anything that holds a private key:
 * the producing process must never be able to decrypt what it wrote.
 * @param where how errors name the source, e.g. `keys.encryption[0].recipient (keys/ops.pub.pem)`
 * @throws Error with one line, never the key's content.
 */
export function parseRecipientKey(id: string, text: Buffer, where: string): RecipientKey {
  const latin = text.toString('latin1');
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(latin))
    throw new Error(
      `${where} holds a private key; give the recipient's public key only (the private key stays with whoever decrypts)`,
    );
  let publicKey: KeyObject;
  try {
    publicKey = latin.includes('-----BEGIN')
      ? createPublicKey({ key: latin, format: 'pem' })
      : createPublicKey({ key: text, format: 'der', type: 'spki' });
  } catch {
    throw new Error(`${where} is not a public key (expected a PEM "PUBLIC KEY" block: X25519 or RSA)`);
  }
  const type = publicKey.asymmetricKeyType;
  if (type === 'x25519') return freezeRecipient({ id, publicKey, algorithm: 'x25519-hkdf-sha256' });
  if (type === 'rsa') {
    const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS)
      throw new Error(`${where} is an RSA key of ${bits} bits; at least ${MIN_RSA_BITS} are needed`);
    return freezeRecipient({ id, publicKey, algorithm: 'rsa-oaep-256' });
  }
  throw new Error(`${where} is a ${type ?? 'unknown'} key; a recipient key is X25519 or RSA`);
}

function freezeRecipient(r: RecipientKey): RecipientKey {
  return Object.freeze(r);
}

/** The HKDF info (and RSA-OAEP label) binding a data key to the recipient id and its own id. */
function context(recipientId: string, dataKeyId: string): Buffer {
  return Buffer.from(`otel-privacy enc:v2 ${recipientId} ${dataKeyId}`, 'utf8');
}

/** A fresh data key wrapped for `recipient`: the key (kept in memory) and its wrapped, exportable form. */
export interface DataKey {
  /** Random id written into every token under this data key (`enc:v2:<id>:…`). */
  readonly id: string;
  /** The 32-byte AES-256-GCM data key. */
  readonly bytes: Buffer;
  /** `ekw:v2:<recipientId>:<id>:<algorithm>:<base64url>`: what the private key's holder needs. */
  readonly wrapped: string;
}

/**
 * Makes a data key for `recipient`. X25519: an ephemeral key pair, the data key is HKDF-SHA256 of the shared secret
 * (salt: both public keys; info: recipient and data key ids) and the wrapped form carries the ephemeral public key and
 * a 16-byte key confirmation (more HKDF output);
 * the ephemeral private key is dropped at once. RSA: a random data key encrypted with RSA-OAEP (SHA-256, the ids as
 * label).
 */
export function createDataKey(recipient: RecipientKey): DataKey {
  const id = randomBytes(9).toString('base64url');
  const info = context(recipient.id, id);
  let bytes: Buffer;
  let wrapped: Buffer;
  if (recipient.algorithm === 'x25519-hkdf-sha256') {
    const eph = generateKeyPairSync('x25519');
    const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: recipient.publicKey });
    const ephRaw = rawX25519(eph.publicKey);
    const salt = Buffer.concat([ephRaw, rawX25519(recipient.publicKey)]);
    const okm = Buffer.from(hkdfSync('sha256', shared, salt, info, 48));
    shared.fill(0);
    bytes = Buffer.from(okm.subarray(0, 32));
    // The last 16 bytes confirm the key: a wrong private key or an altered wrapped key is told apart from a bad token.
    wrapped = Buffer.concat([ephRaw, okm.subarray(32)]);
    okm.fill(0);
  } else {
    bytes = randomBytes(32);
    wrapped = publicEncrypt(
      { key: recipient.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: info },
      bytes,
    );
  }
  const out = {
    id,
    bytes,
    wrapped: `${WRAPPED_KEY_PREFIX}${recipient.id}:${id}:${recipient.algorithm}:${wrapped.toString('base64url')}`,
  };
  Object.defineProperty(out, 'bytes', { enumerable: false });
  printOnlySummary(out, 'DataKey', () => ({ id, wrapped: out.wrapped }));
  return Object.freeze(out);
}

/** The 32 raw bytes of an X25519 public key. */
function rawX25519(key: KeyObject): Buffer {
  const der = key.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32);
}

/** A wrapped data key split into its parts. */
export interface ParsedWrappedKey {
  readonly recipientId: string;
  readonly dataKeyId: string;
  readonly algorithm: WrapAlgorithm;
  readonly wrapped: Buffer;
}

/** @throws Error when `text` is not an `ekw:v2:` wrapped data key. */
export function parseWrappedKey(text: string): ParsedWrappedKey {
  const t = text.trim();
  if (!t.startsWith(WRAPPED_KEY_PREFIX))
    throw new Error(
      'not an otel-privacy wrapped data key (expected "ekw:v2:", the privacy.encryption.data_key attribute)',
    );
  const parts = t.slice(WRAPPED_KEY_PREFIX.length).split(':');
  const [recipientId, dataKeyId, algorithm, body] = parts;
  if (parts.length !== 4 || !recipientId || !dataKeyId || !body)
    throw new Error('malformed wrapped data key: expected ekw:v2:<recipient id>:<data key id>:<algorithm>:<key>');
  if (algorithm !== 'x25519-hkdf-sha256' && algorithm !== 'rsa-oaep-256')
    throw new Error(`wrapped data key uses unknown algorithm ${JSON.stringify(algorithm)}`);
  return { recipientId, dataKeyId, algorithm, wrapped: Buffer.from(body, 'base64url') };
}

/**
 * Recovers a data key with the recipient's private key (decryption side only: `otel-privacy decrypt`).
 * @throws Error when the private key does not match or the wrapped key was altered (never echoing key material).
 */
export function unwrapDataKey(wrappedText: string, privateKey: KeyObject): { id: string; bytes: Buffer } {
  const w = parseWrappedKey(wrappedText);
  const info = context(w.recipientId, w.dataKeyId);
  const type = privateKey.asymmetricKeyType;
  if (w.algorithm === 'x25519-hkdf-sha256') {
    if (type !== 'x25519') throw new Error(`data key ${w.dataKeyId} is wrapped for an X25519 key, not a ${type} key`);
    if (w.wrapped.length !== 48) throw new Error(`malformed wrapped data key ${w.dataKeyId}`);
    const ephRaw = w.wrapped.subarray(0, 32);
    const ephPublic = createPublicKey({
      key: Buffer.concat([X25519_SPKI_PREFIX, ephRaw]),
      format: 'der',
      type: 'spki',
    });
    const shared = diffieHellman({ privateKey, publicKey: ephPublic });
    const salt = Buffer.concat([ephRaw, rawX25519(createPublicKey(privateKey))]);
    const okm = Buffer.from(hkdfSync('sha256', shared, salt, info, 48));
    shared.fill(0);
    if (!timingSafeEqual(okm.subarray(32), w.wrapped.subarray(32)))
      throw new Error(`data key ${w.dataKeyId} does not unwrap with this private key (another recipient, or altered)`);
    const bytes = Buffer.from(okm.subarray(0, 32));
    okm.fill(0);
    return { id: w.dataKeyId, bytes };
  }
  if (type !== 'rsa') throw new Error(`data key ${w.dataKeyId} is wrapped for an RSA key, not a ${type} key`);
  try {
    const bytes = privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: info },
      w.wrapped,
    );
    if (bytes.length !== 32) throw new Error('length');
    return { id: w.dataKeyId, bytes };
  } catch {
    throw new Error(`data key ${w.dataKeyId} does not unwrap with this private key (another recipient, or altered)`);
  }
}

/** DER prefix of an X25519 SubjectPublicKeyInfo (RFC 8410), before the 32 raw key bytes. */
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

/**
 * Decrypts an `enc:v2:` token with the data keys recovered by `unwrapDataKey` (by the token's data key id).
 * @throws Error when no data key has the token's id, or authentication fails.
 */
export function decryptRecipientToken(
  token: string,
  dataKeys: ReadonlyMap<string, Buffer>,
  attributeKey: string,
): string {
  const parsed = parseToken(token);
  if (parsed.version !== 2) throw new Error('not an enc:v2 token (an enc:v1 token needs the shared encryption key)');
  const key = dataKeys.get(parsed.keyId);
  if (key === undefined)
    throw new Error(
      `token was encrypted with data key "${parsed.keyId}", and no wrapped data key given has that id (pass the privacy.encryption.data_key resource attribute of the process that wrote it)`,
    );
  return openSealed(parsed.body, key, attributeKey);
}

/**
 * Data keys by recipient key, for the life of the process: a policy reload naming the same recipient keeps the data
 * key (and so the resource attribute already exported), one naming another recipient gets a new one.
 */
const dataKeys = new Map<string, DataKey>();

/**
 * Field encryption for a recipient's public key: one data key per process (and recipient), wrapped for the
 * recipient and exported once as the resource attribute `privacy.encryption.data_key`; each value is AES-256-GCM
 * under the data key with the attribute key as associated data. Token: `enc:v2:<dataKeyId>:<base64url(iv | ct | tag)>`.
 * The process never holds the recipient's private key; it does hold the data key while it runs (see docs).
 */
export class RecipientFieldEncryptor implements ValueEncryptor {
  readonly keyId: string;
  readonly wrappedDataKey: string;
  /** The recipient key's id. */
  readonly recipientId: string;
  private readonly prefix: string;
  private readonly sealer: GcmSealer;
  private readonly dataKey: DataKey;
  private deterministic: DeterministicSealer | undefined;

  constructor(recipient: RecipientKey) {
    const fingerprint = `${recipient.id}\0${recipient.publicKey.export({ format: 'der', type: 'spki' }).toString('base64')}`;
    let dataKey = dataKeys.get(fingerprint);
    if (dataKey === undefined) {
      dataKey = createDataKey(recipient);
      dataKeys.set(fingerprint, dataKey);
    }
    this.dataKey = dataKey;
    this.keyId = dataKey.id;
    this.recipientId = recipient.id;
    this.wrappedDataKey = dataKey.wrapped;
    this.prefix = `${TOKEN_PREFIX_V2}${dataKey.id}:`;
    this.sealer = new GcmSealer(dataKey.bytes);
  }

  /** Encrypts `plaintext` bound to `attributeKey` under the process's data key. */
  encrypt(plaintext: string, attributeKey: string): string {
    return this.prefix + this.sealer.seal(plaintext, attributeKey);
  }

  /**
   * Encrypts `plaintext` bound to `attributeKey` with a synthetic IV under the process's data key: equal inputs give
   * equal tokens within this process (another process, or this one after a restart, has another data key).
   */
  encryptDeterministic(plaintext: string, attributeKey: string): string {
    this.deterministic ??= new DeterministicSealer(this.dataKey.bytes, this.sealer, this.prefix);
    return this.deterministic.seal(plaintext, attributeKey);
  }
}

printOnlySummary(RecipientFieldEncryptor.prototype, 'RecipientFieldEncryptor', (e) => ({
  recipientId: (e as RecipientFieldEncryptor).recipientId,
  dataKeyId: (e as RecipientFieldEncryptor).keyId,
}));

/** A fresh X25519 recipient key pair as PEM (for `otel-privacy keygen --type recipient` and tests). */
export function generateRecipientKeyPair(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return {
    publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}
