import { randomBytes } from 'node:crypto';
import type * as fs from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EncryptedSpool } from '../../exporters/encrypted-spool';
import { SecureExportConfigError } from '../../exporters/secure-export-config-error';
import { spoolKeyId } from '../../exporters/spool-key';
import { CapturingLogger } from '../helpers/capturing-logger';

/**
 * A spool directory that cannot be created or read at start for a reason of the machine (read-only file system, disk
 * full, permissions, descriptors exhausted): the real `node:fs` runs underneath, and `mkdirSync` fails with the error
 * code under test (as root, permissions alone cannot make it fail). The spool then starts in memory; any other
 * error is a configuration error.
 */
const failure = vi.hoisted(() => ({ code: undefined as string | undefined }));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  const mkdirSync = ((...args: Parameters<typeof real.mkdirSync>) => {
    if (failure.code !== undefined)
      throw Object.assign(
        new Error(`simulated ${failure.code}`),
        failure.code === 'none' ? {} : { code: failure.code },
      );
    return real.mkdirSync(...args);
  }) as typeof real.mkdirSync;
  return { ...real, default: { ...real, mkdirSync }, mkdirSync };
});

const dirs: string[] = [];
const key = randomBytes(32);
const spoolKey = { key, id: spoolKeyId(key) };

afterEach(() => {
  failure.code = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A spool path whose writes fail for real too: below a regular file. */
function unusablePath(): string {
  const base = mkdtempSync(join(tmpdir(), 'otel-privacy-spool-start-'));
  dirs.push(base);
  writeFileSync(join(base, 'file'), 'in the way');
  return join(base, 'file', 'spool');
}

describe('a spool directory that cannot be written at start', () => {
  for (const code of ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EIO', 'EMFILE', 'ENFILE'])
    it(`${code}: starts in memory, reported once with the code, batches held and lost at shutdown`, async () => {
      const dir = unusablePath();
      failure.code = code;
      const logger = new CapturingLogger();
      const spool =
        code === 'EIO'
          ? new EncryptedSpool(dir, spoolKey, 1 << 20, logger)
          : new EncryptedSpool(dir, spoolKey, 1 << 20, logger, 8192);
      expect(spool.stats()).toMatchObject({ files: 0, unwritable: true, quarantined: 0 });
      const warned = logger.messages('warn', `cannot write spool directory ${dir} (${code})`);
      expect(warned).toHaveLength(1);
      // the default memory bound: 16 MiB
      expect(warned[0]).toContain(`up to ${code === 'EIO' ? 16 * 1024 * 1024 : 8192} bytes`);
      expect(logger.messages('error')).toEqual([]);
      failure.code = undefined;

      expect(await spool.write('traces', spool.nextSeq(), Buffer.from('held-while-read-only'))).toBe(true);
      expect(spool.stats()).toMatchObject({ memoryBatches: 1, files: 0 });
      // the condition was reported already: not again for each batch
      expect(logger.messages('warn', 'cannot write spool directory')).toHaveLength(1);
      const entry = spool.oldest('traces')!;
      expect((await spool.read(entry))?.toString()).toBe('held-while-read-only');
      await spool.remove(entry);
      expect(spool.stats()).toMatchObject({ delivered: 1, memoryBatches: 0, memoryBytes: 0 });

      await spool.write('logs', spool.nextSeq(), Buffer.from('lost'));
      await spool.close();
      expect(spool.stats()).toMatchObject({ dropped: 1, memoryBatches: 0 });
      expect(logger.messages('error', '1 undelivered batch(es) held in memory were lost at shutdown')).toHaveLength(1);
    });

  for (const code of ['ENOTDIR', 'EEXIST', 'none'])
    it(`${code === 'none' ? 'an error without a code' : code}: a configuration error naming the path and the code`, () => {
      const dir = unusablePath();
      failure.code = code;
      let thrown: unknown;
      try {
        new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(SecureExportConfigError);
      expect((thrown as Error).message).toContain(
        `cannot create spool directory "${dir}": ${code === 'none' ? 'error' : code}`,
      );
    });
});

describe('a start that could not read the directory (transient: EMFILE)', () => {
  // The second spool never read the directory: it has a new identity and numbers its batches from 1. Before the fix,
  // its first write to disk replaced the state file and the file `0000000000000001.traces.otsp` spooled before (that
  // batch was lost); now it keeps its batches in memory and leaves the directory to the next start.
  it('once the directory is writable again, the batches already spooled there are kept for the next start', async () => {
    const base = mkdtempSync(join(tmpdir(), 'otel-privacy-spool-start-'));
    dirs.push(base);
    const dir = join(base, 'spool');
    const first = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    await first.write('traces', first.nextSeq(), Buffer.from('spooled-before-restart'));
    // the next process starts while descriptors are exhausted: the directory is not read, the spool starts in memory
    failure.code = 'EMFILE';
    const logger = new CapturingLogger();
    const second = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    failure.code = undefined;
    // descriptors are free again: a new batch goes to disk
    expect(await second.write('traces', second.nextSeq(), Buffer.from('written-after'))).toBe(true);
    expect(second.stats()).toMatchObject({ files: 0, memoryBatches: 1, unwritable: true });
    await second.close();
    expect(logger.messages('error', '1 undelivered batch(es) held in memory were lost at shutdown')).toHaveLength(1);
    // the third start must still replay the batch spooled before the second one
    const third = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    const out: string[] = [];
    for (let entry = third.oldest('traces'); entry; entry = third.oldest('traces')) {
      const payload = await third.read(entry);
      if (payload !== undefined) out.push(payload.toString());
      await third.remove(entry);
    }
    expect(third.stats().quarantined).toBe(0);
    expect(out).toContain('spooled-before-restart');
  });
});
