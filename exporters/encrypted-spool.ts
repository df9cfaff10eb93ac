import { printOnlySummary } from '../engine/inspect-summary';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { OnceLogger } from './exporter-logger';
import type { ExporterLogger } from './exporter-logger';
import type { OtlpSignal } from './exporter-config';
import { SecureExportConfigError } from './secure-export-config-error';
import type { SpoolKey } from './spool-key';

/** Magic bytes at the start of every spool file. */
export const SPOOL_MAGIC = Buffer.from('OTSP', 'ascii');
/** Current spool file format version. */
export const SPOOL_FORMAT_VERSION = 1;
/** Header length: magic (4) + version (1) + signal (1) + key id (8) + nonce (12). */
export const SPOOL_HEADER_BYTES = 26;
const TAG_BYTES = 16;
const NONCE_BYTES = 12;
const SIGNAL_CODES: Readonly<Record<OtlpSignal, number>> = { traces: 1, metrics: 2, logs: 3 };
const FILE_PATTERN = /^(\d{16})\.(traces|metrics|logs)\.otsp$/;

/** Error codes meaning the directory exists (or could) but cannot be written now: the spool falls back to memory. */
const UNWRITABLE_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EIO', 'EMFILE', 'ENFILE']);

/** Name of the folder (inside the spool directory) that receives files failing authentication or parsing. */
export const QUARANTINE_DIR = 'quarantine';

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
  /** Files moved to `quarantine/` (authentication or parse failure, or refused by the receiver). */
  readonly quarantined: number;
  /** Batches held in memory (sealed) because the directory could not be written (disk full, read-only…). */
  readonly memoryBatches: number;
  /** Bytes of the batches held in memory. */
  readonly memoryBytes: number;
  /** True while the last write to the directory failed (batches go to memory). */
  readonly unwritable: boolean;
}

/**
 * A bounded directory of encrypted OTLP batches, one file each. A file is a 26-byte header (magic `OTSP`, format
 * version, signal, key id, nonce) followed by the AES-256-GCM sealed protobuf payload and its tag; the header and the
 * sequence number from the file name are authenticated as associated data. Files are written to a temporary name,
 * fsynced, renamed and the directory fsynced. Files failing authentication or parsing are moved to `quarantine/`.
 * One process per directory.
 *
 * When the directory cannot be written (disk full, read-only file system, permissions), batches are held in memory
 * instead, still sealed, in the same order and bounded by `maxMemoryBytes` (oldest dropped first, counted); the
 * condition is reported once, and again only after the directory was writable in between. Every write tries the
 * directory first, so the spool returns to disk by itself. `close()` moves held batches to disk if it can.
 */
export class EncryptedSpool {
  private readonly entries: Record<OtlpSignal, SpoolEntry[]> = { traces: [], metrics: [], logs: [] };
  private totalBytes = 0;
  private seq = 1;
  private counters = { written: 0, delivered: 0, dropped: 0, quarantined: 0 };
  private memoryBytes = 0;
  private unwritable = false;
  private lock: Promise<unknown> = Promise.resolve();
  private readonly once: OnceLogger;

  /**
   * Opens (creating if needed) the spool directory, removes stale temporary files and indexes existing batches. A
   * directory that exists but cannot be written or read (read-only, full, no permission) is reported once and the
   * spool starts in memory; a path that cannot be a directory (a file on the way) is a configuration error.
   */
  constructor(
    readonly dir: string,
    private readonly key: SpoolKey,
    readonly maxBytes: number,
    private readonly logger: ExporterLogger,
    readonly maxMemoryBytes: number = DEFAULT_SPOOL_MAX_MEMORY_BYTES,
  ) {
    if (!Number.isFinite(maxBytes) || maxBytes <= 0)
      throw new SecureExportConfigError('spool.maxBytes must be a positive number');
    if (!Number.isFinite(maxMemoryBytes) || maxMemoryBytes < 0)
      throw new SecureExportConfigError('spool.maxMemoryBytes must be a non-negative number');
    this.once = new OnceLogger(logger);
    let names: string[];
    try {
      mkdirSync(join(dir, QUARANTINE_DIR), { recursive: true, mode: 0o700 });
      names = readdirSync(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      if (!UNWRITABLE_CODES.has(code))
        throw new SecureExportConfigError(`cannot create spool directory "${dir}": ${code}`);
      this.markUnwritable(error as NodeJS.ErrnoException);
      names = [];
    }
    for (const name of names) {
      if (name.endsWith('.tmp')) {
        try {
          unlinkSync(join(dir, name));
        } catch {
          // a leftover from a crash mid-write: it was never renamed, so it was never a spooled batch
        }
        continue;
      }
      const match = FILE_PATTERN.exec(name);
      if (!match) continue;
      const entry: SpoolEntry = {
        name,
        seq: Number(match[1]),
        signal: match[2] as OtlpSignal,
        size: statSync(join(dir, name)).size,
      };
      this.entries[entry.signal].push(entry);
      this.totalBytes += entry.size;
      this.seq = Math.max(this.seq, entry.seq + 1);
    }
    for (const list of Object.values(this.entries)) list.sort((a, b) => a.seq - b.seq);
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
      const sealed = this.seal(signal, seq, payload);
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
      const name = `${String(seq).padStart(16, '0')}.${signal}.otsp`;
      const temp = join(this.dir, `.${name}.${process.pid}.tmp`);
      try {
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
      for (const entry of held) {
        this.forget(entry);
        const temp = join(this.dir, `.${entry.name}.${process.pid}.tmp`);
        try {
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
   * Reads and decrypts a spooled batch. A file that fails authentication or parsing is moved to `quarantine/`,
   * counted, and undefined is returned; a file that vanished (dropped for space) also yields undefined.
   */
  async read(entry: SpoolEntry): Promise<Buffer | undefined> {
    if (entry.memory) return this.open(entry.memory, entry);
    let data: Buffer;
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
    const problem = this.checkHeader(data, entry);
    if (problem) {
      await this.quarantine(entry, problem);
      return undefined;
    }
    try {
      return this.open(data, entry);
    } catch {
      await this.quarantine(entry, 'authentication failed (tampered, truncated or encrypted with another key)');
      return undefined;
    }
  }

  /** Deletes a batch the receiver accepted. */
  async remove(entry: SpoolEntry): Promise<void> {
    if (!this.forget(entry)) return;
    if (entry.memory) {
      this.counters.delivered++;
      return;
    }
    // no directory fsync here: a deletion lost to a power cut only means one more (at-least-once) replay
    await unlink(join(this.dir, entry.name)).catch(() => undefined);
    this.counters.delivered++;
    if (this.stats().files === 0) this.once.reset('evict');
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

  private aad(header: Buffer, seq: number): Buffer {
    const seqBytes = Buffer.alloc(8);
    seqBytes.writeBigUInt64BE(BigInt(seq));
    return Buffer.concat([header, seqBytes]);
  }

  private seal(signal: OtlpSignal, seq: number, payload: Uint8Array): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const header = Buffer.concat([
      SPOOL_MAGIC,
      Buffer.from([SPOOL_FORMAT_VERSION, SIGNAL_CODES[signal]]),
      this.key.id,
      nonce,
    ]);
    const cipher = createCipheriv('aes-256-gcm', this.key.key, nonce);
    cipher.setAAD(this.aad(header, seq));
    const body = Buffer.concat([cipher.update(payload), cipher.final()]);
    return Buffer.concat([header, body, cipher.getAuthTag()]);
  }

  private checkHeader(data: Buffer, entry: SpoolEntry): string | undefined {
    if (data.length < SPOOL_HEADER_BYTES + TAG_BYTES) return 'truncated';
    if (!data.subarray(0, 4).equals(SPOOL_MAGIC)) return 'not a spool file (bad magic)';
    if (data[4] !== SPOOL_FORMAT_VERSION) return `unsupported format version ${data[4]}`;
    if (data[5] !== SIGNAL_CODES[entry.signal]) return 'signal in header does not match the file name';
    if (!data.subarray(6, 14).equals(this.key.id))
      return `encrypted with another key (id ${data.subarray(6, 14).toString('hex')})`;
    return undefined;
  }

  private open(data: Buffer, entry: SpoolEntry): Buffer {
    const header = data.subarray(0, SPOOL_HEADER_BYTES);
    const nonce = data.subarray(14, SPOOL_HEADER_BYTES);
    const tag = data.subarray(data.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key.key, nonce);
    decipher.setAAD(this.aad(header, entry.seq));
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(data.subarray(SPOOL_HEADER_BYTES, data.length - TAG_BYTES)),
      decipher.final(),
    ]);
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
