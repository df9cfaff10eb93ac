import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  readSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { OtlpSignal } from '../exporters/exporter-config';
import {
  QUARANTINE_DIR,
  QUARANTINE_FILE_PATTERN,
  SPOOL_FILE_PATTERN,
  SPOOL_HEADER_BYTES,
  SPOOL_TEMP_PATTERN,
  parseSpoolHeader,
} from '../exporters/spool-file-format';
import { SPOOL_STATE_FILE, peekSpoolState } from '../exporters/spool-state';
import type { UnverifiedSpoolState } from '../exporters/spool-state';
import { CliFailure } from './cli-command';

/** Counts, bytes and ages of one group of files (ages in milliseconds, from the header's write time or the mtime). */
export interface SpoolFileGroup {
  readonly files: number;
  readonly bytes: number;
  readonly oldestAgeMillis: number | undefined;
  readonly newestAgeMillis: number | undefined;
}

/** What `otel-privacy spool inspect` reports: metadata only, never a byte of content. */
export interface SpoolInspection {
  readonly dir: string;
  /** The state file as written (not verified: inspecting needs no key), its problem, or undefined when absent. */
  readonly state: UnverifiedSpoolState | { readonly problem: string } | undefined;
  /** Batches waiting, per signal. */
  readonly signals: Readonly<Record<OtlpSignal, SpoolFileGroup>>;
  /** Files in the previous format (1), waiting for migration or quarantine. */
  readonly legacyFiles: number;
  /** Files named like batches whose header is not a spool header (quarantined at the next start). */
  readonly unreadableFiles: number;
  /** Files in `quarantine/`. */
  readonly quarantine: SpoolFileGroup;
  /** Files left by an interrupted write (removed at the next start). */
  readonly tempFiles: number;
  /** Other files in the directory (never touched by the spool or by purge). */
  readonly otherFiles: number;
}

interface Accumulator {
  files: number;
  bytes: number;
  oldest: number | undefined;
  newest: number | undefined;
}

const empty = (): Accumulator => ({ files: 0, bytes: 0, oldest: undefined, newest: undefined });

function add(group: Accumulator, bytes: number, writtenAt: number): void {
  group.files++;
  group.bytes += bytes;
  group.oldest = group.oldest === undefined ? writtenAt : Math.min(group.oldest, writtenAt);
  group.newest = group.newest === undefined ? writtenAt : Math.max(group.newest, writtenAt);
}

function finish(group: Accumulator, now: number): SpoolFileGroup {
  return {
    files: group.files,
    bytes: group.bytes,
    oldestAgeMillis: group.oldest === undefined ? undefined : Math.max(0, now - group.oldest),
    newestAgeMillis: group.newest === undefined ? undefined : Math.max(0, now - group.newest),
  };
}

function readHead(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(SPOOL_HEADER_BYTES + 16);
    return head.subarray(0, readSync(fd, head, 0, head.length, 0));
  } finally {
    closeSync(fd);
  }
}

function listDir(dir: string): string[] {
  try {
    if (!statSync(dir).isDirectory()) throw new CliFailure(`${dir} is not a directory`);
    return readdirSync(dir);
  } catch (error) {
    if (error instanceof CliFailure) throw error;
    throw new CliFailure(`cannot read spool directory ${dir}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/** Reads the directory's metadata (file names, sizes, header fields); never decrypts and never prints content. */
export function inspectSpoolDirectory(dir: string, now = Date.now()): SpoolInspection {
  const names = listDir(dir);
  const signals = { traces: empty(), metrics: empty(), logs: empty() };
  let legacyFiles = 0;
  let unreadableFiles = 0;
  let tempFiles = 0;
  let otherFiles = 0;
  for (const name of names) {
    const path = join(dir, name);
    const match = SPOOL_FILE_PATTERN.exec(name);
    if (match) {
      let stat;
      let header;
      try {
        stat = statSync(path);
        header = parseSpoolHeader(readHead(path));
      } catch {
        unreadableFiles++;
        continue;
      }
      if (typeof header === 'string') unreadableFiles++;
      else {
        if (header.version !== 2) legacyFiles++;
        add(signals[match[2] as OtlpSignal], stat.size, header.writtenAt ?? stat.mtimeMs);
      }
    } else if (SPOOL_TEMP_PATTERN.test(name)) tempFiles++;
    else if (name !== SPOOL_STATE_FILE && name !== QUARANTINE_DIR) otherFiles++;
  }
  const quarantine = empty();
  let quarantineNames: string[] = [];
  try {
    quarantineNames = readdirSync(join(dir, QUARANTINE_DIR));
  } catch {
    // no quarantine folder yet
  }
  for (const name of quarantineNames) {
    try {
      const stat = statSync(join(dir, QUARANTINE_DIR, name));
      if (stat.isFile()) add(quarantine, stat.size, stat.mtimeMs);
    } catch {
      // vanished meanwhile
    }
  }
  const state = peekSpoolState(dir);
  return {
    dir,
    state: typeof state === 'string' ? { problem: state } : state,
    signals: {
      traces: finish(signals.traces, now),
      metrics: finish(signals.metrics, now),
      logs: finish(signals.logs, now),
    },
    legacyFiles,
    unreadableFiles,
    quarantine: finish(quarantine, now),
    tempFiles,
    otherFiles,
  };
}

/** The files purge deletes: batches, temporary files, the state file, and quarantined files (never other files). */
export function purgeTargets(dir: string): {
  readonly paths: string[];
  readonly bytes: number;
  readonly others: number;
} {
  const paths: string[] = [];
  let others = 0;
  for (const name of listDir(dir)) {
    if (SPOOL_FILE_PATTERN.test(name) || SPOOL_TEMP_PATTERN.test(name) || name === SPOOL_STATE_FILE)
      paths.push(join(dir, name));
    else if (name !== QUARANTINE_DIR) others++;
  }
  try {
    for (const name of readdirSync(join(dir, QUARANTINE_DIR))) {
      if (QUARANTINE_FILE_PATTERN.test(name)) paths.push(join(dir, QUARANTINE_DIR, name));
      else others++;
    }
  } catch {
    // no quarantine folder
  }
  let bytes = 0;
  for (const path of paths) {
    try {
      bytes += statSync(path).size;
    } catch {
      // vanished meanwhile
    }
  }
  return { paths, bytes, others };
}

/**
 * Overwrites each file with zeros (fsynced), then unlinks it, fsyncs the directories, and removes `quarantine/` and
 * the directory when they are empty. Best effort against recovery of the ciphertext: SSDs and copy-on-write file
 * systems keep old blocks elsewhere; the guarantee comes from destroying the spool key (see the docs).
 */
export function purgeSpoolFiles(dir: string, paths: readonly string[]): { purged: number; failed: string[] } {
  let purged = 0;
  const failed: string[] = [];
  const zeros = Buffer.alloc(64 * 1024);
  for (const path of paths) {
    try {
      const fd = openSync(path, 'r+');
      try {
        let left = statSync(path).size;
        let at = 0;
        while (left > 0) {
          const n = writeSync(fd, zeros, 0, Math.min(left, zeros.length), at);
          left -= n;
          at += n;
        }
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      unlinkSync(path);
      purged++;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      failed.push(`${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  for (const folder of [join(dir, QUARANTINE_DIR), dir]) {
    try {
      const fd = openSync(folder, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      rmdirSync(folder); // only when empty
    } catch {
      // not empty (other files are never touched) or already gone
    }
  }
  return { purged, failed };
}
