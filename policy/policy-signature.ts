import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readRegularFile } from '../engine/read-regular-file';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { keyPathForError } from '../engine/crypto/key-material';
import { parsePolicyText } from './policy-source';
import { referencedFiles } from './referenced-files';
import { policySchema } from './schema';

/**
 * The environment variable naming the Ed25519 public key policies must be signed with: a PEM `PUBLIC KEY` block, or
 * the path of a file holding one. When set, a policy file without a valid signed manifest is refused at start and
 * on reload.
 */
export const POLICY_PUBLIC_KEY_ENV = 'OTEL_PRIVACY_POLICY_PUBLIC_KEY';

/** The environment variable holding the name the signed manifest must carry (the policy's identity). */
export const POLICY_IDENTITY_ENV = 'OTEL_PRIVACY_POLICY_IDENTITY';

/** The environment variable naming the file that keeps the highest accepted serial across restarts. */
export const POLICY_STATE_ENV = 'OTEL_PRIVACY_POLICY_STATE';

/** The signature file's name: the policy's path plus this suffix (`privacy.yaml.sig`). */
export const SIGNATURE_SUFFIX = '.sig';

/** The `format` of a signed manifest; also the first line of the signed message (domain separation). */
export const MANIFEST_FORMAT = 'otel-privacy.policy-manifest.v1';

const SIGNATURE_PREFIX = 'ed25519:';
const SIGNED_PREFIX = Buffer.from(`${MANIFEST_FORMAT}\n`);

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits');

/** A policy identity: what `--name`, `name:` and `OTEL_PRIVACY_POLICY_IDENTITY` hold. */
const identitySchema = z
  .string()
  .min(1, 'expected a non-empty name')
  .max(128, 'expected at most 128 characters')
  .refine((name) => ![...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), {
    message: 'expected no control characters',
  });

const manifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  name: identitySchema,
  serial: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  signedAt: z.string().datetime(),
  policySha256: sha256Hex,
  files: z.array(z.strictObject({ field: z.string().min(1), path: z.string().min(1), sha256: sha256Hex })),
});

/**
 * What a policy's signature covers: its identity, its serial, when it was signed, and the SHA-256 of the policy
 * file's bytes and of every file the policy names (the path as written in the policy).
 */
export type PolicyManifest = z.infer<typeof manifestSchema>;

/** A manifest whose signature verified, with the SHA-256 of its signed text (what the serial state remembers). */
export interface VerifiedManifest {
  readonly manifest: PolicyManifest;
  readonly digest: string;
  /** The signature file it was read from. */
  readonly signatureFile: string;
}

/** The hex SHA-256 of some bytes. */
export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

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
      material = readRegularFile(trimmed);
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
 * Checks a policy identity (`OTEL_PRIVACY_POLICY_IDENTITY`, `sign --name`).
 * @throws Error naming `where` when it is not a usable identity.
 */
export function checkIdentity(value: string, where: string): string {
  const parsed = identitySchema.safeParse(value);
  if (!parsed.success) throw new Error(`${where}: ${parsed.error.issues[0]!.message}`);
  return value;
}

/**
 * Reads a policy's signature file and checks its Ed25519 signature, then the manifest it signs. The policy's own
 * digest is checked by the caller against the bytes it parses.
 * @throws Error with one line: missing, old format, malformed or not matching. Never key material.
 */
export function readSignedManifest(signatureFile: string, publicKey: KeyObject): VerifiedManifest {
  const name = basename(signatureFile);
  let text: string;
  try {
    text = readRegularFile(signatureFile).toString('utf8');
  } catch (err) {
    throw new Error(
      `policy is not signed: cannot read ${signatureFile} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); ${POLICY_PUBLIC_KEY_ENV} requires a signature (otel-privacy sign)`,
      { cause: err },
    );
  }
  if (/^ed25519:[A-Za-z0-9+/]+={0,2}\s*$/.test(text))
    throw new Error(
      `policy signature ${name} is in the old format (the policy's bytes only: no identity, serial or referenced files, so it can be replayed); sign the policy again with otel-privacy sign`,
    );
  const at = text.lastIndexOf(`\n${SIGNATURE_PREFIX}`);
  const line = at < 0 ? '' : text.slice(at + 1 + SIGNATURE_PREFIX.length).replace(/\r?\n$/, '');
  if (at < 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(line))
    throw new Error(
      `policy signature ${name} is malformed (expected the manifest followed by one line "ed25519:<base64>", written by otel-privacy sign)`,
    );
  const manifestText = text.slice(0, at + 1);
  const signature = Buffer.from(line, 'base64');
  // Only the canonical encoding: unused low bits of the last character would otherwise give one signature many texts.
  if (signature.toString('base64') !== line)
    throw new Error(`policy signature ${name} is malformed (the signature line is not canonical base64)`);
  if (
    signature.length !== 64 ||
    !verify(null, Buffer.concat([SIGNED_PREFIX, Buffer.from(manifestText, 'utf8')]), publicKey, signature)
  )
    throw new Error(
      `policy signature ${name} does not verify (its manifest was changed after signing, or signed with another key)`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(manifestText);
  } catch {
    parsed = undefined;
  }
  const manifest = manifestSchema.safeParse(parsed);
  if (!manifest.success)
    throw new Error(
      `policy signature ${name}: the signed manifest is not one this version reads (${manifest.error.issues[0]!.path.join('.') || 'document'}: ${manifest.error.issues[0]!.message})`,
    );
  return { manifest: manifest.data, digest: sha256(manifestText), signatureFile };
}

/**
 * The check of one referenced file's bytes against a verified manifest, by the path as written in the policy.
 * @throws Error naming the file (as written, unless it looks like key material), never its content or digest.
 */
export function checkReferencedFile(verified: VerifiedManifest, writtenPath: string, bytes: Buffer): void {
  const shown = keyPathForError(writtenPath);
  const sig = basename(verified.signatureFile);
  const entry = verified.manifest.files.find((f) => f.path === writtenPath);
  if (entry === undefined)
    throw new Error(`file ${shown} is not covered by the signed manifest ${sig}; sign the policy again`);
  if (sha256(bytes) !== entry.sha256)
    throw new Error(
      `file ${shown} differs from the signed manifest ${sig} (changed or replaced after signing); sign the policy again after a legitimate change`,
    );
}

/** Options of {@link signPolicyFile}. */
export interface SignPolicyOptions {
  /** The identity written into the manifest; default: the policy's `name`. One of them is required. */
  readonly name?: string;
  /**
   * The serial; default: the signing time in whole seconds since the Unix epoch, or one more than the serial of the
   * manifest already next to the policy (when it verifies with this key and has the same identity) if that is higher.
   * Serials from the clock grow without any shared state between signers.
   */
  readonly serial?: number;
  /** The signing time (default: now). */
  readonly now?: Date;
}

/** What {@link signPolicyFile} produced. */
export interface SignedPolicy {
  /** The signature file's content: the manifest, then `ed25519:<base64>`. */
  readonly text: string;
  readonly manifest: PolicyManifest;
}

/**
 * Signs a policy file: reads it and every file it names (derived from the schema's file fields), and returns the
 * signature file's content, a manifest of their SHA-256 digests with identity, serial and time, signed with Ed25519.
 * @param privateKeyBytes PEM or DER PKCS#8 bytes of an Ed25519 private key
 * @throws Error with one line (never echoing the key): invalid policy, unreadable file, no identity, serial not above
 *   the previous one.
 */
export function signPolicyFile(
  policyPath: string,
  privateKeyBytes: Buffer,
  options: SignPolicyOptions = {},
): SignedPolicy {
  const key = privateKey(privateKeyBytes);
  const policyBytes = readRegularFile(policyPath);
  const file = basename(policyPath);
  const { value } = parsePolicyText(policyBytes.toString('utf8'), file);
  const parsed = policySchema.safeParse(value);
  if (!parsed.success)
    throw new Error(`${file} is not a valid policy (run otel-privacy validate ${file} first); nothing signed`);
  const written = parsed.data.name;
  const name = options.name ?? written;
  if (name === undefined)
    throw new Error(`${file} has no name: give one with --name (or "name:" in the policy); it is the identity checked`);
  checkIdentity(name, options.name !== undefined ? '--name' : `${file} name`);
  if (options.name !== undefined && written !== undefined && written !== options.name)
    throw new Error(`--name ${JSON.stringify(options.name)} differs from the policy's name ${JSON.stringify(written)}`);

  const signatureFile = `${policyPath}${SIGNATURE_SUFFIX}`;
  let previous: PolicyManifest | undefined;
  try {
    previous = readSignedManifest(signatureFile, createPublicKey(key)).manifest;
  } catch {
    previous = undefined; // none, old format, or not ours: nothing to continue from
  }
  if (previous !== undefined && previous.name !== name) previous = undefined;
  const now = options.now ?? new Date();
  const serial = options.serial ?? Math.max(previous ? previous.serial + 1 : 1, Math.floor(now.getTime() / 1000));
  if (!Number.isSafeInteger(serial) || serial < 1) throw new Error(`serial ${serial}: expected a positive integer`);
  if (previous !== undefined && serial <= previous.serial)
    throw new Error(
      `serial ${serial} is not above the serial ${previous.serial} already signed for ${JSON.stringify(name)} (processes refuse it as a rollback)`,
    );

  const baseDir = dirname(resolve(policyPath));
  const files = referencedFiles(parsed.data).map(({ field, path }) => {
    const full = isAbsolute(path) ? path : resolve(baseDir, path);
    let bytes: Buffer;
    try {
      bytes = readRegularFile(full);
    } catch (err) {
      throw new Error(
        `${field}: cannot read ${keyPathForError(path)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); every file the policy names is signed with it`,
        { cause: err },
      );
    }
    const digest = sha256(bytes);
    bytes.fill(0);
    return { field, path, sha256: digest };
  });
  const manifest: PolicyManifest = {
    format: MANIFEST_FORMAT,
    name,
    serial,
    signedAt: now.toISOString(),
    policySha256: sha256(policyBytes),
    files,
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  const signature = sign(null, Buffer.concat([SIGNED_PREFIX, Buffer.from(manifestText, 'utf8')]), key);
  return { text: `${manifestText}${SIGNATURE_PREFIX}${signature.toString('base64')}\n`, manifest };
}

function privateKey(bytes: Buffer): KeyObject {
  let key: KeyObject;
  try {
    const text = bytes.toString('latin1');
    key = text.includes('-----BEGIN')
      ? createPrivateKey({ key: text, format: 'pem' })
      : createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' });
  } catch {
    throw new Error(
      'the signing key is not a private key (expected a PEM "PRIVATE KEY" block, from otel-privacy keygen --type signing)',
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`the signing key is a ${key.asymmetricKeyType} key; policies are signed with Ed25519`);
  return key;
}
