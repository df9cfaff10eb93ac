import { diagnosticText, privacyDiag } from '../engine/diagnostic-text';
import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Policy } from '../policy/policy';

/** The `prev` of the first line of an audit log: 64 zeros (there is no line before it). */
export const AUDIT_GENESIS = '0'.repeat(64);

/** What happened to the policy. */
export type AuditEvent = 'load' | 'reload' | 'rejected';

/** One line of the audit log (one per policy load, reload or rejection), written as JSON with the fields in this order. */
export interface AuditEntry {
  /** When, as an ISO-8601 UTC timestamp. */
  readonly time: string;
  /** `load` (start-up), `reload` (a new version took effect) or `rejected` (a new version was refused). */
  readonly event: AuditEvent;
  /** The policy file (as given to the loader). */
  readonly source: string;
  /** The content hash of the policy in effect after this event (`privacy.policy.hash`). */
  readonly policyHash?: string;
  /** The content hash of the policy in effect before this event, if any. */
  readonly previousHash?: string;
  /** `ok`, or `rejected` when the new version was refused (the previous policy stays in effect). */
  readonly result: 'ok' | 'rejected';
  /** For rejections: the one-line reason. */
  readonly error?: string;
  /** SHA-256 (hex) of the previous line of the file, exactly as written without its newline; `AUDIT_GENESIS` for the first line. */
  readonly prev: string;
}

/** The result of `verifyAuditLog`. */
export interface AuditVerification {
  /** True when every line is a well-formed entry chained to the one before it (and to `expectHead`, when given). */
  readonly ok: boolean;
  /** Number of lines checked. */
  readonly lines: number;
  /** SHA-256 of the last line: record it elsewhere and pass it as `expectHead` later to detect removed trailing lines (`AUDIT_GENESIS` for an empty log). */
  readonly head: string;
  /** The first line that fails, 1-based, and why. */
  readonly firstBad?: { readonly line: number; readonly reason: string };
}

/** SHA-256 (hex) of one audit line as written (without its newline). */
export function auditLineHash(line: string): string {
  return createHash('sha256').update(line, 'utf8').digest('hex');
}

/** Reads the last line of a file without reading all of it (`undefined` when the file is empty or missing). */
function lastLine(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const size = fstatSync(fd).size;
    let chunk = 4096;
    for (;;) {
      const len = Math.min(chunk, size);
      const buf = Buffer.alloc(len);
      readSync(fd, buf, 0, len, size - len);
      const text = buf.toString('utf8').replace(/\n+$/, '');
      const nl = text.lastIndexOf('\n');
      if (nl >= 0 || len === size) return text === '' ? undefined : text.slice(nl + 1);
      chunk *= 4;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * A hash-chained, append-only audit trail of policy loads, reloads and rejections: one JSON line per
 * event; each line carries the SHA-256 of the line before it (`prev`), so editing, inserting or deleting a
 * line breaks the chain (`verifyAuditLog`, `otel-privacy audit verify`). Appending to an existing file
 * continues its chain. One process should write a given file (two writers would fork the chain).
 *
 * Writing never throws into the application: a failed write is reported once through `diag.error`.
 */
export class PolicyAuditLog {
  private prev: string | undefined;
  private reported = false;

  /** @param path the audit file (created when missing; appended to otherwise). */
  constructor(readonly path: string) {}

  /** Records the policy in effect at start-up. */
  loaded(policy: Policy, source: string): void {
    this.append({ event: 'load', source, policyHash: policy.hash, result: 'ok' });
  }

  /** Records that `policy` replaced the policy with hash `previousHash`. */
  reloaded(policy: Policy, previousHash: string | undefined, source: string): void {
    this.append({ event: 'reload', source, policyHash: policy.hash, previousHash, result: 'ok' });
  }

  /** Records that a new version was refused; `currentHash` (if any) stays in effect. */
  rejected(error: unknown, currentHash: string | undefined, source: string): void {
    const message = diagnosticText((error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' '));
    this.append({
      event: 'rejected',
      source,
      policyHash: currentHash,
      previousHash: currentHash,
      result: 'rejected',
      error: message,
    });
  }

  private append(fields: Omit<AuditEntry, 'time' | 'prev'>): void {
    try {
      if (this.prev === undefined) {
        const last = lastLine(this.path);
        this.prev = last === undefined ? AUDIT_GENESIS : auditLineHash(last);
      }
      const entry: AuditEntry = { time: new Date().toISOString(), ...fields, prev: this.prev };
      const line = JSON.stringify(entry);
      appendFileSync(this.path, `${line}\n`, { mode: 0o600 });
      this.prev = auditLineHash(line);
    } catch (err) {
      this.prev = undefined; // re-read the file's tail next time
      if (!this.reported) {
        this.reported = true;
        privacyDiag.error(
          `otel-privacy: cannot write the policy audit log ${this.path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        );
      }
    }
  }
}

const EVENTS: ReadonlySet<string> = new Set<AuditEvent>(['load', 'reload', 'rejected']);

/** Why `line` is not a well-formed entry, or undefined. */
function malformed(line: string): { reason: string } | { entry: AuditEntry } {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return { reason: 'not valid JSON' };
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return { reason: 'not a JSON object' };
  const e = entry as Record<string, unknown>;
  if (typeof e.prev !== 'string' || !/^[0-9a-f]{64}$/.test(e.prev))
    return { reason: '"prev" is missing or not a SHA-256 hex digest' };
  if (typeof e.time !== 'string' || Number.isNaN(Date.parse(e.time)))
    return { reason: '"time" is missing or not a timestamp' };
  if (typeof e.event !== 'string' || !EVENTS.has(e.event)) return { reason: '"event" is missing or unknown' };
  if (e.result !== 'ok' && e.result !== 'rejected') return { reason: '"result" is missing or unknown' };
  return { entry: e as unknown as AuditEntry };
}

/**
 * Checks an audit log's text: every line a well-formed entry whose `prev` is the SHA-256 of the line
 * before it (the first line's is `AUDIT_GENESIS`). Names the first line that fails. A removed or edited
 * line shows up at the line after it (whose `prev` no longer matches); removed lines at the end are only
 * detectable against a head hash recorded earlier (`expectHead`). The chain is not keyed: someone who
 * rewrites every line after an edit can forge it, so keep the head hash somewhere else too.
 */
export function verifyAuditLog(text: string, expectHead?: string): AuditVerification {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let prev = AUDIT_GENESIS;
  let headSeen = expectHead === undefined;
  const bad = (line: number, reason: string): AuditVerification => ({
    ok: false,
    lines: lines.length,
    head: prev,
    firstBad: { line, reason },
  });
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') return bad(i + 1, 'empty line');
    const m = malformed(line);
    if ('reason' in m) return bad(i + 1, m.reason);
    if (m.entry.prev !== prev) {
      return bad(
        i + 1,
        i === 0
          ? `"prev" is not the genesis value (${AUDIT_GENESIS.slice(0, 8)}…): lines before it were removed`
          : `"prev" is not the SHA-256 of line ${i}: line ${i} was modified, or lines were removed or inserted before line ${i + 1}`,
      );
    }
    prev = auditLineHash(line);
    if (prev === expectHead) headSeen = true;
  }
  if (!headSeen) {
    return {
      ok: false,
      lines: lines.length,
      head: prev,
      firstBad: {
        line: lines.length,
        reason: `no line has the SHA-256 ${expectHead} recorded as head earlier: lines at the end were removed or changed`,
      },
    };
  }
  return { ok: true, lines: lines.length, head: prev };
}
