import { createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import { readKeyMaterial } from '../engine/crypto/key-material';
import type { KeyMaterial } from '../engine/crypto/key-material';
import { printOnlySummary } from '../engine/inspect-summary';
import { CliFailure } from './cli-command';

/** A recipient's private key, for `enc:v2` tokens (decryption side only). */
export interface PrivateRecipientKey {
  /** The recipient key's id (as in the policy's `keys.encryption[].id`). */
  readonly id: string;
  /** The private key (never printed). */
  readonly key: KeyObject;
}

/** The keys a key-ring file holds: shared secret keys by id, and recipients' private keys. */
export interface DecryptionKeyRing {
  /** Shared secret keys (`enc:v1` tokens), each picked by the id in the token. */
  readonly secret: readonly KeyMaterial[];
  /** Private keys of recipients (`enc:v2` tokens, through their wrapped data keys). */
  readonly private: readonly PrivateRecipientKey[];
}

/**
 * Reads a recipient's private key (PEM or DER PKCS#8) from a file. Errors name the file, never its content.
 * @throws CliFailure
 */
export function readPrivateKeyFile(path: string, where: string): KeyObject {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new CliFailure(
      `cannot read ${where} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  try {
    const text = bytes.toString('latin1');
    const key = text.includes('-----BEGIN')
      ? createPrivateKey({ key: text, format: 'pem' })
      : createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' });
    if (key.asymmetricKeyType !== 'x25519' && key.asymmetricKeyType !== 'rsa')
      throw new CliFailure(`${where} ${path} is a ${key.asymmetricKeyType} key; a recipient key is X25519 or RSA`);
    return key;
  } catch (err) {
    if (err instanceof CliFailure) throw err;
    throw new CliFailure(`${where} ${path} is not a private key (expected a PEM "PRIVATE KEY" block)`);
  } finally {
    bytes.fill(0);
  }
}

/**
 * Reads a key-ring file for `otel-privacy decrypt --key-ring` (YAML or JSON):
 *
 * ```yaml fragment
 * encryption:
 *   - { id: e2, file: e2.key }                    # shared secret keys, as in the policy (env or file)
 *   - { id: e1, env: OLD_ENCRYPTION_KEY }
 *   - { id: ops-2026, privateKey: ops-2026.pem }  # a recipient's private key (enc:v2 tokens)
 * ```
 * Relative paths are resolved against the file's folder. Errors are one line and never show key material.
 * @throws CliFailure
 */
export function readKeyRingFile(path: string): DecryptionKeyRing {
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliFailure(
      code
        ? `cannot read key ring ${path}: ${code}`
        : `key ring ${path} is not valid YAML or JSON (line numbers withheld: the file holds key references)`,
    );
  }
  const list = (doc as { encryption?: unknown } | null)?.encryption;
  if (!Array.isArray(list) || list.length === 0)
    throw new CliFailure(
      `key ring ${path}: expected "encryption:" with a list of keys ({id, env | file | privateKey})`,
    );
  const base = dirname(resolve(path));
  const secret: KeyMaterial[] = [];
  const priv: PrivateRecipientKey[] = [];
  const seen = new Set<string>();
  list.forEach((entry: unknown, i) => {
    const where = `key ring ${path} encryption[${i}]`;
    if (typeof entry !== 'object' || entry === null)
      throw new CliFailure(`${where}: expected {id, env | file | privateKey}`);
    const e = entry as Record<string, unknown>;
    const unknownKey = Object.keys(e).find((k) => !['id', 'env', 'file', 'privateKey'].includes(k));
    if (unknownKey !== undefined) throw new CliFailure(`${where}: unknown key ${JSON.stringify(unknownKey)}`);
    if (typeof e.id !== 'string' || !/^[A-Za-z0-9_.-]{1,32}$/.test(e.id))
      throw new CliFailure(`${where}.id: expected a key id of 1-32 letters, digits, "_", "." or "-"`);
    if (seen.has(e.id)) throw new CliFailure(`${where}.id: key id ${JSON.stringify(e.id)} appears twice`);
    seen.add(e.id);
    const given = (['env', 'file', 'privateKey'] as const).filter((k) => e[k] !== undefined);
    if (given.length !== 1 || typeof e[given[0]!] !== 'string' || e[given[0]!] === '')
      throw new CliFailure(
        `${where}: expected exactly one of "env", "file" or "privateKey" (a name or path, never a key)`,
      );
    if (given[0] === 'privateKey') {
      const p = e.privateKey as string;
      priv.push(
        Object.freeze({
          id: e.id,
          key: readPrivateKeyFile(isAbsolute(p) ? p : resolve(base, p), `${where}.privateKey`),
        }),
      );
      return;
    }
    try {
      secret.push(readKeyMaterial({ id: e.id, [given[0]!]: e[given[0]!] as string }, 'encryption', base));
    } catch (err) {
      throw new CliFailure(`${where}: ${(err as Error).message}`);
    }
  });
  const ring = { secret, private: priv };
  printOnlySummary(ring, 'DecryptionKeyRing', () => ({
    secret: secret.map((k) => k.id),
    private: priv.map((k) => k.id),
  }));
  return ring;
}
