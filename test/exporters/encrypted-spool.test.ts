import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EncryptedSpool, SPOOL_HEADER_BYTES } from '../../exporters/encrypted-spool';
import { spoolKeyId } from '../../exporters/spool-key';
import { CapturingLogger } from '../helpers/capturing-logger';

const dirs: string[] = [];
const key = randomBytes(32);
const spoolKey = { key, id: spoolKeyId(key) };

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-spool-unit-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('EncryptedSpool', () => {
  it('round-trips payloads in sequence order per signal, with 0600 files and a 0700 directory', async () => {
    const dir = join(tempDir(), 'spool');
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    const seqs = [spool.nextSeq(), spool.nextSeq(), spool.nextSeq()];
    // written out of order: replay order follows the sequence numbers taken at submission
    await spool.write('traces', seqs[1], Buffer.from('second'));
    await spool.write('traces', seqs[0], Buffer.from('first'));
    await spool.write('logs', seqs[2], Buffer.from('log'));
    expect(spool.stats()).toMatchObject({ files: 3, written: 3, delivered: 0 });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(dir).filter((file) => file.endsWith('.otsp')))
      expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);

    const reopened = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    const first = reopened.oldest('traces');
    expect(first && (await reopened.read(first))?.toString()).toBe('first');
    if (first) await reopened.remove(first);
    const second = reopened.oldest('traces');
    expect(second && (await reopened.read(second))?.toString()).toBe('second');
    expect(reopened.nextSeq()).toBeGreaterThan(seqs[2]);
    expect(reopened.stats()).toMatchObject({ files: 2, delivered: 1, quarantined: 0 });
  });

  it('authenticates the header and the sequence number: a renamed (reordered) file is quarantined', async () => {
    const dir = tempDir();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    await spool.write('metrics', spool.nextSeq(), Buffer.from('payload'));
    const [name] = readdirSync(dir).filter((file) => file.endsWith('.otsp'));
    renameSync(join(dir, name), join(dir, name.replace(/^\d{16}/, '0000000000000042')));
    const logger = new CapturingLogger();
    const reopened = new EncryptedSpool(dir, spoolKey, 1 << 20, logger);
    const entry = reopened.oldest('metrics');
    expect(entry && (await reopened.read(entry))).toBeUndefined();
    expect(reopened.stats().quarantined).toBe(1);
    expect(logger.messages('error', 'authentication failed')).toHaveLength(1);
    expect(readdirSync(join(dir, 'quarantine'))).toHaveLength(1);
  });

  it('stores the format version, key id, write time and nonce in a 34-byte header and no plaintext', async () => {
    const dir = tempDir();
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    const before = Date.now();
    await spool.write('logs', spool.nextSeq(), Buffer.from('SECRET-PLAINTEXT-VALUE'));
    const [name] = readdirSync(dir).filter((file) => file.endsWith('.otsp'));
    const data = readFileSync(join(dir, name));
    expect(data.subarray(0, 4).toString()).toBe('OTSP');
    expect(data[4]).toBe(2);
    expect(data.subarray(6, 14)).toEqual(spoolKey.id);
    expect(Number(data.readBigUInt64BE(14))).toBeGreaterThanOrEqual(before);
    expect(Number(data.readBigUInt64BE(14))).toBeLessThanOrEqual(Date.now());
    expect(data.length).toBe(SPOOL_HEADER_BYTES + 'SECRET-PLAINTEXT-VALUE'.length + 16);
    expect(data.includes('SECRET')).toBe(false);
  });

  it('removes temporary files left by a crash and ignores foreign files', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.0000000000000001.traces.otsp.123.tmp'), 'half written');
    writeFileSync(join(dir, 'README.txt'), 'not ours');
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    expect(spool.stats().files).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['README.txt', 'quarantine', 'spool-state.json']);
  });
});
