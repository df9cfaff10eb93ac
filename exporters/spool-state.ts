import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { OTLP_SIGNALS } from './exporter-config';
import type { OtlpSignal } from './exporter-config';
import { SPOOL_ID_BYTES } from './spool-file-format';

/** Name of the authenticated state file inside the spool directory. */
export const SPOOL_STATE_FILE = 'spool-state.json';
const STATE_FORMAT = 1;

/** What the state file holds: the spool's identity and, per signal, the highest sequence number delivered. */
export interface SpoolStateData {
  /** Random identity of this spool directory, bound into every file's associated data. */
  readonly spoolId: Buffer;
  /** Per signal: highest sequence number the receiver accepted from the spool (files at or below it are not sent). */
  readonly delivered: Readonly<Record<OtlpSignal, number>>;
}

/** The state file as read without the key (for `otel-privacy spool inspect`): nothing in it is verified. */
export interface UnverifiedSpoolState {
  readonly spoolId: string;
  readonly keyId: string;
  readonly delivered: Readonly<Record<OtlpSignal, number>>;
}

/** A fresh identity with nothing delivered. */
export function newSpoolState(): SpoolStateData {
  return { spoolId: randomBytes(SPOOL_ID_BYTES), delivered: { traces: 0, metrics: 0, logs: 0 } };
}

function macKey(key: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'otel-privacy spool state mac', 32));
}

function macOf(key: Buffer, keyId: string, spoolId: string, delivered: Readonly<Record<OtlpSignal, number>>): Buffer {
  const text = ['otel-privacy spool state', STATE_FORMAT, spoolId, keyId, ...OTLP_SIGNALS.map((s) => delivered[s])];
  return createHmac('sha256', macKey(key)).update(text.join('\0')).digest();
}

/** Serializes the state with an HMAC-SHA256 (key derived from the spool key) over every field. */
export function encodeSpoolState(key: Buffer, keyId: Buffer, state: SpoolStateData): string {
  const spool = state.spoolId.toString('hex');
  const kid = keyId.toString('hex');
  const mac = macOf(key, kid, spool, state.delivered).toString('hex');
  return `${JSON.stringify({ format: STATE_FORMAT, spool, key: kid, delivered: state.delivered, mac })}\n`;
}

function parseFields(text: string): (UnverifiedSpoolState & { mac: string }) | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const value = parsed as Record<string, unknown>;
  if (typeof value !== 'object' || value === null || value.format !== STATE_FORMAT) return 'unknown state format';
  const delivered = value.delivered as Record<string, unknown> | undefined;
  if (
    typeof value.spool !== 'string' ||
    !/^[0-9a-f]{32}$/.test(value.spool) ||
    typeof value.key !== 'string' ||
    !/^[0-9a-f]{16}$/.test(value.key) ||
    typeof value.mac !== 'string' ||
    typeof delivered !== 'object' ||
    delivered === null ||
    !OTLP_SIGNALS.every((s) => Number.isSafeInteger(delivered[s]) && (delivered[s] as number) >= 0)
  )
    return 'malformed';
  return {
    spoolId: value.spool,
    keyId: value.key,
    mac: value.mac,
    delivered: {
      traces: delivered.traces as number,
      metrics: delivered.metrics as number,
      logs: delivered.logs as number,
    },
  };
}

/** Reads the state file without the key (fields unverified), or the reason it cannot be read; undefined if absent. */
export function peekSpoolState(dir: string): UnverifiedSpoolState | string | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, SPOOL_STATE_FILE), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? undefined : `unreadable (${code ?? 'error'})`;
  }
  const fields = parseFields(text);
  if (typeof fields === 'string') return fields;
  return { spoolId: fields.spoolId, keyId: fields.keyId, delivered: fields.delivered };
}

/** Result of {@link readSpoolState}. */
export type SpoolStateRead =
  | { readonly kind: 'ok'; readonly state: SpoolStateData }
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid'; readonly reason: string };

/** Reads and authenticates the state file. */
export function readSpoolState(dir: string, key: Buffer, keyId: Buffer): SpoolStateRead {
  let text: string;
  try {
    text = readFileSync(join(dir, SPOOL_STATE_FILE), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'invalid', reason: `unreadable (${code ?? 'error'})` };
  }
  const fields = parseFields(text);
  if (typeof fields === 'string') return { kind: 'invalid', reason: fields };
  if (fields.keyId !== keyId.toString('hex'))
    return { kind: 'invalid', reason: `written with another spool key (id ${fields.keyId})` };
  const expected = macOf(key, fields.keyId, fields.spoolId, fields.delivered);
  const given = Buffer.from(fields.mac, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { kind: 'invalid', reason: 'authentication failed (tampered)' };
  return { kind: 'ok', state: { spoolId: Buffer.from(fields.spoolId, 'hex'), delivered: fields.delivered } };
}

/** Writes the state file durably (temporary file, fsync, rename, directory fsync), synchronously; throws on failure. */
export function writeSpoolStateSync(dir: string, content: string): void {
  const temp = join(dir, `.${SPOOL_STATE_FILE}.${process.pid}.tmp`);
  try {
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, join(dir, SPOOL_STATE_FILE));
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // nothing was left behind
    }
    throw error;
  }
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // directory fsync is not supported everywhere; the rename itself is atomic
  }
}

/**
 * Writes the state file (temporary file, fsync, rename); rejects on failure. The directory is not fsynced here: the
 * content is durable before the rename, and a rename lost to a power cut only lowers the mark to its previous value (the
 * batch is sent again at most once more, at-least-once); the next spool write fsyncs the directory anyway. Against a
 * process crash the rename is atomic and immediate.
 */
export async function writeSpoolState(dir: string, content: string): Promise<void> {
  const temp = join(dir, `.${SPOOL_STATE_FILE}.${process.pid}.tmp`);
  try {
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, join(dir, SPOOL_STATE_FILE));
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
