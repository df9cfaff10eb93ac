import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePolicy } from '../../index';
import { AUDIT_GENESIS, PolicyAuditLog, auditLineHash, verifyAuditLog } from '../../instrumentation/audit-log';
import { cliBinary, runCli } from '../cli/cli-harness';

const tmp = mkdtempSync(join(tmpdir(), 'otel-privacy-audit-'));
let bin: string;
beforeAll(async () => {
  bin = await cliBinary();
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const a = definePolicy({ version: 1, attributes: { allow: ['http.route'] } });
const b = definePolicy({ version: 1, attributes: { allow: ['http.route', 'server.port'] } });

/** A log with four entries: load, reload, rejected, reload (two writers in turn, so the chain continues across instances). */
function writeLog(name: string): string {
  const file = join(tmp, name);
  const first = new PolicyAuditLog(file);
  first.loaded(a, 'privacy.yaml');
  first.reloaded(b, a.hash, 'privacy.yaml');
  const second = new PolicyAuditLog(file);
  second.rejected(new Error('privacy.yaml:3 attributes.allow[0]: expected a string'), b.hash, 'privacy.yaml');
  second.reloaded(a, b.hash, 'privacy.yaml');
  return file;
}

const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n');

describe('PolicyAuditLog and verifyAuditLog', () => {
  it('one JSON line per event, each carrying the SHA-256 of the line before (genesis: 64 zeros); the chain verifies', () => {
    const file = writeLog('ok.jsonl');
    const l = lines(file);
    const entries = l.map((x) => JSON.parse(x));
    expect(entries.map((e) => e.event)).toEqual(['load', 'reload', 'rejected', 'reload']);
    expect(entries[0]).toMatchObject({
      event: 'load',
      source: 'privacy.yaml',
      policyHash: a.hash,
      result: 'ok',
      prev: AUDIT_GENESIS,
    });
    expect(entries[2]).toMatchObject({
      result: 'rejected',
      error: 'privacy.yaml:3 attributes.allow[0]: expected a string',
      policyHash: b.hash,
    });
    for (let i = 1; i < l.length; i++) expect(entries[i].prev).toBe(auditLineHash(l[i - 1]!));
    expect(Date.parse(entries[0].time)).not.toBeNaN();
    expect(verifyAuditLog(readFileSync(file, 'utf8'))).toEqual({ ok: true, lines: 4, head: auditLineHash(l[3]!) });
  });

  it('a modified line, a removed line, a removed first line, an inserted line and garbage are each detected at the right line', () => {
    const l = lines(writeLog('tamper.jsonl'));
    const modified = [...l];
    modified[1] = modified[1]!.replace('"result":"ok"', '"result":"rejected"');
    expect(verifyAuditLog(`${modified.join('\n')}\n`).firstBad).toMatchObject({
      line: 3,
      reason: expect.stringMatching(/not the SHA-256 of line 2: line 2 was modified/),
    });
    const removed = [l[0], l[2], l[3]];
    expect(verifyAuditLog(`${removed.join('\n')}\n`).firstBad?.line).toBe(2);
    const noFirst = l.slice(1);
    expect(verifyAuditLog(`${noFirst.join('\n')}\n`).firstBad).toMatchObject({
      line: 1,
      reason: expect.stringMatching(/genesis/),
    });
    const inserted = [l[0], l[1], l[1], l[2], l[3]];
    expect(verifyAuditLog(`${inserted.join('\n')}\n`).firstBad?.line).toBe(3);
    expect(verifyAuditLog(`${l[0]}\nnot json\n`).firstBad).toEqual({ line: 2, reason: 'not valid JSON' });
    expect(verifyAuditLog('').ok).toBe(true);
  });

  it('a removed last line is detected against a head recorded earlier', () => {
    const file = writeLog('head.jsonl');
    const l = lines(file);
    const head = verifyAuditLog(readFileSync(file, 'utf8')).head;
    const truncated = `${l.slice(0, 3).join('\n')}\n`;
    expect(verifyAuditLog(truncated).ok).toBe(true);
    expect(verifyAuditLog(truncated, head)).toMatchObject({ ok: false, firstBad: { line: 3 } });
    // A log that grew since the head was recorded still verifies against it.
    new PolicyAuditLog(file).reloaded(b, a.hash, 'privacy.yaml');
    expect(verifyAuditLog(readFileSync(file, 'utf8'), head)).toMatchObject({ ok: true, lines: 5 });
    expect(verifyAuditLog(readFileSync(file, 'utf8')).head).not.toBe(head);
  });

  it('a write failure never throws into the application; it is reported once', () => {
    const errors: string[] = [];
    diag.setLogger(
      {
        error: (m: string) => void errors.push(m),
        warn: () => undefined,
        info: () => undefined,
        debug: () => undefined,
        verbose: () => undefined,
      },
      DiagLogLevel.ERROR,
    );
    // A path under a regular file cannot be created (ENOTDIR), whoever runs the test.
    const notADir = join(tmp, 'plain-file');
    writeFileSync(notADir, 'x');
    const log = new PolicyAuditLog(join(notADir, 'audit.jsonl'));
    expect(() => {
      log.loaded(a, 'x');
      log.reloaded(b, a.hash, 'x');
    }).not.toThrow();
    diag.disable();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/cannot write the policy audit log .*audit\.jsonl: ENOTDIR/);
  });
});

describe('otel-privacy audit verify', () => {
  it('exit 0 with the head for an intact log, exit 1 naming the first bad line, --json, --head; usage errors exit 2', async () => {
    const file = writeLog('cli.jsonl');
    const ok = await runCli(bin, ['audit', 'verify', file]);
    expect(ok.code).toBe(0);
    const head = verifyAuditLog(readFileSync(file, 'utf8')).head;
    expect(ok.stdout).toBe(`${file}: ok, 4 lines, head ${head}\n`);

    const l = lines(file);
    const bad = join(tmp, 'cli-bad.jsonl');
    writeFileSync(bad, `${[l[0], l[1]!.replace(a.hash, b.hash), l[2], l[3]].join('\n')}\n`);
    const broken = await runCli(bin, ['audit', 'verify', bad]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(
      new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3: "prev" is not the SHA-256 of line 2`),
    );
    const json = JSON.parse((await runCli(bin, ['audit', 'verify', '--json', bad])).stdout);
    expect(json).toMatchObject({ ok: false, lines: 4, firstBad: { line: 3 } });

    const cut = join(tmp, 'cli-cut.jsonl');
    writeFileSync(cut, `${l.slice(0, 3).join('\n')}\n`);
    expect((await runCli(bin, ['audit', 'verify', cut])).code).toBe(0);
    expect((await runCli(bin, ['audit', 'verify', '--head', head, cut])).code).toBe(1);

    expect((await runCli(bin, ['audit', 'verify'])).code).toBe(2);
    expect((await runCli(bin, ['audit', 'verify', '--head', 'abc', file])).code).toBe(2);
    expect((await runCli(bin, ['audit'])).code).toBe(2);
    const missing = await runCli(bin, ['audit', 'verify', join(tmp, 'nope.jsonl')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.jsonl: ENOENT/);
  });
});
