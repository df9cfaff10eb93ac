import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { OtlpSignal } from './exporter-config';

/** Magic bytes at the start of every spool file. */
export const SPOOL_MAGIC = Buffer.from('OTSP', 'ascii');
/** Current spool file format version (2: spool identity and sequence bound, write time in the header). */
export const SPOOL_FORMAT_VERSION = 2;
/** The format written by the previous version (no spool identity, no write time); migrated once, see the docs. */
export const SPOOL_LEGACY_FORMAT_VERSION = 1;
/** Header length: magic (4) + version (1) + signal (1) + key id (8) + written-at milliseconds (8) + nonce (12). */
export const SPOOL_HEADER_BYTES = 34;
/** Header length of format 1: magic (4) + version (1) + signal (1) + key id (8) + nonce (12). */
export const SPOOL_LEGACY_HEADER_BYTES = 26;
/** AES-GCM tag length at the end of every file. */
export const SPOOL_TAG_BYTES = 16;
const NONCE_BYTES = 12;
/** Length of the random spool identity. */
export const SPOOL_ID_BYTES = 16;

/** Signal codes stored in the header. */
export const SIGNAL_CODES: Readonly<Record<OtlpSignal, number>> = { traces: 1, metrics: 2, logs: 3 };
const SIGNAL_BY_CODE: Readonly<Record<number, OtlpSignal>> = { 1: 'traces', 2: 'metrics', 3: 'logs' };

/** Name of a spool file: 16-digit sequence number, signal, `.otsp`. */
export const SPOOL_FILE_PATTERN = /^(\d{16})\.(traces|metrics|logs)\.otsp$/;
/** Temporary files (a write or state update in progress; removed at start). */
export const SPOOL_TEMP_PATTERN = /^\..*\.tmp$/;
/** Name of the folder (inside the spool directory) that receives files that are not sent. */
export const QUARANTINE_DIR = 'quarantine';
/** Names of quarantined files: the spool file name (or the state file name) and the quarantine time. */
export const QUARANTINE_FILE_PATTERN = /^((\d{16})\.(traces|metrics|logs)\.otsp|spool-state\.json)\.\d+$/;

/** File name of a batch. */
export function spoolFileName(seq: number, signal: OtlpSignal): string {
  return `${String(seq).padStart(16, '0')}.${signal}.otsp`;
}

/** What the header of a spool file says, read without the key (so unauthenticated until the file is opened). */
export interface SpoolFileHeader {
  /** Format version (1 or 2). */
  readonly version: number;
  /** Signal named in the header. */
  readonly signal: OtlpSignal | undefined;
  /** Key id (hex). */
  readonly keyId: string;
  /** Write time in milliseconds since the epoch (format 2 only). */
  readonly writtenAt: number | undefined;
}

/** Parses a header, or returns the reason the bytes are not a spool file. */
export function parseSpoolHeader(data: Buffer): SpoolFileHeader | string {
  if (data.length < 6) return 'truncated';
  if (!data.subarray(0, 4).equals(SPOOL_MAGIC)) return 'not a spool file (bad magic)';
  const version = data[4];
  const headerBytes =
    version === SPOOL_FORMAT_VERSION
      ? SPOOL_HEADER_BYTES
      : version === SPOOL_LEGACY_FORMAT_VERSION
        ? SPOOL_LEGACY_HEADER_BYTES
        : 0;
  if (headerBytes === 0) return `unsupported format version ${version}`;
  if (data.length < headerBytes + SPOOL_TAG_BYTES) return 'truncated';
  return {
    version,
    signal: SIGNAL_BY_CODE[data[5]],
    keyId: data.subarray(6, 14).toString('hex'),
    writtenAt: version === SPOOL_FORMAT_VERSION ? Number(data.readBigUInt64BE(14)) : undefined,
  };
}

function u64(value: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(BigInt(value));
  return out;
}

/** Key material and identity a spool file is sealed for. */
export interface SpoolSealing {
  /** AES-256 key. */
  readonly key: Buffer;
  /** 8-byte key id. */
  readonly keyId: Buffer;
  /** Random identity of the spool directory (kept in its authenticated state file). */
  readonly spoolId: Buffer;
}

/**
 * Seals one batch (format 2). The associated data is the header (signal, key id, write time), the spool identity and
 * the sequence number, so a file only opens in the spool that wrote it, under the name it was written with.
 */
export function sealSpoolFile(
  sealing: SpoolSealing,
  signal: OtlpSignal,
  seq: number,
  writtenAt: number,
  payload: Uint8Array,
): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const header = Buffer.concat([
    SPOOL_MAGIC,
    Buffer.from([SPOOL_FORMAT_VERSION, SIGNAL_CODES[signal]]),
    sealing.keyId,
    u64(Math.max(0, Math.floor(writtenAt))),
    nonce,
  ]);
  const cipher = createCipheriv('aes-256-gcm', sealing.key, nonce);
  cipher.setAAD(Buffer.concat([header, sealing.spoolId, u64(seq)]));
  const body = Buffer.concat([cipher.update(payload), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]);
}

/**
 * Opens a format 2 file sealed by {@link sealSpoolFile}; throws when authentication fails (tampered, truncated, another
 * key, another spool, another sequence number or signal).
 */
export function openSpoolFile(sealing: SpoolSealing, seq: number, data: Buffer): Buffer {
  const header = data.subarray(0, SPOOL_HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', sealing.key, data.subarray(22, SPOOL_HEADER_BYTES));
  decipher.setAAD(Buffer.concat([header, sealing.spoolId, u64(seq)]));
  decipher.setAuthTag(data.subarray(data.length - SPOOL_TAG_BYTES));
  return Buffer.concat([
    decipher.update(data.subarray(SPOOL_HEADER_BYTES, data.length - SPOOL_TAG_BYTES)),
    decipher.final(),
  ]);
}

/** Opens a format 1 file (header and sequence number as associated data, no spool identity); throws on failure. */
export function openLegacySpoolFile(key: Buffer, seq: number, data: Buffer): Buffer {
  const header = data.subarray(0, SPOOL_LEGACY_HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(14, SPOOL_LEGACY_HEADER_BYTES));
  decipher.setAAD(Buffer.concat([header, u64(seq)]));
  decipher.setAuthTag(data.subarray(data.length - SPOOL_TAG_BYTES));
  return Buffer.concat([
    decipher.update(data.subarray(SPOOL_LEGACY_HEADER_BYTES, data.length - SPOOL_TAG_BYTES)),
    decipher.final(),
  ]);
}

/** Seals a batch in format 1 (the previous version's format); only tests use it, to check the migration. */
export function sealLegacySpoolFile(
  key: Buffer,
  keyId: Buffer,
  signal: OtlpSignal,
  seq: number,
  payload: Uint8Array,
): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const header = Buffer.concat([
    SPOOL_MAGIC,
    Buffer.from([SPOOL_LEGACY_FORMAT_VERSION, SIGNAL_CODES[signal]]),
    keyId,
    nonce,
  ]);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.concat([header, u64(seq)]));
  const body = Buffer.concat([cipher.update(payload), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]);
}
