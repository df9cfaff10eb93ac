import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptedSpool } from '../../exporters/encrypted-spool';
import { spoolKeyId } from '../../exporters/spool-key';
import type { SpoolInspection } from '../../cli/spool-directory';
import { CapturingLogger } from '../helpers/capturing-logger';
import { cliBinary, runCli } from './cli-harness';

let bin: string;
const tmp = mkdtempSync(join(tmpdir(), 'otel-privacy-cli-spool-'));
const key = randomBytes(32);
const spoolKey = { key, id: spoolKeyId(key) };
let counter = 0;

beforeAll(async () => {
  bin = await cliBinary();
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A real spool: 3 trace batches (one delivered), 1 log batch, 1 file quarantined, 1 file that is not the spool's. */
async function realSpool(): Promise<string> {
  const dir = join(tmp, `spool-${counter++}`);
  const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
  for (let i = 0; i < 3; i++) await spool.write('traces', spool.nextSeq(), Buffer.from(`FAKE-CONTENT-MARKER-${i}`));
  await spool.write('logs', spool.nextSeq(), Buffer.from('FAKE-CONTENT-MARKER-log'));
  const first = spool.oldest('traces')!;
  await spool.read(first);
  await spool.remove(first);
  const log = spool.oldest('logs')!;
  await spool.quarantine(log, 'test');
  writeFileSync(join(dir, 'NOTES.txt'), 'operator notes, not part of the spool');
  return dir;
}

describe('otel-privacy spool inspect', () => {
  it('reports counts, sizes, ages, quarantine and the state file; never content or key material', async () => {
    const dir = await realSpool();
    const run = await runCli(bin, ['spool', 'inspect', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}traces {6}2 files, \d+ B, oldest \d+s, newest \d+s$/m);
    expect(run.stdout).toMatch(/^ {2}metrics {5}0 files$/m);
    expect(run.stdout).toMatch(/^ {2}logs {8}0 files$/m);
    expect(run.stdout).toMatch(/^ {2}quarantine {2}1 file, \d+ B/m);
    expect(run.stdout).toMatch(/delivered up to traces 1, metrics 0, logs 0 \(as written; not verified\)/);
    expect(run.stdout).toMatch(/other {7}1 file\(s\) not belonging to the spool/);
    expect(run.stdout).toContain(`key id ${spoolKey.id.toString('hex')}`);
    for (const text of [run.stdout, run.stderr]) {
      expect(text).not.toContain('FAKE-CONTENT');
      expect(text).not.toContain(key.toString('hex'));
      expect(text).not.toContain(key.toString('base64'));
    }

    const json = await runCli(bin, ['spool', 'inspect', dir, '--json']);
    const report = JSON.parse(json.stdout) as SpoolInspection;
    expect(report.signals.traces).toMatchObject({ files: 2 });
    expect(report.signals.logs).toMatchObject({ files: 0 });
    expect(report.quarantine).toMatchObject({ files: 1 });
    expect(report.state).toMatchObject({ delivered: { traces: 1, metrics: 0, logs: 0 } });
    expect(report.otherFiles).toBe(1);
  });

  it('a missing directory is one line and exit 1; a missing argument is a usage error', async () => {
    const missing = await runCli(bin, ['spool', 'inspect', join(tmp, 'no-such-dir')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toMatch(
      /^otel-privacy spool inspect: cannot read spool directory .*no-such-dir: ENOENT$/,
    );
    const usage = await runCli(bin, ['spool', 'inspect']);
    expect(usage.code).toBe(2);
    const unknown = await runCli(bin, ['spool', 'wipe', tmp]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('did you mean "spool inspect" or "spool purge"?');
  });
});

describe('otel-privacy spool purge', () => {
  it('asks first: anything but yes deletes nothing (exit 1)', async () => {
    const dir = await realSpool();
    const before = readdirSync(dir).sort();
    for (const input of ['n\n', '', 'maybe\n']) {
      const run = await runCli(bin, ['spool', 'purge', dir], { input });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/delete 4 spool file\(s\) .* This cannot be undone\. \[y\/N\]/);
      expect(run.stderr).toContain('not confirmed; nothing deleted');
      expect(readdirSync(dir).sort()).toEqual(before);
    }
  });

  it('with "y" (or --yes) deletes the batches, quarantine and state file, and leaves other files alone', async () => {
    for (const args of [[], ['--yes']]) {
      const dir = await realSpool();
      const run = await runCli(bin, ['spool', 'purge', dir, ...args], { input: args.length ? '' : 'y\n' });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/purged 4 file\(s\) .*best effort on SSDs and copy-on-write file systems/);
      expect(run.stdout).toContain('1 other file(s) left alone');
      expect(readdirSync(dir)).toEqual(['NOTES.txt']);
      const inspect = await runCli(bin, ['spool', 'inspect', dir]);
      expect(inspect.stdout).toContain('state       none');
    }
  });

  it('removes an emptied spool directory, and touches nothing in a directory that is not a spool', async () => {
    const dir = join(tmp, `spool-${counter++}`);
    const spool = new EncryptedSpool(dir, spoolKey, 1 << 20, new CapturingLogger());
    await spool.write('metrics', spool.nextSeq(), Buffer.from('x'));
    const run = await runCli(bin, ['spool', 'purge', '--yes', dir]);
    expect(run.code).toBe(0);
    expect(existsSync(dir)).toBe(false);

    const notSpool = mkdtempSync(join(tmp, 'not-a-spool-'));
    writeFileSync(join(notSpool, 'important.db'), 'keep me');
    const refused = await runCli(bin, ['spool', 'purge', '--yes', notSpool]);
    expect(refused.code).toBe(0);
    expect(refused.stdout).toContain('no spool files; nothing deleted');
    expect(readdirSync(notSpool)).toEqual(['important.db']);
  });
});
