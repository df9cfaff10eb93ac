import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EncryptedSpool } from '../../exporters/encrypted-spool';
import type { OtlpSignal } from '../../exporters/exporter-config';
import { sealLegacySpoolFile, spoolFileName } from '../../exporters/spool-file-format';
import { spoolKeyId } from '../../exporters/spool-key';
import { SPOOL_STATE_FILE } from '../../exporters/spool-state';
import { CapturingLogger } from '../helpers/capturing-logger';

const dirs: string[] = [];
const key = randomBytes(32);
const spoolKey = { key, id: spoolKeyId(key) };

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-spool-guard-'));
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

describe('spool replay guard', () => {
  it('a delivered file copied back into the directory is quarantined at the next start, never replayed, and counted', async () => {
    const dir = tempDir();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    await spool.write('traces', spool.nextSeq(), Buffer.from('batch-1'));
    await spool.write('traces', spool.nextSeq(), Buffer.from('batch-2'));
    const [first] = spoolFiles(dir);
    const copy = readFileSync(join(dir, first));
    const entry = spool.oldest('traces')!;
    expect((await spool.read(entry))?.toString()).toBe('batch-1');
    await spool.remove(entry);
    expect(spoolFiles(dir)).not.toContain(first);

    writeFileSync(join(dir, first), copy); // the attack: the delivered file's bytes, back under its own name
    const logger = new CapturingLogger();
    const reopened = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    expect(await drain(reopened, 'traces')).toEqual(['batch-2']);
    expect(reopened.stats()).toMatchObject({ quarantined: 1, files: 0, delivered: 1 });
    expect(logger.messages('error', `spool file ${first} quarantined: already delivered`)).toHaveLength(1);
    expect(quarantined(dir)).toEqual([expect.stringMatching(new RegExp(`^${first}\\.\\d+$`))]);
    expect(spoolFiles(dir)).toEqual([]);
  });

  it('a file from another spool directory (same key, same name) fails authentication: the spool identity is bound', async () => {
    const mine = tempDir();
    const theirs = tempDir();
    const spool = new EncryptedSpool(mine, spoolKey, 1 << 20, new CapturingLogger());
    const other = new EncryptedSpool(theirs, spoolKey, 1 << 20, new CapturingLogger());
    await other.write('logs', other.nextSeq(), Buffer.from('foreign'));
    const [name] = spoolFiles(theirs);
    copyFileSync(join(theirs, name), join(mine, name));
    const logger = new CapturingLogger();
    const reopened = new EncryptedSpool(mine, spoolKey, 1 << 20, logger);
    expect(await drain(reopened, 'logs')).toEqual([]);
    expect(reopened.stats().quarantined).toBe(1);
    expect(logger.messages('error', 'authentication failed')).toHaveLength(1);
    expect(spool.stats().quarantined).toBe(0);
  });

  it('a tampered state file (delivered mark lowered) starts a new identity: every old file is quarantined, none sent', async () => {
    const dir = tempDir();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    for (const text of ['a', 'b', 'c']) await spool.write('metrics', spool.nextSeq(), Buffer.from(text));
    const [first] = spoolFiles(dir);
    const copy = readFileSync(join(dir, first));
    expect(await drain(spool, 'metrics')).toEqual(['a', 'b', 'c']);
    writeFileSync(join(dir, first), copy);
    const state = JSON.parse(readFileSync(join(dir, SPOOL_STATE_FILE), 'utf8')) as { delivered: { metrics: number } };
    state.delivered.metrics = 0; // try to re-open the replay window
    writeFileSync(join(dir, SPOOL_STATE_FILE), JSON.stringify(state));

    const logger = new CapturingLogger();
    const reopened = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    expect(await drain(reopened, 'metrics')).toEqual([]);
    expect(reopened.stats().quarantined).toBe(1);
    expect(logger.messages('error', 'spool state file')[0]).toContain('authentication failed (tampered)');
    expect(quarantined(dir).some((name) => name.startsWith(`${SPOOL_STATE_FILE}.`))).toBe(true);
    // the new state is authentic again: the next start does not complain
    const again = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    expect(again.stats().quarantined).toBe(0);
  });

  it('a deleted state file also starts a new identity: old files are quarantined, not sent', async () => {
    const dir = tempDir();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    await spool.write('traces', spool.nextSeq(), Buffer.from('orphan'));
    unlinkSync(join(dir, SPOOL_STATE_FILE));
    const reopened = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    expect(await drain(reopened, 'traces')).toEqual([]);
    expect(reopened.stats().quarantined).toBe(1);
  });

  it('a state file written with another spool key is refused with its own reason', async () => {
    const dir = tempDir();
    new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    const otherKey = randomBytes(32);
    const logger = new CapturingLogger();
    new EncryptedSpool(dir, { key: otherKey, id: spoolKeyId(otherKey) }, 1 << 20, logger);
    expect(logger.messages('error', `written with another spool key (id ${spoolKey.id.toString('hex')})`)).toHaveLength(
      1,
    );
  });

  it('new sequence numbers continue above the delivered mark after the directory was emptied', async () => {
    const dir = tempDir();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    for (let i = 0; i < 3; i++) await spool.write('traces', spool.nextSeq(), Buffer.from(`t${i}`));
    await drain(spool, 'traces');
    const reopened = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    const seq = reopened.nextSeq();
    expect(seq).toBe(4);
    await reopened.write('traces', seq, Buffer.from('after'));
    expect(await drain(new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger()), 'traces')).toEqual(['after']);
  });

  it('property: whatever is copied, renamed, swapped, truncated, flipped or brought from another spool, only undelivered batches come out, each once, under their own sequence number', async () => {
    type Op =
      | { kind: 'copy-back'; index: number }
      | { kind: 'rename'; index: number; to: number }
      | { kind: 'swap'; a: number; b: number }
      | { kind: 'flip'; index: number; at: number }
      | { kind: 'truncate'; index: number; length: number }
      | { kind: 'foreign'; index: number }
      | { kind: 'signal'; index: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('copy-back' as const), index: fc.nat(5) }),
      fc.record({ kind: fc.constant('rename' as const), index: fc.nat(5), to: fc.integer({ min: 1, max: 12 }) }),
      fc.record({ kind: fc.constant('swap' as const), a: fc.nat(5), b: fc.nat(5) }),
      fc.record({ kind: fc.constant('flip' as const), index: fc.nat(5), at: fc.nat(200) }),
      fc.record({ kind: fc.constant('truncate' as const), index: fc.nat(5), length: fc.nat(60) }),
      fc.record({ kind: fc.constant('foreign' as const), index: fc.nat(5) }),
      fc.record({ kind: fc.constant('signal' as const), index: fc.nat(5) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.array(op, { minLength: 1, maxLength: 4 }),
        async (delivered, ops) => {
          const dir = tempDir();
          const foreignDir = tempDir();
          const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
          const foreign = new EncryptedSpool(foreignDir, spoolKey, 1 << 20, new CapturingLogger());
          const originals: Array<{ name: string; bytes: Buffer; seq: number; text: string }> = [];
          for (let i = 0; i < 6; i++) {
            const seq = spool.nextSeq();
            const text = `batch-${seq}`;
            await spool.write('traces', seq, Buffer.from(text));
            await foreign.write('traces', seq, Buffer.from(`foreign-${seq}`));
            const name = spoolFileName(seq, 'traces');
            originals.push({ name, seq, text, bytes: readFileSync(join(dir, name)) });
          }
          const sent = await (async () => {
            const out: string[] = [];
            for (let i = 0; i < delivered; i++) {
              const entry = spool.oldest('traces')!;
              out.push((await spool.read(entry))!.toString());
              await spool.remove(entry);
            }
            return out;
          })();
          const pick = (index: number) => originals[index % originals.length];
          const touched = new Set<string>();
          for (const step of ops) {
            const path = (name: string) => join(dir, name);
            const a = pick(step.kind === 'swap' ? step.a : step.index).name;
            touched.add(a);
            try {
              if (step.kind === 'copy-back') writeFileSync(path(a), pick(step.index).bytes);
              else if (step.kind === 'rename') {
                touched.add(spoolFileName(step.to, 'traces'));
                renameSync(path(a), path(spoolFileName(step.to, 'traces')));
              } else if (step.kind === 'swap') {
                const b = pick(step.b).name;
                touched.add(b);
                renameSync(path(a), path('swap-in-progress'));
                renameSync(path(b), path(a));
                renameSync(path('swap-in-progress'), path(b));
              } else if (step.kind === 'flip') {
                const bytes = readFileSync(path(a));
                bytes[step.at % bytes.length] ^= 0x20;
                writeFileSync(path(a), bytes);
              } else if (step.kind === 'truncate') truncateSync(path(a), step.length);
              else if (step.kind === 'foreign') copyFileSync(join(foreignDir, a), path(a));
              else renameSync(path(a), path(a.replace('traces', 'logs')));
            } catch {
              // the file the operator targets is gone (delivered or moved by an earlier step): nothing to do
            }
          }
          const reopened = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
          const replayed = [...(await drain(reopened, 'traces')), ...(await drain(reopened, 'logs'))];
          // nothing delivered comes out again, nothing foreign comes out, each batch at most once
          for (const text of replayed) {
            expect(sent).not.toContain(text);
            expect(text.startsWith('batch-')).toBe(true);
          }
          expect(new Set(replayed).size).toBe(replayed.length);
          // and an untouched, undelivered file is still delivered (the guard does not eat good batches)
          for (const original of originals.slice(delivered))
            if (!touched.has(original.name)) expect(replayed).toContain(original.text);
          rmSync(dir, { recursive: true, force: true });
          rmSync(foreignDir, { recursive: true, force: true });
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('spool retention (maxAgeMillis)', () => {
  it('drops batches older than maxAgeMillis when their turn comes: counted as expired, one log line', async () => {
    const dir = tempDir();
    const start = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(start);
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger(), undefined, 60_000);
    await spool.write('traces', spool.nextSeq(), Buffer.from('old-1'));
    await spool.write('traces', spool.nextSeq(), Buffer.from('old-2'));
    clock.mockReturnValue(start + 50_000);
    await spool.write('traces', spool.nextSeq(), Buffer.from('recent'));
    clock.mockReturnValue(start + 61_000);
    const logger = new CapturingLogger();
    const reopened = new EncryptedSpool(dir, spoolKey, 1 << 20, logger, undefined, 60_000);
    expect(await drain(reopened, 'traces')).toEqual(['recent']);
    expect(reopened.stats()).toMatchObject({ expired: 2, quarantined: 0, files: 0 });
    expect(logger.messages('warn', 'older than spool.maxAgeMillis (60000 ms)')).toHaveLength(1);
    expect(spoolFiles(dir)).toEqual([]);
  });

  it('rejects a maxAgeMillis that is not a positive number', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => new EncryptedSpool(tempDir(), spoolKey, 1 << 20, new CapturingLogger(), undefined, bad)).toThrow(
        'spool.maxAgeMillis must be a positive number of milliseconds',
      );
  });
});

describe('format 1 files from the previous version', () => {
  function writeLegacy(dir: string, seq: number, text: string): string {
    const name = spoolFileName(seq, 'traces');
    writeFileSync(join(dir, name), sealLegacySpoolFile(key, spoolKey.id, 'traces', seq, Buffer.from(text)), {
      mode: 0o600,
    });
    return name;
  }

  it('are migrated on the first start of a directory without a state file (re-sealed as format 2, replayed in order)', async () => {
    const dir = tempDir();
    const names = [writeLegacy(dir, 7, 'legacy-7'), writeLegacy(dir, 8, 'legacy-8')];
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(join(dir, names[0]), old, old);
    const mtime = Math.floor(statSync(join(dir, names[0])).mtimeMs);
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    expect(logger.messages('info', 'migrated 2 spool file(s)')).toHaveLength(1);
    for (const name of names) expect(readFileSync(join(dir, name))[4]).toBe(2);
    expect(Number(readFileSync(join(dir, names[0])).readBigUInt64BE(14))).toBe(mtime);
    expect(await drain(spool, 'traces')).toEqual(['legacy-7', 'legacy-8']);
    expect(spool.nextSeq()).toBe(9);
  });

  it('are quarantined, not sent, when found in a directory that already has its state file', async () => {
    const dir = tempDir();
    new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    const name = writeLegacy(dir, 3, 'legacy-late');
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    expect(await drain(spool, 'traces')).toEqual([]);
    expect(spool.stats().quarantined).toBe(1);
    expect(logger.messages('error', `spool file ${name} quarantined: format 1 file`)).toHaveLength(1);
  });

  it('a file of the spool name whose first bytes are no spool header does not stop the migration (only the magic says a version)', async () => {
    for (const fifth of [1, 2]) {
      const dir = tempDir();
      writeLegacy(dir, 4, 'legacy-4');
      // junk under a batch file's name: five bytes, the fifth one a format number, but not the `OTSP` magic
      const junk = spoolFileName(5, 'traces');
      writeFileSync(join(dir, junk), Buffer.from([0x4a, 0x55, 0x4e, 0x4b, fifth, 0, 0, 0]), { mode: 0o600 });
      const logger = new CapturingLogger();
      const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
      expect(logger.messages('info', 'migrated 1 spool file(s)')).toHaveLength(1);
      expect(await drain(spool, 'traces')).toEqual(['legacy-4']);
      expect(logger.messages('error', `spool file ${junk} quarantined: not a spool file (bad magic)`)).toHaveLength(1);
      expect(quarantined(dir)).toEqual([expect.stringMatching(new RegExp(`^${junk}\\.\\d+$`))]);
      expect(spoolFiles(dir)).toEqual([]);
    }
  });

  it('a tampered format 1 file is quarantined during migration', async () => {
    const dir = tempDir();
    const name = writeLegacy(dir, 1, 'legacy');
    const bytes = readFileSync(join(dir, name));
    bytes[bytes.length - 3] ^= 1;
    writeFileSync(join(dir, name), bytes);
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    expect(await drain(spool, 'traces')).toEqual([]);
    expect(spool.stats().quarantined).toBe(1);
  });
});

describe('what the operator is told', () => {
  it('a batch whose file was renamed to another signal is quarantined, not sent as that signal, and the log says why', async () => {
    const dir = tempDir();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    await spool.write('traces', spool.nextSeq(), Buffer.from('a traces batch'));
    const [name] = spoolFiles(dir);
    const renamed = name!.replace('traces', 'logs');
    renameSync(join(dir, name!), join(dir, renamed));
    const logger = new CapturingLogger();
    const reopened = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    expect(await drain(reopened, 'logs')).toEqual([]);
    expect(await drain(reopened, 'traces')).toEqual([]);
    expect(reopened.stats().quarantined).toBe(1);
    expect(logger.messages('error', `spool file ${renamed} quarantined: signal in header`)).toHaveLength(1);
  });

  it('a delivered mark that cannot be stored is reported once: the batch is not sent again in this process', async () => {
    const dir = tempDir();
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    for (const text of ['first', 'second']) await spool.write('traces', spool.nextSeq(), Buffer.from(text));
    // the state file's place taken by a directory (an operator's mistake, a broken restore): renaming onto it fails
    rmSync(join(dir, SPOOL_STATE_FILE));
    mkdirSync(join(dir, SPOOL_STATE_FILE, 'in-the-way'), { recursive: true });
    expect(await drain(spool, 'traces')).toEqual(['first', 'second']);
    const warned = logger.messages('warn', 'cannot update the spool state file');
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain(dir);
    expect(spool.oldest('traces')).toBeUndefined();
  });

  it('the memory bound is reported in one line, whether the oldest held batches or an oversized one are dropped', async () => {
    const base = tempDir();
    const dir = join(base, 'spool');
    mkdirSync(dir);
    const logger = new CapturingLogger();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, logger, 4096);
    // the directory replaced by a file: every write fails (as root too), batches are held in memory
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'not a directory');
    for (let i = 0; i < 12; i++) await spool.write('traces', spool.nextSeq(), randomBytes(1000));
    expect(spool.stats().dropped).toBeGreaterThan(0);
    await spool.write('traces', spool.nextSeq(), randomBytes(8192));
    expect(spool.stats().dropped).toBeGreaterThan(1);
    expect(logger.messages('error', 'spool memory bound (4096 bytes) reached')).toHaveLength(1);
    rmSync(dir);
  });
});
