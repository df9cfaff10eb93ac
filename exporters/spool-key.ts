import { printOnlyText } from '../engine/inspect-summary';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import {
  KEY_LENGTH,
  decodeKeyText,
  envNameForError,
  keyPathForError,
  rememberKeyText,
} from '../engine/crypto/key-material';
import { SecureExportConfigError } from './secure-export-config-error';
import type { SpoolKeySource } from './secure-exporter-options';

/** Environment variable the spool key is read from by default. */
export const DEFAULT_SPOOL_KEY_ENV = 'OTEL_PRIVACY_SPOOL_KEY';

/** A loaded AES-256 spool key and its public identifier. */
export interface SpoolKey {
  /** The 32 key bytes. */
  readonly key: Buffer;
  /** 8-byte identifier (truncated SHA-256 of a label and the key), stored in each file header. */
  readonly id: Buffer;
}

/**
 * Decodes a spool key in the format every key in otel-privacy uses (`base64:…`, `hex:…` or raw bytes, as
 * `otel-privacy keygen --type encryption` prints); undefined unless it is valid and exactly 32 bytes.
 */
export function decodeSpoolKey(raw: string | Buffer): Buffer | undefined {
  try {
    const key = decodeKeyText(raw, KEY_LENGTH.encryption);
    return key.length === KEY_LENGTH.encryption ? key : undefined;
  } catch {
    return undefined;
  }
}

const KEY_LIKE_VALUE_NOT_SHOWN = 'value not shown: looks like key material';

/** Whether a name or path given for the spool key is a key itself (decodes as one, or is `base64:`/`hex:` text). */
function looksLikeSpoolKey(text: string): boolean {
  return /^(base64|hex):/i.test(text.trim()) || decodeSpoolKey(text) !== undefined;
}

/** Identifier of a key: first 8 bytes of SHA-256("otel-privacy spool key id" || key). */
export function spoolKeyId(key: Buffer): Buffer {
  return createHash('sha256').update('otel-privacy spool key id\0').update(key).digest().subarray(0, 8);
}

/**
 * Loads the spool key from an environment variable (default `OTEL_PRIVACY_SPOOL_KEY`), a file, or an inline value.
 * Accepts exactly 32 bytes as `base64:…`, `hex:…` or raw bytes (the format of every key). Errors name the source,
 * never the value.
 */
export function loadSpoolKey(
  source: SpoolKeySource | undefined,
  env: Readonly<Record<string, string | undefined>>,
): SpoolKey {
  const chosen = source ?? { env: DEFAULT_SPOOL_KEY_ENV };
  let raw: string | Buffer | undefined;
  let origin: string;
  // A name or path that could be a key (32 bytes decode from it) is refused unless it names a variable that is set or a
  // file that exists: `OTEL_PRIVACY_SPOOL_KEY_STAGING_1` or `/tmp/otel-privacy-keys/spool.key` are 32 characters.
  if ('env' in chosen) {
    const isName = env[chosen.env] !== undefined;
    if ((!isName && looksLikeSpoolKey(chosen.env)) || envNameForError(chosen.env) !== chosen.env)
      throw new SecureExportConfigError(
        `spool key env: ${KEY_LIKE_VALUE_NOT_SHOWN}; expected the name of an environment variable holding the key`,
      );
    origin = `environment variable ${chosen.env}`;
    raw = env[chosen.env];
    if (!raw)
      throw new SecureExportConfigError(
        `spool key ${origin} is not set (32 bytes as base64:…, hex:… or raw, e.g. from \`otel-privacy keygen --type encryption\`; never stored in the spool)`,
      );
  } else if ('file' in chosen) {
    const isPath = existsSync(chosen.file);
    if ((!isPath && looksLikeSpoolKey(chosen.file)) || keyPathForError(chosen.file) !== chosen.file)
      throw new SecureExportConfigError(
        `spool key file: ${KEY_LIKE_VALUE_NOT_SHOWN}; expected the path of a file holding the key`,
      );
    origin = `file ${chosen.file}`;
    try {
      raw = readFileSync(chosen.file);
    } catch (error) {
      throw new SecureExportConfigError(
        `cannot read spool key ${origin}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
  } else {
    origin = 'value';
    raw = chosen.value;
  }
  if (raw !== undefined) rememberKeyText(typeof raw === 'string' ? raw : raw.toString('utf8'));
  const key = decodeSpoolKey(raw);
  if (!key)
    throw new SecureExportConfigError(
      `spool key from ${origin} is not 32 bytes as base64:…, hex:… or raw bytes (text without a prefix is taken as raw bytes; \`otel-privacy keygen --type encryption\` prints one)`,
    );
  const id = spoolKeyId(key);
  const out = { id } as { key: Buffer; id: Buffer };
  // The key bytes are not enumerable and never printed: `util.inspect` and `JSON.stringify` show the id only.
  Object.defineProperty(out, 'key', { value: key, enumerable: false });
  printOnlyText(out, `[spool key: id ${id.toString('hex')}]`);
  return Object.freeze(out);
}
