import { readRegularFile } from '../read-regular-file';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { KeyRef } from '../../policy/schema';
import { printOnlyText } from '../inspect-summary';
import { createValueScanner } from '../detectors/value-scanner';
import type { DetectorScanner } from '../detectors/value-scanner';

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
 * Key material that is not there (environment variable unset or empty, key file absent or unreadable), as opposed to
 * key material that is present but unusable. Tools that never use the key (`validate --ignore-missing-keys`,
 * `explain`, `collector-config`) substitute a throwaway key for this one only.
 */
export class MissingKeyError extends Error {
  override readonly name = 'MissingKeyError';
}

/**
 * Decodes key material in the one format every consumer of keys reads (policy keys, the spool key, `otel-privacy
 * decrypt --key`): `base64:…` (base64 or base64url), `hex:…`, or otherwise the raw bytes. One trailing newline is
 * ignored, so `echo`- and `keygen`-written files work. A Buffer (a key file's bytes) is decoded the same way; raw
 * binary bytes in a file are taken as they are.
 * @param length the exact length the caller needs (an encryption key: 32), if any. Raw bytes are then read the way
 *   that gives that length: as they are, or without a `\n` or `\r\n` line end, so a raw key whose own last byte is
 *   `\n` or `\r` (1 random key in 128) is not cut by the line-end rule.
 * @throws Error (`is not valid base64` / `is not valid hex`), never echoing the material.
 */
export function decodeKeyText(input: string | Buffer, length?: number): Buffer {
  if (Buffer.isBuffer(input)) {
    const head = input.subarray(0, 7).toString('latin1');
    if (!head.startsWith('base64:') && !head.startsWith('hex:')) {
      if (length !== undefined && input.length >= length && input.length <= length + 2) {
        const tail = input.subarray(length).toString('latin1');
        if (tail === '' || tail === '\n' || tail === '\r\n') return Buffer.from(input.subarray(0, length));
      }
      const end = input.length - (input.at(-1) === 0x0a ? (input.at(-2) === 0x0d ? 2 : 1) : 0);
      return Buffer.from(input.subarray(0, end));
    }
    input = input.toString('latin1');
  }
  const t = input.replace(/\r?\n$/, '');
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

/** Most key texts remembered for diagnostics (a process reads a handful of keys). */
const MAX_KEY_TEXTS = 64;
const keyTexts = new Set<string>();

/** The texts of the keys this process read (see {@link rememberKeyText}); diagnostics never print them. */
export const rememberedKeyTexts: ReadonlySet<string> = keyTexts;

/**
 * Remembers the text of a key the process read (an environment variable's value, a key file's content), so
 * diagnostic text (`diagnosticText`) never prints it, whatever it looks like. Bounded: the first 64 texts are kept
 * (a process reads a handful of keys); texts shorter than 8 characters are not remembered (they would mask ordinary
 * words).
 */
export function rememberKeyText(text: string): void {
  for (const t of [text.trim(), text.trim().replace(/^(base64|hex):/i, '')]) {
    if (t.length >= 8 && keyTexts.size < MAX_KEY_TEXTS) keyTexts.add(t);
  }
}

/** What an error says instead of a value that looks like key material. */
export const KEY_LIKE_VALUE_NOT_SHOWN = 'value not shown: looks like key material';

/** A plausible environment variable name (letters, digits, `_`, not starting with a digit). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Whether the letters of `t` are upper and lower case in proportions random base64 has (each at least a sixth of
 * them): a key written in base64 without digits or padding (`VIZygtEMfsGGDAZwvVvEKIM`), not an identifier in camel
 * case (`userAccountIdentifier`, a few capitals) or an upper-case name.
 */
function casesMixedLikeRandom(t: string): boolean {
  let upper = 0;
  let lower = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
  }
  const letters = upper + lower;
  return letters >= 16 && upper * 6 >= letters && lower * 6 >= letters;
}

/**
 * Whether `text`, found where a name or a path belongs (an environment variable name, a key file
 * path), looks like a key itself, so an error must not echo it: a `base64:`/`hex:` key, a long hex
 * or mixed-case base64 run, or a long token with neither a directory nor an extension.
 */
export function looksLikeKeyMaterial(text: string): boolean {
  const t = text.trim();
  if (/^(base64|hex):/i.test(t)) return true;
  if (/^[0-9a-fA-F]{32,}$/.test(t)) return true;
  if (
    t.length >= 20 &&
    /^[A-Za-z0-9+/_=-]+$/.test(t) &&
    /[a-z]/.test(t) &&
    /[A-Z]/.test(t) &&
    (/[\d+/=]/.test(t) || casesMixedLikeRandom(t))
  )
    return true;
  if (/[^\x20-\x7e]/.test(t)) return true;
  return t.length >= 32 && !t.includes('/') && !t.includes('\\') && !t.includes('.');
}

/** An environment variable name as an error may show it, or the notice that it is not shown. */
export function envNameForError(name: string): string {
  // Long variable names are common (`OTEL_PRIVACY_HMAC_KEY_BILLING`): only a hex run or a long
  // mixed-case token without `_` is taken for a key among plausible names.
  const keyLike = !ENV_NAME.test(name)
    ? true
    : /^[0-9a-fA-F]{32,}$/.test(name) ||
      (name.length >= 24 && !name.includes('_') && /[a-z]/.test(name) && /[A-Z]/.test(name) && /\d/.test(name));
  return keyLike ? `(${KEY_LIKE_VALUE_NOT_SHOWN})` : name;
}

let findingScanner: DetectorScanner | undefined;

/**
 * The value-scanner finding types (every built-in detector) in `text`, e.g. `['email']`. For errors and reports
 * only: the scanner is built on first use.
 */
export function findingTypes(text: string): readonly string[] {
  findingScanner ??= createValueScanner({ detectors: 'all', action: 'mask', mask: '', cleanCacheSize: 0 });
  return findingScanner.scan(text).types;
}

/**
 * Why `text` must not be printed, or `undefined` when it may be: `looks like key material`, or `holds an email`
 * (`holds a us-ssn, iban`) when the value scanner (every built-in detector) finds something in it. Short values
 * count too (`AKIAIOSFODNN7EXAMPLE`).
 */
export function whyNotShown(text: string): string | undefined {
  if (looksLikeKeyMaterial(text)) return 'looks like key material';
  const types = findingTypes(text);
  if (types.length === 0) return undefined;
  return `holds ${/^[aeio]/i.test(types[0]!) ? 'an' : 'a'} ${types.join(', ')}`;
}

/**
 * A file path (a key, certificate, pin, policy or opt-out file) as an error may show it, or the notice that it is not
 * shown. A path that names an existing file is a path, whatever it looks like (`/run/secrets/hmacKey1` has the
 * letters and digits of a key); only text that is no file and looks like key material or holds a value-scanner
 * finding is withheld: `(value not shown: looks like key material)`, `(value not shown: holds an email)`.
 * @param baseDir directory against which a relative path is resolved (default: the working directory).
 */
export function keyPathForError(path: string, baseDir?: string): string {
  const why = whyNotShown(path);
  if (why === undefined) return path;
  const exists = existsSync(baseDir === undefined ? path : resolve(baseDir, path));
  return exists ? path : `(value not shown: ${why})`;
}

/**
 * A name where an error shows a name (a policy mapping key, an unknown key, a header name): the name itself, or
 * `<key not shown: looks like key material>` / `<key not shown: holds an email>` when it is key material or holds
 * a value-scanner finding.
 */
export function keyNameForError(name: string): string {
  const why = whyNotShown(name);
  return why === undefined ? name : `<key not shown: ${why}>`;
}

/**
 * Reads the secret a key reference points at and checks its length.
 * @param baseDir directory against which a relative `file` is resolved (the policy file's folder).
 * @param checkFile called with a key file's bytes as read, before they are used (a signed policy's manifest check)
 * @throws Error with a one-line reason (never the key material).
 */
export function readKeyMaterial(
  ref: KeyRef,
  kind: keyof typeof KEY_LENGTH,
  baseDir: string,
  checkFile?: (bytes: Buffer) => void,
): KeyMaterial {
  let text: string | Buffer;
  if (ref.env !== undefined) {
    const v = process.env[ref.env];
    if (v === undefined || v === '') {
      if (envNameForError(ref.env) !== ref.env)
        throw new Error(`${KEY_LIKE_VALUE_NOT_SHOWN}; expected the name of an environment variable holding the key`);
      throw new MissingKeyError(`environment variable ${ref.env} is not set`);
    }
    text = v;
  } else {
    if (keyPathForError(ref.file!, baseDir) !== ref.file)
      throw new Error(`${KEY_LIKE_VALUE_NOT_SHOWN}; expected the path of a file holding the key`);
    const path = isAbsolute(ref.file!) ? ref.file! : resolve(baseDir, ref.file!);
    try {
      text = readRegularFile(path);
    } catch (err) {
      throw new MissingKeyError(
        `cannot read key file ${keyPathForError(path)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        { cause: err },
      );
    }
    checkFile?.(text);
  }
  const source = ref.env !== undefined ? `environment variable ${ref.env}` : `key file ${ref.file}`;
  rememberKeyText(typeof text === 'string' ? text : text.toString('utf8'));
  let bytes: Buffer;
  try {
    bytes = decodeKeyText(text, kind === 'encryption' ? KEY_LENGTH.encryption : undefined);
  } catch (err) {
    throw new Error(`${source} ${(err as Error).message}`, { cause: err });
  }
  const need = KEY_LENGTH[kind];
  if (kind === 'encryption' && bytes.length !== need) {
    throw new Error(`${source} holds ${bytes.length} bytes; an encryption key must be exactly ${need} bytes (AES-256)`);
  }
  if (bytes.length < need) throw new Error(`${source} holds ${bytes.length} bytes; an HMAC key needs at least ${need}`);
  return keyMaterial(ref.id, bytes);
}

/**
 * Key material that never prints its bytes: `util.inspect` and `JSON.stringify` show
 * `[key material: id <id>]`, and `bytes` is not enumerable (a spread or `Object.entries` skips it).
 */
export function keyMaterial(id: string, bytes: Buffer): KeyMaterial {
  const out = { id } as { id: string; bytes: Buffer };
  Object.defineProperty(out, 'bytes', { value: bytes, enumerable: false });
  printOnlyText(out, `[key material: id ${id}]`);
  return Object.freeze(out);
}
