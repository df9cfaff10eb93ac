import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { KeyRef } from '../../policy/schema';

/** A key as the engine uses it: its id (written into outputs) and its secret bytes. */
export interface KeyMaterial {
  /** The id written into pseudonyms (`<id>:…`) and encryption tokens. */
  readonly id: string;
  /** The secret. Never logged, never part of the policy hash. */
  readonly bytes: Buffer;
}

/** Minimum HMAC key length and exact encryption key length, in bytes. */
export const KEY_LENGTH = { hmac: 32, encryption: 32 } as const;

/**
 * Decodes key text: `base64:…`, `hex:…`, or otherwise the raw UTF-8 bytes (a trailing newline is
 * ignored, so `echo`-written files work).
 */
export function decodeKeyText(text: string): Buffer {
  const t = text.replace(/\r?\n$/, '');
  if (t.startsWith('base64:')) {
    const body = t.slice(7).trim();
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(body)) throw new Error('is not valid base64');
    return Buffer.from(body, body.includes('-') || body.includes('_') ? 'base64url' : 'base64');
  }
  if (t.startsWith('hex:')) {
    const body = t.slice(4).trim();
    if (!/^([0-9a-fA-F]{2})*$/.test(body)) throw new Error('is not valid hex');
    return Buffer.from(body, 'hex');
  }
  return Buffer.from(t, 'utf8');
}

/**
 * Reads the secret a key reference points at and checks its length.
 * @param baseDir directory against which a relative `file` is resolved (the policy file's folder).
 * @throws Error with a one-line reason (never the key material).
 */
export function readKeyMaterial(ref: KeyRef, kind: keyof typeof KEY_LENGTH, baseDir: string): KeyMaterial {
  let text: string;
  if (ref.env !== undefined) {
    const v = process.env[ref.env];
    if (v === undefined || v === '') throw new Error(`environment variable ${ref.env} is not set`);
    text = v;
  } else {
    const path = isAbsolute(ref.file!) ? ref.file! : resolve(baseDir, ref.file!);
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(
        `cannot read key file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        { cause: err },
      );
    }
  }
  const source = ref.env !== undefined ? `environment variable ${ref.env}` : `key file ${ref.file}`;
  let bytes: Buffer;
  try {
    bytes = decodeKeyText(text);
  } catch (err) {
    throw new Error(`${source} ${(err as Error).message}`, { cause: err });
  }
  const need = KEY_LENGTH[kind];
  if (kind === 'encryption' && bytes.length !== need) {
    throw new Error(`${source} holds ${bytes.length} bytes; an encryption key must be exactly ${need} bytes (AES-256)`);
  }
  if (bytes.length < need) throw new Error(`${source} holds ${bytes.length} bytes; an HMAC key needs at least ${need}`);
  return { id: ref.id, bytes };
}
