import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, loadPolicy } from '../../index';
import type { Policy } from '../../index';
import { verifyAuditLog } from '../../instrumentation/audit-log';
import { policyOperationsFromEnv, watchPolicy } from '../../instrumentation/policy-watcher';
import type { PolicyWatcher } from '../../instrumentation/policy-watcher';

const tmp = mkdtempSync(join(tmpdir(), 'otel-privacy-reload-'));
process.env.OTEL_PRIVACY_RELOAD_TEST_KEY = `base64:${randomBytes(32).toString('base64')}`;
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const policyText = (allow: string[], hash: string[] = []) =>
  `version: 1\nkeys: { hmac: { id: kr, env: OTEL_PRIVACY_RELOAD_TEST_KEY } }\nattributes:\n  allow: ${JSON.stringify(allow)}\n  hash: ${JSON.stringify(hash)}\n`;

/** diag lines at error/warn level, for the "reported once" checks. */
class Lines implements DiagLogger {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  error = (m: string) => void this.errors.push(m);
  warn = (m: string) => void this.warnings.push(m);
  info = () => undefined;
  debug = () => undefined;
  verbose = () => undefined;
}

let watcher: PolicyWatcher | undefined;
afterEach(() => {
  watcher?.close();
  watcher = undefined;
  diag.disable();
});

/** A promise for the next call of a callback. */
function next<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function setup(file: string, policy: Policy) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
  });
  const tracer = provider.getTracer('reload-test');
  const emit = () => {
    tracer.startSpan('op', { attributes: { 'http.route': '/a', 'user.id': 'fake-user-1', 'custom.key': 'x' } }).end();
    const spans = exporter.getFinishedSpans();
    return spans[spans.length - 1]!;
  };
  return { emit, provider, file };
}

describe('watchPolicy (hot reload)', () => {
  it('a valid edit replaces the rules for later spans; a broken edit keeps the last good policy and is reported once; the next valid edit applies', async () => {
    const file = join(tmp, 'policy.yaml');
    const auditFile = join(tmp, 'audit.jsonl');
    writeFileSync(file, policyText(['http.route']));
    const policy = loadPolicy(file);
    const first = policy.hash;
    const { emit, provider } = setup(file, policy);
    let reloaded = next<Policy>();
    let failed = next<Error>();
    const errors: Error[] = [];
    watcher = watchPolicy(file, {
      policy,
      audit: auditFile,
      debounceMillis: 20,
      pollIntervalMillis: 50,
      onReload: (p) => reloaded.resolve(p),
      onError: (e) => {
        errors.push(e);
        failed.resolve(e);
      },
    });

    const before = emit();
    expect(before.attributes).toEqual({ 'http.route': '/a' });

    writeFileSync(file, policyText(['custom.key'], ['user.id']));
    await reloaded.promise;
    const after = emit();
    expect(Object.keys(after.attributes).sort()).toEqual(['custom.key', 'user.id']);
    expect(after.attributes['user.id']).toMatch(/^kr:[A-Za-z0-9_-]{22}$/);
    expect(after.resource.attributes['privacy.policy.hash']).toBe(policy.hash);
    expect(policy.hash).not.toBe(first);
    const second = policy.hash;

    writeFileSync(file, 'version: 1\nattributes:\n  allow: [http.route\n');
    const err = await failed.promise;
    expect(err.message).toMatch(/^policy\.yaml:\d+ /);
    const stillOld = emit();
    expect(Object.keys(stillOld.attributes).sort()).toEqual(['custom.key', 'user.id']);
    expect(policy.hash).toBe(second);
    // The same broken content again is not reported again.
    writeFileSync(file, 'version: 1\nattributes:\n  allow: [http.route\n');
    expect(watcher.check()).toBe('unchanged');
    expect(errors).toHaveLength(1);

    // An editor-style save (write elsewhere, rename over the file) is picked up too.
    reloaded = next<Policy>();
    failed = next<Error>();
    const staged = join(tmp, 'policy.yaml.swp');
    writeFileSync(staged, policyText(['http.route', 'custom.key']));
    renameSync(staged, file);
    await reloaded.promise;
    expect(Object.keys(emit().attributes).sort()).toEqual(['custom.key', 'http.route']);
    expect(errors).toHaveLength(1);

    // The audit trail: load, reload, rejected, reload; hash-chained.
    const lines = readFileSync(auditFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.event, l.result])).toEqual([
      ['load', 'ok'],
      ['reload', 'ok'],
      ['rejected', 'rejected'],
      ['reload', 'ok'],
    ]);
    expect(lines[0].policyHash).toBe(first);
    expect(lines[1]).toMatchObject({ policyHash: second, previousHash: first });
    expect(lines[2]).toMatchObject({ policyHash: second, error: err.message });
    expect(lines[3]).toMatchObject({ previousHash: second, policyHash: policy.hash });
    expect(verifyAuditLog(readFileSync(auditFile, 'utf8'))).toMatchObject({ ok: true, lines: 4 });
    await provider.shutdown();
  });

  it('without onError, a rejection is one diag.error line naming the kept policy; a policy missing its key is rejected too', async () => {
    const lines = new Lines();
    diag.setLogger(lines, DiagLogLevel.WARN);
    const file = join(tmp, 'diag.yaml');
    writeFileSync(file, policyText(['http.route']));
    const policy = loadPolicy(file);
    watcher = watchPolicy(file, { policy, debounceMillis: 20, pollIntervalMillis: 50 });
    writeFileSync(
      file,
      'version: 1\nkeys: { hmac: { id: kx, env: OTEL_PRIVACY_RELOAD_UNSET_KEY } }\nattributes: { hash: [user.id] }\n',
    );
    expect(watcher.check()).toBe('rejected');
    expect(watcher.check()).toBe('unchanged');
    expect(lines.errors).toHaveLength(1);
    expect(lines.errors[0]).toBe(
      `otel-privacy: policy reload rejected, keeping policy ${policy.hash}: diag.yaml:2 keys.hmac.env: environment variable OTEL_PRIVACY_RELOAD_UNSET_KEY is not set`,
    );
    expect(lines.errors[0]).not.toContain('\n');
  });
});

describe('policyOperationsFromEnv (for the register hook)', () => {
  it('OTEL_PRIVACY_POLICY_RELOAD=true watches the file; OTEL_PRIVACY_AUDIT_LOG alone records the start-up load; other values warn', async () => {
    const file = join(tmp, 'env.yaml');
    writeFileSync(file, policyText(['http.route']));
    const policy = loadPolicy(file);
    const audit = join(tmp, 'env-audit.jsonl');
    watcher = policyOperationsFromEnv(file, policy, {
      OTEL_PRIVACY_POLICY_RELOAD: 'true',
      OTEL_PRIVACY_AUDIT_LOG: audit,
    });
    expect(watcher).toBeDefined();
    writeFileSync(file, policyText(['user.id']));
    expect(watcher!.check()).toBe('reloaded');
    // The reloaded rules are in effect: the new allowlist keeps user.id, the old one's http.route is gone.
    expect(policy.sanitizer('traces').rules.decide('user.id').action).toBe('allow');
    expect(policy.sanitizer('traces').rules.decide('http.route').action).not.toBe('allow');
    watcher!.close();
    watcher = undefined;

    const auditOnly = join(tmp, 'env-audit-only.jsonl');
    expect(policyOperationsFromEnv(file, policy, { OTEL_PRIVACY_AUDIT_LOG: auditOnly })).toBeUndefined();
    expect(
      readFileSync(auditOnly, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).event),
    ).toEqual(['load']);

    const lines = new Lines();
    diag.setLogger(lines, DiagLogLevel.WARN);
    expect(policyOperationsFromEnv(file, policy, { OTEL_PRIVACY_POLICY_RELOAD: 'yes please' })).toBeUndefined();
    expect(lines.warnings).toEqual([
      'otel-privacy: OTEL_PRIVACY_POLICY_RELOAD="yes please" is not true or false; the policy file is not watched',
    ]);
    expect(verifyAuditLog(readFileSync(audit, 'utf8'))).toMatchObject({ ok: true, lines: 2 });
  });
});
