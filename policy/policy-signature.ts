import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The environment variable naming the Ed25519 public key policies must be signed with: a PEM `PUBLIC KEY` block, or
 * the path of a file holding one. When set, a policy file without a valid detached signature is refused at start and
 * on reload.
 */
export const POLICY_PUBLIC_KEY_ENV = 'OTEL_PRIVACY_POLICY_PUBLIC_KEY';

/** The detached signature's file name: the policy's path plus this suffix (`privacy.yaml.sig`). */
export const SIGNATURE_SUFFIX = '.sig';

/** Prefix of the one line a signature file holds: `ed25519:<base64 signature over the policy file's bytes>`. */
const SIGNATURE_PREFIX = 'ed25519:';

/**
 * Parses an Ed25519 public key: PEM text, or the path of a PEM/DER file.
 * @param where how errors name the source (e.g. `OTEL_PRIVACY_POLICY_PUBLIC_KEY`)
 * @throws Error with one line (never key material).
 */
export function readPolicyPublicKey(value: string, where: string): KeyObject {
  const trimmed = value.trim();
  let material: string | Buffer = trimmed;
  if (!trimmed.includes('-----BEGIN')) {
    try {
      material = readFileSync(trimmed);
    } catch (err) {
      throw new Error(
        `${where}: expected a PEM public key or the path of a file holding one (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`,
        { cause: err },
      );
    }
  }
  const text = Buffer.isBuffer(material) ? material.toString('latin1') : material;
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text))
    throw new Error(`${where} holds a private key; give the Ed25519 public key only`);
  let key: KeyObject;
  try {
    key = text.includes('-----BEGIN')
      ? createPublicKey({ key: text, format: 'pem' })
      : createPublicKey({ key: material as Buffer, format: 'der', type: 'spki' });
  } catch {
    throw new Error(`${where} is not a public key (expected a PEM "PUBLIC KEY" block)`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${where} is a ${key.asymmetricKeyType} key, not Ed25519`);
  return key;
}

/**
 * Checks the detached signature of a policy file's exact bytes (the bytes that are then parsed, so nothing can change
 * between the check and the load).
 * @param signaturePath normally `policyPath + ".sig"`
 * @throws Error with one line: missing, malformed or not matching.
 */
export function verifyPolicySignature(policyBytes: Buffer, signaturePath: string, publicKey: KeyObject): void {
  let text: string;
  try {
    text = readFileSync(signaturePath, 'utf8').trim();
  } catch (err) {
    throw new Error(
      `policy is not signed: cannot read ${signaturePath} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'}); ${POLICY_PUBLIC_KEY_ENV} requires a signature (otel-privacy sign)`,
      { cause: err },
    );
  }
  if (!text.startsWith(SIGNATURE_PREFIX) || !/^[A-Za-z0-9+/]+={0,2}$/.test(text.slice(SIGNATURE_PREFIX.length)))
    throw new Error(`policy signature ${signaturePath} is malformed (expected one line "ed25519:<base64>")`);
  const signature = Buffer.from(text.slice(SIGNATURE_PREFIX.length), 'base64');
  if (signature.length !== 64 || !verify(null, policyBytes, publicKey, signature))
    throw new Error(
      `policy signature ${signaturePath} does not match the policy file (changed after signing, or signed with another key)`,
    );
}

/**
 * Signs a policy file's bytes with an Ed25519 private key (PEM or DER PKCS#8 bytes): the content of its `.sig` file.
 * @throws Error (never echoing the key) when the key is not an Ed25519 private key.
 */
export function signPolicyBytes(policyBytes: Buffer, privateKeyBytes: Buffer): string {
  let key: KeyObject;
  try {
    const text = privateKeyBytes.toString('latin1');
    key = text.includes('-----BEGIN')
      ? createPrivateKey({ key: text, format: 'pem' })
      : createPrivateKey({ key: privateKeyBytes, format: 'der', type: 'pkcs8' });
  } catch {
    throw new Error(
      'the signing key is not a private key (expected a PEM "PRIVATE KEY" block, from otel-privacy keygen --type signing)',
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`the signing key is a ${key.asymmetricKeyType} key; policies are signed with Ed25519`);
  return `${SIGNATURE_PREFIX}${sign(null, policyBytes, key).toString('base64')}\n`;
}
