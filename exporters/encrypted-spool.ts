import { printOnlySummary } from '../engine/inspect-summary';
import {
  closeSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { OnceLogger } from './exporter-logger';
import type { ExporterLogger } from './exporter-logger';
import { OTLP_SIGNALS } from './exporter-config';
import type { OtlpSignal } from './exporter-config';
import { SecureExportConfigError } from './secure-export-config-error';
import {
  QUARANTINE_DIR,
  SPOOL_FILE_PATTERN,
  SPOOL_FORMAT_VERSION,
  SPOOL_LEGACY_FORMAT_VERSION,
  SPOOL_MAGIC,
  SPOOL_TEMP_PATTERN,
  openLegacySpoolFile,
  openSpoolFile,
  parseSpoolHeader,
  sealSpoolFile,
  spoolFileName,
} from './spool-file-format';
import type { SpoolSealing } from './spool-file-format';
import type { SpoolKey } from './spool-key';
import {
  SPOOL_STATE_FILE,
  encodeSpoolState,
  newSpoolState,
  readSpoolState,
  writeSpoolState,
  writeSpoolStateSync,
} from './spool-state';

export { QUARANTINE_DIR, SPOOL_FORMAT_VERSION, SPOOL_HEADER_BYTES, SPOOL_MAGIC } from './spool-file-format';

/** Error codes meaning the directory exists (or could) but cannot be written now: the spool falls back to memory. */
const UNWRITABLE_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EIO', 'EMFILE', 'ENFILE']);

/** Default age beyond which a spooled batch is dropped instead of sent: 7 days. */
export const DEFAULT_SPOOL_MAX_AGE_MILLIS = 7 * 24 * 60 * 60 * 1000;

/** One spooled batch on disk. */
export interface SpoolEntry {
  /** File name inside the spool directory. */
  readonly name: string;
  /** Order of submission (global across signals, continued across restarts). */
  readonly seq: number;
  /** Signal of the OTLP request inside. */
  readonly signal: OtlpSignal;
  /** File size in bytes. */
  readonly size: number;
  /** The sealed batch, when it is held in memory because the spool directory could not be written. */
  readonly memory?: Buffer;
}

/** Size and format version of a spool file (version undefined: unreadable or not a spool file; `read` decides). */
function readHeaderSync(path: string): { size: number; version: number | undefined } {
  try {
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(5);
      const bytes = readSync(fd, head, 0, 5, 0);
      const version = bytes === 5 && head.subarray(0, 4).equals(SPOOL_MAGIC) ? head[4] : undefined;
      return { size: fstatSync(fd).size, version };
    } finally {
      closeSync(fd);
    }
  } catch {
    return { size: 0, version: undefined };
  }
}

/** Default bound of batches held in memory while the spool directory is unwritable: 16 MiB. */
export const DEFAULT_SPOOL_MAX_MEMORY_BYTES = 16 * 1024 * 1024;

/** Counters of an {@link EncryptedSpool}. */
export interface SpoolStats {
  /** Files currently spooled. */
  readonly files: number;
  /** Bytes currently spooled. */
  readonly bytes: number;
  /** Files written since start. */
  readonly written: number;
  /** Files deleted after the receiver accepted them. */
  readonly delivered: number;
  /** Batches dropped to respect `maxBytes` (oldest first), or because a write failed. */
  readonly dropped: number;
  /**
   * Files moved to `quarantine/`: authentication or parse failure, already delivered (replay guard), format 1 found
   * in an upgraded spool, or refused by the receiver.
   */
  readonly quarantined: number;
  /** Batches dropped because they were older than `maxAgeMillis` when their turn came. */
  readonly expired: number;
  /** Batches held in memory (sealed) because the directory could not be written (disk full, read-only…). */
  readonly memoryBatches: number;
  /** Bytes of the batches held in memory. */
  readonly memoryBytes: number;
  /** True while the last write to the directory failed (batches go to memory). */
  readonly unwritable: boolean;
}

/**
 * A bounded directory of encrypted OTLP batches, one file each. A file is a 34-byte header (magic `OTSP`, format
 * version, signal, key id, write time, nonce) followed by the AES-256-GCM sealed protobuf payload and its tag; the
 * header, the spool's random identity and the sequence number from the file name are authenticated as associated
 * data, so a file opens only in the spool that wrote it and under the name it was written with. Files are written to a
 * temporary name, fsynced, renamed and the directory fsynced.
 *
 * Replay guard: `spool-state.json` (HMAC-SHA256 with a key derived from the spool key) holds the spool identity and,
 * per signal, the highest sequence number the receiver accepted from the spool. It is updated durably after each
 * accepted batch and before the file is deleted, so a crash in between sends a batch again (at-least-once) and never
 * loses one; a file at or below the mark (a delivered file copied back, or left by a crash after delivery), a file of
 * another spool or key, and a tampered or reordered file are moved to `quarantine/`, counted and never sent. A missing
 * or unauthentic state file starts a new identity, so every file written under the old one is quarantined. Files in
 * the previous format (1) are migrated on the first start of a directory that has no state file yet; found later, they
 * are quarantined. Batches older than `maxAgeMillis` are dropped when their turn comes (counted, one line).
 * One process per directory.
 *
 * When the directory cannot be written (disk full, read-only file system, permissions), batches are held in memory
 * instead, still sealed, in the same order and bounded by `maxMemoryBytes` (oldest dropped first, counted); the
 * condition is reported once, and again only after the directory was writable in between. Every write tries the
 * directory first, so the spool returns to disk by itself, unless the directory could not be read at start (its
 * state and batches are unknown: the spool stays in memory until the next start). `close()` moves held batches to
 * disk if it can.
 */
export class EncryptedSpool {
  private readonly entries: Record<OtlpSignal, SpoolEntry[]> = { traces: [], metrics: [], logs: [] };
  private totalBytes = 0;
  private seq = 1;
  private counters = { written: 0, delivered: 0, dropped: 0, quarantined: 0, expired: 0 };
  private memoryBytes = 0;
  private unwritable = false;
  private lock: Promise<unknown> = Promise.resolve();
  private readonly once: OnceLogger;
  private readonly sealing: SpoolSealing;
  private readonly delivered: Record<OtlpSignal, number>;
  /** False while the state file on disk does not hold this spool's identity (it could not be written yet). */
  private statePersisted = false;
  /**
   * The error code when the directory could not be read at start: its state file and batches are unknown to this
   * spool (a new identity, sequence numbers from 1), so nothing is written there in this process.
   */
  private unreadCode: string | undefined;

  /**
   * Opens (creating if needed) the spool directory, removes stale temporary files, loads or creates the state file,
   * quarantines files the replay guard refuses, migrates format 1 files of a directory without state, and indexes the
   * batches to replay. A directory that exists but cannot be written or read (read-only, full, no permission) is
   * reported once and the spool keeps its batches in memory for the life of the process (writing there would replace
   * a state file and batches it never read); a path that cannot be a directory (a file on the way) is a configuration
   * error.
   */
  constructor(
    readonly dir: string,
    key: SpoolKey,
    readonly maxBytes: number,
    private readonly logger: ExporterLogger,
    readonly maxMemoryBytes: number = DEFAULT_SPOOL_MAX_MEMORY_BYTES,
    readonly maxAgeMillis: number = DEFAULT_SPOOL_MAX_AGE_MILLIS,
  ) {
    if (!Number.isFinite(maxBytes) || maxBytes <= 0)
      throw new SecureExportConfigError('spool.maxBytes must be a positive number');
    if (!Number.isFinite(maxMemoryBytes) || maxMemoryBytes < 0)
      throw new SecureExportConfigError('spool.maxMemoryBytes must be a non-negative number');
    if (!Number.isFinite(maxAgeMillis) || maxAgeMillis <= 0)
      throw new SecureExportConfigError('spool.maxAgeMillis must be a positive number of milliseconds');
    this.once = new OnceLogger(logger);
    let names: string[];
    let readable = true;
    try {
      mkdirSync(join(dir, QUARANTINE_DIR), { recursive: true, mode: 0o700 });
      names = readdirSync(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      if (!UNWRITABLE_CODES.has(code))
        throw new SecureExportConfigError(`cannot create spool directory "${dir}": ${code}`);
      this.markUnwritable(error as NodeJS.ErrnoException);
      names = [];
      readable = false;
      this.unreadCode = code;
    }

    const loaded = readable ? readSpoolState(dir, key.key, key.id) : ({ kind: 'missing' } as const);
    let state = newSpoolState();
    const fresh = loaded.kind === 'missing';
    if (loaded.kind === 'ok') {
      state = loaded.state;
      this.statePersisted = true;
    } else if (loaded.kind === 'invalid') {
      this.quarantineSync(SPOOL_STATE_FILE, undefined);
      this.logger.error(
        `otel-privacy secure export: spool state file ${join(dir, SPOOL_STATE_FILE)} cannot be used: ${loaded.reason}; moved to quarantine and a new spool identity started (files written under the old one are quarantined, not sent)`,
      );
    }
    this.sealing = { key: key.key, keyId: key.id, spoolId: state.spoolId };
    this.delivered = { ...state.delivered };
    for (const signal of OTLP_SIGNALS) this.seq = Math.max(this.seq, this.delivered[signal] + 1);

    const found: Array<SpoolEntry & { version: number | undefined }> = [];
    for (const name of names) {
      if (SPOOL_TEMP_PATTERN.test(name)) {
        try {
          unlinkSync(join(dir, name));
        } catch {
          // a leftover from a crash mid-write: it was never renamed, so it was never a spooled batch
        }
        continue;
      }
      const match = SPOOL_FILE_PATTERN.exec(name);
      if (!match) continue;
      const seq = Number(match[1]);
      this.seq = Math.max(this.seq, seq + 1);
      const header = readHeaderSync(join(dir, name));
      found.push({ name, seq, signal: match[2] as OtlpSignal, size: header.size, version: header.version });
    }
    // format 1 files are migrated only into a directory seen for the first time (no state file, no format 2 files)
    const migrate = fresh && !found.some((file) => file.version === SPOOL_FORMAT_VERSION);
    if (!this.statePersisted && readable) this.persistStateSync();
    let migrated = 0;
    for (const file of found.sort((a, b) => a.seq - b.seq)) {
      const { version, ...entry } = file;
      if (version === SPOOL_LEGACY_FORMAT_VERSION) {
        if (!migrate || !this.statePersisted) {
          this.quarantineSync(
            entry.name,
            `format ${SPOOL_LEGACY_FORMAT_VERSION} file (written by a previous version) found in a spool that was already upgraded (it has a state file or format ${SPOOL_FORMAT_VERSION} files); not sent`,
          );
          continue;
        }
        const size = this.migrateSync(entry, key.key);
        if (size === undefined) continue;
        migrated++;
        this.insert({ ...entry, size });
        continue;
      }
      if (version === SPOOL_FORMAT_VERSION && entry.seq <= this.delivered[entry.signal]) {
        this.quarantineSync(entry.name, this.replayReason(entry));
        continue;
      }
      this.insert(entry);
    }
    if (migrated > 0)
      this.logger.info(
        `otel-privacy secure export: migrated ${migrated} spool file(s) in ${dir} from format ${SPOOL_LEGACY_FORMAT_VERSION} to format ${SPOOL_FORMAT_VERSION} (now bound to this spool's identity)`,
      );
  }

  /** Next sequence number; callers take one per batch at submission so spooled files keep submission order. */
  nextSeq(): number {
    return this.seq++;
  }

  /** True when batches of `signal` are waiting. */
  has(signal: OtlpSignal): boolean {
    return this.entries[signal].length > 0;
  }

  /** Oldest waiting batch of `signal`. */
  oldest(signal: OtlpSignal): SpoolEntry | undefined {
    return this.entries[signal][0];
  }

  /** Counters and current size (`files`/`bytes` on disk, `memoryBatches`/`memoryBytes` held in memory). */
  stats(): SpoolStats {
    let memoryBatches = 0;
    for (const list of Object.values(this.entries)) for (const entry of list) if (entry.memory) memoryBatches++;
    const files = this.entries.traces.length + this.entries.metrics.length + this.entries.logs.length - memoryBatches;
    return {
      files,
      bytes: this.totalBytes,
      ...this.counters,
      memoryBatches,
      memoryBytes: this.memoryBytes,
      unwritable: this.unwritable,
    };
  }

  /**
   * Encrypts and durably stores one serialized OTLP request; drops the oldest files first when `maxBytes` would be
   * exceeded. Resolves false (and logs once) when the batch could not be stored.
   */
  write(signal: OtlpSignal, seq: number, payload: Uint8Array): Promise<boolean> {
    return this.exclusive(async () => {
      const sealed = sealSpoolFile(this.sealing, signal, seq, Date.now(), payload);
      if (sealed.length > this.maxBytes) {
        this.counters.dropped++;
        this.once.log(
          'warn',
          'too-large',
          `otel-privacy secure export: a ${signal} batch of ${sealed.length} bytes exceeds spool.maxBytes and was dropped`,
        );
        return false;
      }
      while (this.totalBytes + sealed.length > this.maxBytes) {
        const victim = this.globalOldest(false);
        if (!victim) break;
        this.forget(victim);
        await unlink(join(this.dir, victim.name)).catch(() => undefined);
        this.counters.dropped++;
        this.once.log(
          'warn',
          'evict',
          `otel-privacy secure export: spool ${this.dir} reached maxBytes (${this.maxBytes}); dropping oldest batches`,
        );
      }
      const name = spoolFileName(seq, signal);
      const temp = join(this.dir, `.${name}.${process.pid}.tmp`);
      try {
        // files are bound to the spool identity: it must be on disk before any file that needs it
        if (!this.statePersisted) await this.persistState();
        const handle = await open(temp, 'wx', 0o600);
        try {
          await handle.writeFile(sealed);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, join(this.dir, name));
        await this.syncDir();
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        this.markUnwritable(error as NodeJS.ErrnoException);
        return this.hold({ name, seq, signal, size: sealed.length, memory: sealed });
      }
      if (this.unwritable) {
        this.unwritable = false;
        this.once.reset('unwritable');
        this.logger.info(`otel-privacy secure export: spool directory ${this.dir} is writable again`);
      }
      this.insert({ name, seq, signal, size: sealed.length });
      this.counters.written++;
      return true;
    });
  }

  /**
   * Moves batches held in memory to the directory, in order, when it is writable again (called on shutdown); what
   * cannot be written is lost, counted as dropped and reported in one line.
   */
  close(): Promise<void> {
    return this.exclusive(async () => {
      const held = Object.values(this.entries)
        .flat()
        .filter((entry) => entry.memory)
        .sort((a, b) => a.seq - b.seq);
      let lost = 0;
      if (held.length > 0 && !this.statePersisted) await this.persistState().catch(() => undefined);
      for (const entry of held) {
        this.forget(entry);
        const temp = join(this.dir, `.${entry.name}.${process.pid}.tmp`);
        try {
          if (!this.statePersisted) throw new Error('state file not written');
          const handle = await open(temp, 'wx', 0o600);
          try {
            await handle.writeFile(entry.memory!);
            await handle.sync();
          } finally {
            await handle.close();
          }
          await rename(temp, join(this.dir, entry.name));
          this.insert({ name: entry.name, seq: entry.seq, signal: entry.signal, size: entry.size });
          this.counters.written++;
        } catch {
          await unlink(temp).catch(() => undefined);
          lost++;
        }
      }
      if (held.length > lost) await this.syncDir();
      if (lost > 0) {
        this.counters.dropped += lost;
        this.logger.error(
          `otel-privacy secure export: ${lost} undelivered batch(es) held in memory were lost at shutdown: spool directory ${this.dir} is still unwritable`,
        );
      }
    });
  }

  /** Reports the directory as unwritable, once until it is writable again. */
  private markUnwritable(error: NodeJS.ErrnoException): void {
    this.unwritable = true;
    this.once.log(
      'warn',
      'unwritable',
      `otel-privacy secure export: cannot write spool directory ${this.dir} (${error.code ?? 'error'}); holding undelivered batches in memory (up to ${this.maxMemoryBytes} bytes) until it is writable again`,
    );
  }

  /** Keeps a sealed batch in memory, dropping the oldest held batches beyond `maxMemoryBytes`. */
  private hold(entry: SpoolEntry): boolean {
    if (entry.size > this.maxMemoryBytes) {
      this.counters.dropped++;
      this.once.log(
        'error',
        'memory-full',
        `otel-privacy secure export: spool memory bound (${this.maxMemoryBytes} bytes) reached while ${this.dir} is unwritable; dropping oldest batches`,
      );
      return false;
    }
    while (this.memoryBytes + entry.size > this.maxMemoryBytes) {
      const victim = this.globalOldest(true);
      if (!victim) break;
      this.forget(victim);
      this.counters.dropped++;
      this.once.log(
        'error',
        'memory-full',
        `otel-privacy secure export: spool memory bound (${this.maxMemoryBytes} bytes) reached while ${this.dir} is unwritable; dropping oldest batches`,
      );
    }
    this.insert(entry);
    return true;
  }

  /**
   * Reads and decrypts a spooled batch. A file that fails authentication or parsing, or that the replay guard refuses,
   * is moved to `quarantine/`, counted, and undefined is returned; a batch older than `maxAgeMillis` is dropped
   * (counted as expired) and undefined is returned; a file that vanished (dropped for space) also yields undefined.
   */
  async read(entry: SpoolEntry): Promise<Buffer | undefined> {
    let data: Buffer;
    if (entry.memory) data = entry.memory;
    else {
      try {
        data = await readFile(join(this.dir, entry.name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          this.forget(entry);
          return undefined;
        }
        await this.quarantine(entry, `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
        return undefined;
      }
    }
    const header = parseSpoolHeader(data);
    let problem: string | undefined;
    if (typeof header === 'string') problem = header;
    else if (header.version !== SPOOL_FORMAT_VERSION)
      problem = `format ${header.version} file (written by a previous version) found in a spool that was already upgraded; not sent`;
    else if (header.signal !== entry.signal) problem = 'signal in header does not match the file name';
    else if (header.keyId !== this.sealing.keyId.toString('hex'))
      problem = `encrypted with another key (id ${header.keyId})`;
    else if (entry.seq <= this.delivered[entry.signal]) problem = this.replayReason(entry);
    if (problem !== undefined || typeof header === 'string') {
      await this.quarantine(entry, problem ?? 'unreadable header');
      return undefined;
    }
    let payload: Buffer;
    try {
      payload = openSpoolFile(this.sealing, entry.seq, data);
    } catch {
      await this.quarantine(
        entry,
        'authentication failed (tampered, truncated, renamed, from another spool directory, or encrypted with another key)',
      );
      return undefined;
    }
    if (header.writtenAt !== undefined && Date.now() - header.writtenAt > this.maxAgeMillis) {
      await this.expire(entry);
      return undefined;
    }
    return payload;
  }

  /**
   * Records that the receiver accepted a batch and deletes it: the delivered mark in the state file is updated durably
   * first, so a crash in between leaves a file the replay guard quarantines instead of sending it twice, and a crash
   * before it sends the batch again (at-least-once, never lost).
   */
  remove(entry: SpoolEntry): Promise<void> {
    return this.exclusive(async () => {
      if (!this.entries[entry.signal].some((candidate) => candidate.name === entry.name)) return;
      if (entry.seq > this.delivered[entry.signal]) {
        this.delivered[entry.signal] = entry.seq;
        try {
          await this.persistState();
          this.once.reset('state-unwritable');
        } catch (error) {
          this.once.log(
            'warn',
            'state-unwritable',
            `otel-privacy secure export: cannot update the spool state file in ${this.dir} (${(error as NodeJS.ErrnoException).code ?? 'error'}); the delivered mark is kept in memory until it can be written`,
          );
        }
      }
      // no directory fsync here: a deletion lost to a power cut leaves a file the replay guard quarantines
      if (!entry.memory) await unlink(join(this.dir, entry.name)).catch(() => undefined);
      // forgotten last: `has()` turns false only once the mark is stored and the file is gone
      this.forget(entry);
      this.counters.delivered++;
      if (this.stats().files === 0) {
        this.once.reset('evict');
        this.once.reset('expired');
      }
    });
  }

  /** Moves a batch to `quarantine/`, counts it and logs one line with the reason. */
  async quarantine(entry: SpoolEntry, reason: string): Promise<void> {
    this.forget(entry);
    if (entry.memory) {
      this.counters.quarantined++;
      this.logger.error(`otel-privacy secure export: batch ${entry.name} held in memory discarded: ${reason}`);
      return;
    }
    const target = join(this.dir, QUARANTINE_DIR, `${entry.name}.${Date.now()}`);
    try {
      await rename(join(this.dir, entry.name), target);
    } catch {
      await unlink(join(this.dir, entry.name)).catch(() => undefined);
    }
    this.counters.quarantined++;
    this.logger.error(`otel-privacy secure export: spool file ${entry.name} quarantined: ${reason}`);
  }

  /** Waits for pending writes. */
  async idle(): Promise<void> {
    await this.lock.catch(() => undefined);
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.lock.then(task, task);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private replayReason(entry: SpoolEntry): string {
    return `already delivered (sequence ${entry.seq} is at or below the delivered mark ${this.delivered[entry.signal]} of ${entry.signal}): a copy of a delivered file, or left by a crash right after delivery; not sent again`;
  }

  /** Drops a batch older than `maxAgeMillis`; counted, one line per episode. */
  private async expire(entry: SpoolEntry): Promise<void> {
    this.forget(entry);
    if (!entry.memory) await unlink(join(this.dir, entry.name)).catch(() => undefined);
    this.counters.expired++;
    this.once.log(
      'warn',
      'expired',
      `otel-privacy secure export: dropping spooled batches older than spool.maxAgeMillis (${this.maxAgeMillis} ms) in ${this.dir}; counted as expired`,
    );
  }

  private stateContent(): string {
    return encodeSpoolState(this.sealing.key, this.sealing.keyId, {
      spoolId: this.sealing.spoolId,
      delivered: this.delivered,
    });
  }

  private async persistState(): Promise<void> {
    if (this.unreadCode !== undefined)
      throw Object.assign(new Error('spool directory not read at start'), { code: this.unreadCode });
    await writeSpoolState(this.dir, this.stateContent());
    this.statePersisted = true;
  }

  private persistStateSync(): void {
    try {
      writeSpoolStateSync(this.dir, this.stateContent());
      this.statePersisted = true;
    } catch (error) {
      this.markUnwritable(error as NodeJS.ErrnoException);
    }
  }

  /** Moves a file (a batch, or the state file) to `quarantine/` at start; a batch is counted and logged. */
  private quarantineSync(name: string, reason: string | undefined): void {
    try {
      renameSync(join(this.dir, name), join(this.dir, QUARANTINE_DIR, `${name}.${Date.now()}`));
    } catch {
      try {
        unlinkSync(join(this.dir, name));
      } catch {
        // already gone
      }
    }
    if (reason === undefined) return;
    this.counters.quarantined++;
    this.logger.error(`otel-privacy secure export: spool file ${name} quarantined: ${reason}`);
  }

  /** Re-seals a format 1 file in place as format 2 (write time: the file's modification time); its size or undefined. */
  private migrateSync(entry: SpoolEntry, key: Buffer): number | undefined {
    const path = join(this.dir, entry.name);
    let sealed: Buffer;
    try {
      const data = readFileSync(path);
      const header = parseSpoolHeader(data);
      if (
        typeof header === 'string' ||
        header.signal !== entry.signal ||
        header.keyId !== this.sealing.keyId.toString('hex')
      )
        throw new Error('header');
      const payload = openLegacySpoolFile(key, entry.seq, data);
      sealed = sealSpoolFile(this.sealing, entry.signal, entry.seq, statSync(path).mtimeMs, payload);
    } catch {
      this.quarantineSync(
        entry.name,
        `format ${SPOOL_LEGACY_FORMAT_VERSION} file failed authentication during migration (tampered, truncated or encrypted with another key)`,
      );
      return undefined;
    }
    const temp = join(this.dir, `.${entry.name}.${process.pid}.tmp`);
    try {
      const fd = openSync(temp, 'w', 0o600);
      try {
        writeSync(fd, sealed);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, path);
    } catch {
      try {
        unlinkSync(temp);
      } catch {
        // nothing left behind
      }
      // left in format 1: quarantined at the next start (the state file exists now), never sent unbound
      return undefined;
    }
    return sealed.length;
  }

  private insert(entry: SpoolEntry): void {
    const list = this.entries[entry.signal];
    let index = list.length;
    while (index > 0 && list[index - 1].seq > entry.seq) index--;
    list.splice(index, 0, entry);
    if (entry.memory) this.memoryBytes += entry.size;
    else this.totalBytes += entry.size;
  }

  private forget(entry: SpoolEntry): boolean {
    const list = this.entries[entry.signal];
    const index = list.findIndex((candidate) => candidate.name === entry.name);
    if (index < 0) return false;
    list.splice(index, 1);
    if (entry.memory) this.memoryBytes -= entry.size;
    else this.totalBytes -= entry.size;
    return true;
  }

  /** Oldest batch on disk (`inMemory` false) or held in memory (true), over all signals. */
  private globalOldest(inMemory: boolean): SpoolEntry | undefined {
    let oldest: SpoolEntry | undefined;
    for (const list of Object.values(this.entries)) {
      const first = list.find((entry) => (entry.memory !== undefined) === inMemory);
      if (first && (!oldest || first.seq < oldest.seq)) oldest = first;
    }
    return oldest;
  }

  private async syncDir(): Promise<void> {
    try {
      const handle = await open(this.dir, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch {
      // directory fsync is not supported everywhere (e.g. Windows); the rename itself is still atomic
    }
  }
}

// Holds the spool key and queued batches: prints only where it writes.
printOnlySummary(EncryptedSpool.prototype, 'EncryptedSpool', (s) => ({ dir: s.dir }));
