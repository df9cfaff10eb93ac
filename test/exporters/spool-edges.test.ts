import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EncryptedSpool, SPOOL_HEADER_BYTES } from '../../exporters/encrypted-spool';
import type { SpoolEntry } from '../../exporters/encrypted-spool';
import type { OtlpSignal } from '../../exporters/exporter-config';
import { SecureExportConfigError } from '../../exporters/secure-export-config-error';
import { sealLegacySpoolFile, spoolFileName } from '../../exporters/spool-file-format';
import { spoolKeyId } from '../../exporters/spool-key';
import { SPOOL_STATE_FILE } from '../../exporters/spool-state';
import { CapturingLogger } from '../helpers/capturing-logger';

// The edges of the encrypted spool, on real files in temporary directories with keys generated here: the size and
// memory bounds at their exact limits, the directory becoming unwritable and writable again (the directory moved
// aside and a regular file put in its place: writes fail as root too), what read() does with a file that vanished,
// was replaced or is too old, the delivered mark, and the start when the state file cannot be written.

const dirs: string[] = [];
const key = randomBytes(32);
const spoolKey = { key, id: spoolKeyId(key) };
/** Bytes a payload of `n` bytes takes on disk: header, ciphertext, GCM tag. */
const sealedSize = (n: number): number => SPOOL_HEADER_BYTES + n + 16;

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-spool-edges-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const spoolFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.otsp'))
    .sort();
const quarantined = (dir: string): string[] => readdirSync(join(dir, 'quarantine')).sort();

/** The directory moved aside and a regular file put in its place: every write into it fails (ENOTDIR), as root too. */
function block(dir: string): void {
  renameSync(dir, `${dir}.aside`);
  writeFileSync(dir, 'not a directory');
}

/** The directory back in its place, with everything it held. */
function unblock(dir: string): void {
  rmSync(dir);
  renameSync(`${dir}.aside`, dir);
}

/** Replays (reads and removes) every batch of `signal` in order, as the delivery lane does after each accept. */
async function drain(spool: EncryptedSpool, signal: OtlpSignal): Promise<string[]> {
  const out: string[] = [];
  for (let entry = spool.oldest(signal); entry; entry = spool.oldest(signal)) {
    const payload = await spool.read(entry);
    if (payload === undefined) continue;
    out.push(payload.toString());
    await spool.remove(entry);
  }
  return out;
}

/** A fixed-length payload naming its batch, so sizes are exact. */
const payload = (label: string, n = 100): Buffer => Buffer.from(label.padEnd(n, '.'));

describe('configuration', () => {
  it('refuses a maxBytes that is not a positive number, and a maxMemoryBytes that is negative or not finite', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => new EncryptedSpool(tempDir(), spoolKey, bad, new CapturingLogger())).toThrow(
        'spool.maxBytes must be a positive number',
      );
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => new EncryptedSpool(tempDir(), spoolKey, 1 << 20, new CapturingLogger(), bad)).toThrow(
        'spool.maxMemoryBytes must be a non-negative number',
      );
    // the smallest accepted values: nothing fits, but the spool starts
    const spool = new EncryptedSpool(tempDir(), spoolKey, 1, new CapturingLogger(), 0, 1);
    expect(spool.stats()).toMatchObject({ files: 0, bytes: 0, unwritable: false });
  });

  it('a spool path below a regular file is a configuration error naming the path and the cause', () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'in the way');
    const dir = join(file, 'spool');
    let thrown: unknown;
    try {
      new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SecureExportConfigError);
    expect((thrown as Error).message).toContain(`cannot create spool directory "${dir}": ENOTDIR`);
  });

  it('prints only its directory, never the key or the batches it holds', async () => {
    const dir = tempDir();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    await spool.write('traces', spool.nextSeq(), payload('printed-batch'));
    const printed = inspect(spool, { depth: 10, showHidden: true });
    expect(printed).toContain(dir);
    expect(printed).toContain('EncryptedSpool');
    expect(printed).not.toContain(key.toString('hex'));
    expect(printed).not.toContain(key.toString('base64'));
    expect(printed).not.toContain('printed-batch');
    expect(printed).not.toContain('sealing');
  });
});

describe('maxBytes', () => {
  it('a batch of exactly maxBytes is stored; one byte more is dropped, counted and reported with its size', async () => {
    const dir = tempDir();
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, sealedSize(100), logger);
    expect(await spool.write('logs', spool.nextSeq(), payload('fits', 100))).toBe(true);
    expect(spool.stats()).toMatchObject({ files: 1, bytes: sealedSize(100), dropped: 0, written: 1 });
    expect(spoolFiles(dir)).toHaveLength(1);
    expect(await spool.write('logs', spool.nextSeq(), payload('too-big', 101))).toBe(false);
    expect(spool.stats()).toMatchObject({ files: 1, bytes: sealedSize(100), dropped: 1, written: 1 });
    expect(
      logger.messages('warn', `a logs batch of ${sealedSize(101)} bytes exceeds spool.maxBytes and was dropped`),
    ).toHaveLength(1);
    expect(spoolFiles(dir)).toHaveLength(1);
    expect(await drain(spool, 'logs')).toEqual([payload('fits', 100).toString()]);
  });

  it('fills up to exactly maxBytes, then drops the oldest batch over all signals first, from disk too, reported once per episode', async () => {
    const dir = tempDir();
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 3 * sealedSize(100), logger);
    await spool.write('traces', spool.nextSeq(), payload('t1'));
    await spool.write('metrics', spool.nextSeq(), payload('m2'));
    await spool.write('logs', spool.nextSeq(), payload('l3'));
    expect(spool.stats()).toMatchObject({ files: 3, bytes: 3 * sealedSize(100), dropped: 0 });
    expect(logger.messages('warn')).toEqual([]);
    expect(['traces', 'metrics', 'logs'].map((s) => spool.has(s as OtlpSignal))).toEqual([true, true, true]);

    // the oldest is a traces batch, not the first or last list's
    await spool.write('logs', spool.nextSeq(), payload('l4'));
    expect(spool.has('traces')).toBe(false);
    expect(spool.oldest('traces')).toBeUndefined();
    expect(spoolFiles(dir)).toEqual(
      [2, 3, 4].map((seq, i) => spoolFileName(seq, (['metrics', 'logs', 'logs'] as const)[i])),
    );
    // then the metrics one
    await spool.write('traces', spool.nextSeq(), payload('t5'));
    expect(spool.has('metrics')).toBe(false);
    expect(spool.stats()).toMatchObject({ files: 3, bytes: 3 * sealedSize(100), dropped: 2 });
    const evicted = logger.messages('warn', `reached maxBytes (${3 * sealedSize(100)}); dropping oldest batches`);
    expect(evicted).toHaveLength(1);
    expect(evicted[0]).toContain(dir);
    // a batch of twice the size drops two
    await spool.write('metrics', spool.nextSeq(), payload('m6', 100 + sealedSize(100)));
    expect(spool.stats()).toMatchObject({ files: 2, dropped: 4 });
    expect(await drain(spool, 'traces')).toEqual([payload('t5').toString()]);
    expect(await drain(spool, 'metrics')).toEqual([payload('m6', 100 + sealedSize(100)).toString()]);
    expect(spool.stats()).toMatchObject({ files: 0, bytes: 0, delivered: 2 });

    // the spool emptied in between: a new episode is reported again
    for (const label of ['a', 'b', 'c', 'd']) await spool.write('traces', spool.nextSeq(), payload(label));
    expect(logger.messages('warn', 'reached maxBytes')).toHaveLength(2);
  });

  it('writes that are not awaited one by one still respect the bound, in submission order; idle() waits for them', async () => {
    const dir = tempDir();
    const spool = new EncryptedSpool(dir, spoolKey, 2 * sealedSize(100), new CapturingLogger());
    const pending = ['w1', 'w2', 'w3', 'w4'].map((label) => spool.write('traces', spool.nextSeq(), payload(label)));
    await spool.idle();
    expect(spool.stats()).toMatchObject({ files: 2, written: 4, dropped: 2, bytes: 2 * sealedSize(100) });
    expect(await Promise.all(pending)).toEqual([true, true, true, true]);
    expect(spoolFiles(dir)).toHaveLength(2);
    expect(await drain(spool, 'traces')).toEqual([payload('w3').toString(), payload('w4').toString()]);
  });

  it('idle() resolves once a write that was not awaited is on disk', async () => {
    const dir = tempDir();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    void spool.write('logs', spool.nextSeq(), payload('background'));
    await spool.idle();
    expect(spool.stats().written).toBe(1);
    expect(spoolFiles(dir)).toHaveLength(1);
  });
});

describe('an unwritable directory: batches held in memory', () => {
  it('holds batches sealed in memory, reports once, comes back to disk by itself, reports again after that', async () => {
    const dir = join(tempDir(), 'spool');
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger, 4096);
    await spool.write('traces', spool.nextSeq(), payload('on-disk-1'));
    block(dir);
    expect(await spool.write('traces', spool.nextSeq(), payload('held-2'))).toBe(true);
    expect(await spool.write('logs', spool.nextSeq(), payload('held-3'))).toBe(true);
    expect(spool.stats()).toMatchObject({
      files: 1,
      bytes: sealedSize(100),
      written: 1,
      memoryBatches: 2,
      memoryBytes: 2 * sealedSize(100),
      unwritable: true,
    });
    expect(spool.has('logs')).toBe(true);
    const warned = logger.messages('warn', `cannot write spool directory ${dir} (ENOTDIR)`);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain('up to 4096 bytes');
    // held batches read back without the directory
    const held = spool.oldest('logs')!;
    expect(held.memory).toBeDefined();
    expect((await spool.read(held))?.toString()).toBe(payload('held-3').toString());
    expect(readdirSync(`${dir}.aside`).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    unblock(dir);
    expect(await spool.write('metrics', spool.nextSeq(), payload('disk-4'))).toBe(true);
    expect(logger.messages('info', `spool directory ${dir} is writable again`)).toHaveLength(1);
    expect(spool.stats()).toMatchObject({ files: 2, memoryBatches: 2, unwritable: false, written: 2 });
    await spool.write('metrics', spool.nextSeq(), payload('disk-5'));
    expect(logger.messages('info', 'writable again')).toHaveLength(1);

    block(dir);
    await spool.write('metrics', spool.nextSeq(), payload('held-6'));
    expect(logger.messages('warn', 'cannot write spool directory')).toHaveLength(2);
    unblock(dir);

    // shutdown moves the held batches to disk, in order; the next process replays everything
    await spool.close();
    expect(spool.stats()).toMatchObject({ memoryBatches: 0, memoryBytes: 0, files: 6, written: 6, dropped: 0 });
    expect(logger.messages('error')).toEqual([]);
    const reopened = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    expect(reopened.stats()).toMatchObject({ files: 6, quarantined: 0 });
    expect(await drain(reopened, 'traces')).toEqual(['on-disk-1', 'held-2'].map((l) => payload(l).toString()));
    expect(await drain(reopened, 'logs')).toEqual([payload('held-3').toString()]);
    expect(await drain(reopened, 'metrics')).toEqual(['disk-4', 'disk-5', 'held-6'].map((l) => payload(l).toString()));
  });

  it('bounds memory at exactly maxMemoryBytes: the oldest held batch goes first, never a batch on disk', async () => {
    const dir = join(tempDir(), 'spool');
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger, 2 * sealedSize(100));
    await spool.write('traces', spool.nextSeq(), payload('disk-1'));
    block(dir);
    await spool.write('logs', spool.nextSeq(), payload('held-2'));
    await spool.write('traces', spool.nextSeq(), payload('held-3'));
    expect(spool.stats()).toMatchObject({ memoryBatches: 2, memoryBytes: 2 * sealedSize(100), dropped: 0 });
    expect(logger.messages('error')).toEqual([]);
    await spool.write('metrics', spool.nextSeq(), payload('held-4'));
    expect(spool.stats()).toMatchObject({ files: 1, memoryBatches: 2, memoryBytes: 2 * sealedSize(100), dropped: 1 });
    expect(spool.has('logs')).toBe(false);
    const bound = logger.messages('error', `spool memory bound (${2 * sealedSize(100)} bytes) reached while ${dir}`);
    expect(bound).toHaveLength(1);
    // a batch larger than the whole bound is refused, the held ones stay
    expect(await spool.write('logs', spool.nextSeq(), payload('huge', 101 + sealedSize(100)))).toBe(false);
    expect(spool.stats()).toMatchObject({ memoryBatches: 2, dropped: 2 });
    // a batch of exactly the bound replaces both
    expect(await spool.write('logs', spool.nextSeq(), payload('exact', 100 + sealedSize(100)))).toBe(true);
    expect(spool.stats()).toMatchObject({ memoryBatches: 1, memoryBytes: 2 * sealedSize(100), dropped: 4 });
    unblock(dir);
    expect(await drain(spool, 'traces')).toEqual([payload('disk-1').toString()]);
    expect(await drain(spool, 'logs')).toEqual([payload('exact', 100 + sealedSize(100)).toString()]);
    expect(spool.stats()).toMatchObject({ files: 0, memoryBatches: 0, memoryBytes: 0, delivered: 2 });
  });

  it('with maxMemoryBytes 0 nothing is held: the batch is dropped and the memory bound reported', async () => {
    const dir = join(tempDir(), 'spool');
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger, 0);
    block(dir);
    expect(await spool.write('traces', spool.nextSeq(), payload('nowhere'))).toBe(false);
    expect(spool.stats()).toMatchObject({ memoryBatches: 0, dropped: 1, unwritable: true });
    expect(logger.messages('error', 'spool memory bound (0 bytes) reached')).toHaveLength(1);
    unblock(dir);
  });

  it('close() while the directory is still unwritable loses the held batches: counted and reported in one line', async () => {
    const dir = join(tempDir(), 'spool');
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    block(dir);
    for (const label of ['lost-1', 'lost-2']) await spool.write('traces', spool.nextSeq(), payload(label));
    await spool.close();
    expect(spool.stats()).toMatchObject({ memoryBatches: 0, dropped: 2, written: 0 });
    const lost = logger.messages('error', '2 undelivered batch(es) held in memory were lost at shutdown');
    expect(lost).toHaveLength(1);
    expect(lost[0]).toContain(dir);
    unblock(dir);
    expect(spoolFiles(dir)).toEqual([]);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('close() with nothing held writes nothing and reports nothing', async () => {
    const dir = tempDir();
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    await spool.write('traces', spool.nextSeq(), payload('kept'));
    await spool.close();
    expect(spool.stats()).toMatchObject({ files: 1, written: 1, dropped: 0 });
    expect(logger.lines).toEqual([]);
  });

  it('a held batch discarded by quarantine() is counted and logged, nothing reaches quarantine/', async () => {
    const dir = join(tempDir(), 'spool');
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    block(dir);
    await spool.write('traces', spool.nextSeq(), payload('refused'));
    unblock(dir);
    const entry = spool.oldest('traces')!;
    await spool.quarantine(entry, 'refused by the receiver');
    expect(spool.stats()).toMatchObject({ quarantined: 1, memoryBatches: 0, memoryBytes: 0 });
    expect(
      logger.messages('error', `batch ${entry.name} held in memory discarded: refused by the receiver`),
    ).toHaveLength(1);
    expect(quarantined(dir)).toEqual([]);
  });

  it('a held batch older than maxAgeMillis expires like a file', async () => {
    const dir = join(tempDir(), 'spool');
    const start = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(start);
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger(), undefined, 1000);
    block(dir);
    await spool.write('logs', spool.nextSeq(), payload('stale'));
    clock.mockReturnValue(start + 1001);
    expect(await spool.read(spool.oldest('logs')!)).toBeUndefined();
    expect(spool.stats()).toMatchObject({ expired: 1, memoryBatches: 0, memoryBytes: 0 });
    unblock(dir);
  });
});

describe('read()', () => {
  it('a file that vanished yields nothing and is forgotten, not quarantined', async () => {
    const dir = tempDir();
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    await spool.write('traces', spool.nextSeq(), payload('gone'));
    unlinkSync(join(dir, spoolFiles(dir)[0]));
    expect(await spool.read(spool.oldest('traces')!)).toBeUndefined();
    expect(spool.has('traces')).toBe(false);
    expect(spool.stats()).toMatchObject({ files: 0, bytes: 0, quarantined: 0 });
    expect(logger.messages('error')).toEqual([]);
  });

  it('a directory in place of the file is quarantined as unreadable, with its error code', async () => {
    const dir = tempDir();
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    await spool.write('traces', spool.nextSeq(), payload('x'));
    const [name] = spoolFiles(dir);
    unlinkSync(join(dir, name));
    mkdirSync(join(dir, name));
    expect(await spool.read(spool.oldest('traces')!)).toBeUndefined();
    expect(spool.stats()).toMatchObject({ files: 0, bytes: 0, quarantined: 1 });
    expect(logger.messages('error', `spool file ${name} quarantined: unreadable (EISDIR)`)).toHaveLength(1);
    expect(quarantined(dir)).toEqual([expect.stringMatching(new RegExp(`^${name}\\.\\d+$`))]);
  });

  it('a file replaced after start by a format 1 file, or by a file of another key, is quarantined with its reason', async () => {
    const dir = tempDir();
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    await spool.write('traces', spool.nextSeq(), payload('one'));
    await spool.write('traces', spool.nextSeq(), payload('two'));
    const [first, second] = spoolFiles(dir);
    writeFileSync(join(dir, first), sealLegacySpoolFile(key, spoolKey.id, 'traces', 1, payload('legacy')));
    const otherKey = randomBytes(32);
    const otherDir = tempDir();
    const other = new EncryptedSpool(
      otherDir,
      { key: otherKey, id: spoolKeyId(otherKey) },
      1 << 20,
      new CapturingLogger(),
    );
    await other.write('traces', 1, payload('x'));
    await other.write('traces', 2, payload('other-key'));
    copyFileSync(join(otherDir, second), join(dir, second));
    expect(await drain(spool, 'traces')).toEqual([]);
    expect(spool.stats()).toMatchObject({ quarantined: 2, files: 0 });
    expect(
      logger.messages(
        'error',
        `spool file ${first} quarantined: format 1 file (written by a previous version) found in a spool that was already upgraded`,
      ),
    ).toHaveLength(1);
    expect(
      logger.messages(
        'error',
        `spool file ${second} quarantined: encrypted with another key (id ${spoolKeyId(otherKey).toString('hex')})`,
      ),
    ).toHaveLength(1);
    expect(quarantined(dir)).toHaveLength(2);
  });

  it('a truncated file is quarantined with the reason its header gives', async () => {
    const dir = tempDir();
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    await spool.write('metrics', spool.nextSeq(), payload('cut'));
    const [name] = spoolFiles(dir);
    writeFileSync(join(dir, name), Buffer.from('OTS'));
    expect(await spool.read(spool.oldest('metrics')!)).toBeUndefined();
    expect(logger.messages('error', `spool file ${name} quarantined: truncated`)).toHaveLength(1);
  });

  it('a batch whose sequence number is below the delivered mark of its signal is not sent, even in the same process', async () => {
    const dir = tempDir();
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    const early = spool.nextSeq();
    const late = spool.nextSeq();
    await spool.write('logs', late, payload('late'));
    const entry = spool.oldest('logs')!;
    expect((await spool.read(entry))?.toString()).toBe(payload('late').toString());
    await spool.remove(entry);
    // the batch that took the lower number is stored only now: the mark is already above it
    await spool.write('logs', early, payload('early'));
    expect(await spool.read(spool.oldest('logs')!)).toBeUndefined();
    expect(spool.stats()).toMatchObject({ quarantined: 1, delivered: 1, files: 0 });
    expect(
      logger.messages(
        'error',
        `quarantined: already delivered (sequence ${early} is at or below the delivered mark ${late} of logs)`,
      ),
    ).toHaveLength(1);
    // a batch stored again under the number that was just delivered (a caller reusing it) is not sent either
    await spool.write('logs', late, payload('late-again'));
    expect(await spool.read(spool.oldest('logs')!)).toBeUndefined();
    expect(spool.stats().quarantined).toBe(2);
    // a batch of another signal with the same low number is not affected
    await spool.write('traces', early, payload('traces-early'));
    expect(await drain(spool, 'traces')).toEqual([payload('traces-early').toString()]);
  });

  it('a batch exactly maxAgeMillis old is sent; one millisecond older is dropped; the report comes again after the spool emptied', async () => {
    const dir = tempDir();
    const start = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(start);
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger, undefined, 10_000);
    await spool.write('traces', spool.nextSeq(), payload('too-old'));
    clock.mockReturnValue(start + 1);
    await spool.write('traces', spool.nextSeq(), payload('just-in-time'));
    clock.mockReturnValue(start + 10_001);
    expect(await drain(spool, 'traces')).toEqual([payload('just-in-time').toString()]);
    expect(spool.stats()).toMatchObject({ expired: 1, delivered: 1, files: 0 });
    expect(spoolFiles(dir)).toEqual([]);
    const expired = logger.messages('warn', `older than spool.maxAgeMillis (10000 ms) in ${dir}`);
    expect(expired).toHaveLength(1);

    await spool.write('traces', spool.nextSeq(), payload('old-again'));
    clock.mockReturnValue(start + 30_000);
    expect(await drain(spool, 'traces')).toEqual([]);
    expect(spool.stats().expired).toBe(2);
    expect(logger.messages('warn', 'older than spool.maxAgeMillis')).toHaveLength(2);
  });
});

describe('remove() and the delivered mark', () => {
  it('removing the same batch twice counts it once; the mark never goes down when batches are removed out of order', async () => {
    const dir = tempDir();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    for (const label of ['b1', 'b2', 'b3']) await spool.write('traces', spool.nextSeq(), payload(label));
    const [one, two] = spoolFiles(dir);
    const copyOfTwo = readFileSync(join(dir, two));
    const entries = [spool.oldest('traces')!];
    await spool.read(entries[0]);
    // take the second one first (as a lane of another exporter could)
    const second: SpoolEntry = { name: two, seq: 2, signal: 'traces', size: copyOfTwo.length };
    await spool.remove(second);
    await spool.remove(entries[0]);
    await spool.remove(entries[0]);
    expect(spool.stats()).toMatchObject({ delivered: 2, files: 1 });
    expect(spoolFiles(dir)).toEqual([spoolFileName(3, 'traces')]);
    expect(existsSync(join(dir, one))).toBe(false);

    writeFileSync(join(dir, two), copyOfTwo);
    const reopened = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    // found at start: quarantined before anything is read
    expect(reopened.stats()).toMatchObject({ quarantined: 1, files: 1 });
    expect(await drain(reopened, 'traces')).toEqual([payload('b3').toString()]);
  });

  it('a delivered mark that could not be stored is reported again after it could be stored in between', async () => {
    const dir = tempDir();
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    for (const label of ['r1', 'r2', 'r3']) await spool.write('traces', spool.nextSeq(), payload(label));
    const state = join(dir, SPOOL_STATE_FILE);
    const inTheWay = () => {
      rmSync(state, { recursive: true, force: true });
      mkdirSync(join(state, 'in-the-way'), { recursive: true });
    };
    inTheWay();
    const deliverOne = async () => {
      const entry = spool.oldest('traces')!;
      await spool.read(entry);
      await spool.remove(entry);
    };
    await deliverOne();
    const warned = logger.messages('warn', `cannot update the spool state file in ${dir} (EISDIR)`);
    expect(warned).toHaveLength(1);
    rmSync(state, { recursive: true });
    await deliverOne();
    expect(existsSync(state)).toBe(true);
    inTheWay();
    await deliverOne();
    expect(logger.messages('warn', 'cannot update the spool state file')).toHaveLength(2);
    expect(spool.stats()).toMatchObject({ delivered: 3, files: 0 });
  });

  it('a refused file given to quarantine() is moved to quarantine/ under its name and the time, and logged', async () => {
    const dir = tempDir();
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    await spool.write('metrics', spool.nextSeq(), payload('refused'));
    const entry = spool.oldest('metrics')!;
    const before = Date.now();
    await spool.quarantine(entry, 'refused by the receiver (INVALID_ARGUMENT)');
    expect(spool.stats()).toMatchObject({ quarantined: 1, files: 0, bytes: 0 });
    const [moved] = quarantined(dir);
    expect(moved.startsWith(`${entry.name}.`)).toBe(true);
    const stamp = Number(moved.slice(entry.name.length + 1));
    expect(stamp).toBeGreaterThanOrEqual(before);
    expect(stamp).toBeLessThanOrEqual(Date.now());
    expect(spoolFiles(dir)).toEqual([]);
    expect(
      logger.messages('error', `spool file ${entry.name} quarantined: refused by the receiver (INVALID_ARGUMENT)`),
    ).toHaveLength(1);
  });

  it('when quarantine/ cannot take the file, the file is deleted all the same: it is never sent', async () => {
    const dir = tempDir();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    await spool.write('metrics', spool.nextSeq(), payload('refused'));
    rmSync(join(dir, 'quarantine'), { recursive: true });
    writeFileSync(join(dir, 'quarantine'), 'not a directory');
    await spool.quarantine(spool.oldest('metrics')!, 'refused');
    expect(spoolFiles(dir)).toEqual([]);
    expect(spool.stats()).toMatchObject({ quarantined: 1, files: 0 });
  });
});

describe('start', () => {
  /** A directory in place of the state file's temporary file: the state file cannot be written at start. */
  function blockState(dir: string): string {
    const temp = join(dir, `.${SPOOL_STATE_FILE}.${process.pid}.tmp`);
    mkdirSync(join(temp, 'in-the-way'), { recursive: true });
    return temp;
  }

  it('a state file that cannot be written: batches are held, not written unbound; written once it can be', async () => {
    const dir = tempDir();
    const temp = blockState(dir);
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    expect(spool.stats().unwritable).toBe(true);
    expect(logger.messages('warn', `cannot write spool directory ${dir} (EISDIR)`)).toHaveLength(1);
    expect(existsSync(join(dir, SPOOL_STATE_FILE))).toBe(false);
    expect(await spool.write('traces', spool.nextSeq(), payload('held'))).toBe(true);
    expect(spool.stats()).toMatchObject({ files: 0, memoryBatches: 1 });
    expect(spoolFiles(dir)).toEqual([]);
    rmSync(temp, { recursive: true });
    expect(await spool.write('traces', spool.nextSeq(), payload('written'))).toBe(true);
    expect(existsSync(join(dir, SPOOL_STATE_FILE))).toBe(true);
    await spool.close();
    expect(spool.stats()).toMatchObject({ files: 2, memoryBatches: 0 });
    const reopened = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    expect(await drain(reopened, 'traces')).toEqual(['held', 'written'].map((l) => payload(l).toString()));
  });

  it('close() writes the state file first when it could not be written before, then the held batches', async () => {
    const dir = tempDir();
    const temp = blockState(dir);
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    await spool.write('logs', spool.nextSeq(), payload('held-1'));
    await spool.write('logs', spool.nextSeq(), payload('held-2'));
    rmSync(temp, { recursive: true });
    await spool.close();
    expect(spool.stats()).toMatchObject({ files: 2, written: 2, memoryBatches: 0, dropped: 0 });
    const reopened = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    expect(await drain(reopened, 'logs')).toEqual(['held-1', 'held-2'].map((l) => payload(l).toString()));
  });

  it('close() while the state file still cannot be written loses the held batches rather than writing them unbound', async () => {
    const dir = tempDir();
    blockState(dir);
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    await spool.write('logs', spool.nextSeq(), payload('held'));
    await spool.close();
    expect(spool.stats()).toMatchObject({ files: 0, dropped: 1, memoryBatches: 0 });
    expect(spoolFiles(dir)).toEqual([]);
    expect(logger.messages('error', '1 undelivered batch(es) held in memory were lost at shutdown')).toHaveLength(1);
  });

  it('format 1 files are not migrated while the state file cannot be written: quarantined, not sent unbound', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, spoolFileName(1, 'traces')),
      sealLegacySpoolFile(key, spoolKey.id, 'traces', 1, payload('legacy')),
    );
    blockState(dir);
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    expect(spool.stats()).toMatchObject({ quarantined: 1, files: 0 });
    expect(logger.messages('info', 'migrated')).toEqual([]);
    expect(spoolFiles(dir)).toEqual([]);
  });

  it('format 1 files next to format 2 files in a directory without a state file are quarantined, not migrated', async () => {
    const dir = tempDir();
    const first = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    await first.write('traces', 2, payload('format-2'));
    unlinkSync(join(dir, SPOOL_STATE_FILE));
    const legacy = spoolFileName(1, 'traces');
    writeFileSync(join(dir, legacy), sealLegacySpoolFile(key, spoolKey.id, 'traces', 1, payload('legacy')));
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    expect(logger.messages('error', `spool file ${legacy} quarantined: format 1 file`)).toHaveLength(1);
    expect(logger.messages('info', 'migrated')).toEqual([]);
    expect(await drain(spool, 'traces')).toEqual([]);
  });

  it('format 1 files of another key or renamed to another signal fail the migration: quarantined with the reason', async () => {
    const dir = tempDir();
    const otherKey = randomBytes(32);
    const foreign = spoolFileName(1, 'traces');
    writeFileSync(
      join(dir, foreign),
      sealLegacySpoolFile(otherKey, spoolKeyId(otherKey), 'traces', 1, payload('foreign')),
    );
    const renamed = spoolFileName(2, 'logs');
    writeFileSync(join(dir, renamed), sealLegacySpoolFile(key, spoolKey.id, 'traces', 2, payload('renamed')));
    const good = spoolFileName(3, 'traces');
    writeFileSync(join(dir, good), sealLegacySpoolFile(key, spoolKey.id, 'traces', 3, payload('good')));
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    for (const name of [foreign, renamed])
      expect(
        logger.messages(
          'error',
          `spool file ${name} quarantined: format 1 file failed authentication during migration`,
        ),
      ).toHaveLength(1);
    expect(logger.messages('info', 'migrated 1 spool file(s)')).toHaveLength(1);
    expect(spool.stats()).toMatchObject({ quarantined: 2, files: 1, bytes: sealedSize(100) });
    expect(await drain(spool, 'logs')).toEqual([]);
    expect(await drain(spool, 'traces')).toEqual([payload('good').toString()]);
  });

  it('a format 1 file sealed with this key but naming another key id in its header fails the migration', async () => {
    const dir = tempDir();
    const mislabeled = spoolFileName(1, 'traces');
    writeFileSync(
      join(dir, mislabeled),
      sealLegacySpoolFile(key, spoolKeyId(randomBytes(32)), 'traces', 1, payload('mislabeled')),
    );
    const good = spoolFileName(2, 'traces');
    writeFileSync(join(dir, good), sealLegacySpoolFile(key, spoolKey.id, 'traces', 2, payload('good')));
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    expect(
      logger.messages(
        'error',
        `spool file ${mislabeled} quarantined: format 1 file failed authentication during migration`,
      ),
    ).toHaveLength(1);
    expect(spool.stats()).toMatchObject({ quarantined: 1, files: 1 });
    expect(await drain(spool, 'traces')).toEqual([payload('good').toString()]);
  });

  it('a format 1 file that cannot be rewritten stays unsent: not migrated now, quarantined at the next start', async () => {
    const dir = tempDir();
    const name = spoolFileName(1, 'metrics');
    writeFileSync(join(dir, name), sealLegacySpoolFile(key, spoolKey.id, 'metrics', 1, payload('legacy')));
    // the migration's temporary file taken by a directory (not removed at start: only files are)
    const temp = join(dir, `.${name}.${process.pid}.tmp`);
    mkdirSync(join(temp, 'in-the-way'), { recursive: true });
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    expect(spool.stats()).toMatchObject({ files: 0, quarantined: 0 });
    expect(spool.has('metrics')).toBe(false);
    expect(logger.messages('info', 'migrated')).toEqual([]);
    expect(readFileSync(join(dir, name))[4]).toBe(1);
    rmSync(temp, { recursive: true });
    const next = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    expect(next.stats()).toMatchObject({ files: 0, quarantined: 1 });
  });

  it('sequence numbers continue above the highest file found, whatever the signal, and files are indexed in order', async () => {
    const dir = tempDir();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    for (const [seq, signal] of [
      [9, 'logs'],
      [3, 'logs'],
      [5, 'traces'],
      [7, 'logs'],
    ] as const)
      await spool.write(signal, seq, payload(`${signal}-${seq}`));
    const reopened = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    expect(reopened.stats()).toMatchObject({ files: 4, bytes: 4 * sealedSize(100) });
    expect(reopened.nextSeq()).toBe(10);
    expect(reopened.oldest('logs')?.seq).toBe(3);
    expect(await drain(reopened, 'logs')).toEqual([3, 7, 9].map((seq) => payload(`logs-${seq}`).toString()));
  });
});

describe('the index in one process', () => {
  it('batches written out of order are replayed in sequence order without a restart', async () => {
    const dir = tempDir();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    const seqs = [spool.nextSeq(), spool.nextSeq(), spool.nextSeq()];
    await spool.write('traces', seqs[2], payload('third'));
    await spool.write('traces', seqs[0], payload('first'));
    await spool.write('traces', seqs[1], payload('second'));
    expect(await drain(spool, 'traces')).toEqual(['first', 'second', 'third'].map((l) => payload(l).toString()));
  });

  it('an entry the lane still holds after it was dropped for space reads as nothing and leaves the other batches alone', async () => {
    const dir = tempDir();
    const spool = new EncryptedSpool(dir, spoolKey, 2 * sealedSize(100), new CapturingLogger());
    await spool.write('logs', spool.nextSeq(), payload('a'));
    await spool.write('logs', spool.nextSeq(), payload('b'));
    const held = spool.oldest('logs')!;
    await spool.write('logs', spool.nextSeq(), payload('c'));
    expect(await spool.read(held)).toBeUndefined();
    expect(spool.stats()).toMatchObject({ files: 2, bytes: 2 * sealedSize(100), quarantined: 0, dropped: 1 });
    expect(await drain(spool, 'logs')).toEqual(['b', 'c'].map((l) => payload(l).toString()));
  });

  it('junk under the name of a delivered batch is quarantined for what it is, not as a replay', async () => {
    const dir = tempDir();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    await spool.write('traces', spool.nextSeq(), payload('delivered'));
    const [name] = spoolFiles(dir);
    await drain(spool, 'traces');
    writeFileSync(join(dir, name), Buffer.from('JUNK-not-a-spool-file'));
    const logger = new CapturingLogger();
    const reopened = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    expect(await drain(reopened, 'traces')).toEqual([]);
    expect(logger.messages('error', `spool file ${name} quarantined: not a spool file (bad magic)`)).toHaveLength(1);
  });

  it('a file quarantine/ cannot take at start is deleted all the same: it is not left to be found again', async () => {
    const dir = tempDir();
    new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    const name = spoolFileName(1, 'traces');
    writeFileSync(join(dir, name), sealLegacySpoolFile(key, spoolKey.id, 'traces', 1, payload('late legacy')));
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now);
    // the quarantine name of this file at this instant taken by a directory that is not empty: the rename fails
    mkdirSync(join(dir, 'quarantine', `${name}.${now}`, 'in-the-way'), { recursive: true });
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    expect(spool.stats()).toMatchObject({ quarantined: 1, files: 0 });
    expect(spoolFiles(dir)).toEqual([]);
  });
});

describe('one report per episode', () => {
  it('the maxBytes report is not repeated while the spool has not emptied, even after a delivery', async () => {
    const dir = tempDir();
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 2 * sealedSize(100), logger);
    for (const label of ['a', 'b', 'c']) await spool.write('traces', spool.nextSeq(), payload(label));
    expect(logger.messages('warn', 'reached maxBytes')).toHaveLength(1);
    const entry = spool.oldest('traces')!;
    await spool.read(entry);
    await spool.remove(entry);
    expect(spool.stats().files).toBe(1);
    for (const label of ['d', 'e']) await spool.write('traces', spool.nextSeq(), payload(label));
    expect(spool.stats().dropped).toBe(2);
    expect(logger.messages('warn', 'reached maxBytes')).toHaveLength(1);
  });
});

describe('descriptors', () => {
  const openDescriptors = (): number => readdirSync('/proc/self/fd').length;

  it.runIf(existsSync('/proc/self/fd'))(
    'a start over many batch files and format 1 files to migrate leaves no descriptor open',
    async () => {
      const dir = tempDir();
      const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
      for (let i = 0; i < 40; i++) await spool.write('traces', spool.nextSeq(), payload(`batch-${i}`));
      const legacyDir = tempDir();
      for (let seq = 1; seq <= 10; seq++)
        writeFileSync(
          join(legacyDir, spoolFileName(seq, 'logs')),
          sealLegacySpoolFile(key, spoolKey.id, 'logs', seq, payload(`legacy-${seq}`)),
        );
      const before = openDescriptors();
      const reopened = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
      const migrated = new EncryptedSpool(legacyDir, spoolKey, 1 << 20, new CapturingLogger());
      expect(openDescriptors()).toBe(before);
      expect(reopened.stats().files).toBe(40);
      expect(migrated.stats().files).toBe(10);
    },
  );
});
