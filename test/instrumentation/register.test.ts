import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMtlsReceiver } from '../helpers/mtls-receiver-fixture';
import { runNode } from '../helpers/run-node';
import type { MtlsReceiverFixture } from '../helpers/mtls-receiver-fixture';
// @ts-expect-error plain ESM fixture without types
import { FAKE } from './testdata/fake-identities.cjs';

// `node --import otel-privacy/register` and `node --require otel-privacy/register` against a real mTLS OTLP/gRPC
// receiver: the built package (npm test builds it first), the Node 24 binary vitest runs on, fixture applications
// with no OpenTelemetry code of their own.
const root = resolve(__dirname, '../..');
const fixtures = resolve(__dirname, 'testdata');
const HMAC = 'fake-hmac-key-for-the-register-test-0123456789';
const identities: string[] = [
  FAKE.email,
  FAKE.card,
  FAKE.card.replaceAll(' ', ''),
  FAKE.token,
  FAKE.phone,
  encodeURIComponent(FAKE.email),
  encodeURIComponent(FAKE.phone),
];

const run = (args: string[], env: Record<string, string | undefined>) => runNode(args, env, root);

let fixture: MtlsReceiverFixture;

function exportEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: fixture.endpoint,
    OTEL_EXPORTER_OTLP_CERTIFICATE: String(fixture.tls.ca),
    OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: String(fixture.tls.cert),
    OTEL_EXPORTER_OTLP_CLIENT_KEY: String(fixture.tls.key),
    OTEL_PRIVACY_HMAC_KEY: HMAC,
    OTEL_PRIVACY_INSTRUMENTATIONS:
      '@opentelemetry/instrumentation-http,@opentelemetry/instrumentation-express,@opentelemetry/instrumentation-pino',
    ...extra,
  };
}

beforeAll(async () => {
  fixture = await startMtlsReceiver();
});

afterAll(async () => {
  await fixture?.close();
});

describe.each([
  { flag: '--import', app: 'pii-app.mjs', service: 'register-esm' },
  { flag: '--require', app: 'pii-app.cjs', service: 'register-cjs' },
])('node $flag otel-privacy/register', ({ flag, app, service }) => {
  it('exports spans, metrics and logs over mTLS, sanitized, with the privacy self-metrics', async () => {
    const r = await run(
      [flag, 'otel-privacy/register', resolve(fixtures, app)],
      exportEnv({ OTEL_SERVICE_NAME: service }),
    );
    expect(r.stderr).toContain('otel-privacy: started: policy default');
    expect(r.code).toBe(0);
    // the application's own pino output is raw: proof that the fake identities were really in the logs
    expect(r.stdout).toContain(FAKE.email);

    const mine = <T extends { resource: Record<string, unknown> }>(items: T[]) =>
      items.filter((i) => i.resource['service.name'] === service);
    await fixture.receiver.waitFor(
      () => mine(fixture.receiver.metrics()).some((m) => m.name === 'otel_privacy.values'),
      10_000,
      'self-metrics',
    );
    const spans = mine(fixture.receiver.spans());
    const logs = mine(fixture.receiver.logRecords());
    const metrics = mine(fixture.receiver.metrics());

    // traces: the HTTP server span from the http instrumentation, plus express spans; route kept, identities gone
    const server = spans.find(
      (s) => s.scope === '@opentelemetry/instrumentation-http' && s.attributes['http.route'] !== undefined,
    );
    expect(server).toBeDefined();
    expect(server!.attributes['http.request.method']).toBe('POST');
    expect(server!.attributes['http.route']).toBe('/users/:email/orders');
    expect(server!.resource['privacy.policy.hash']).toMatch(/^[0-9a-f]{16}$/);
    expect(server!.resource['host.name']).toMatch(/^k0:/);
    expect(Object.keys(server!.attributes).some((k) => k.startsWith('http.request.header.'))).toBe(false);
    expect(spans.some((s) => s.scope === '@opentelemetry/instrumentation-express')).toBe(true);

    // logs: the pino record arrives through the instrumentation with its body scanned
    const order = logs.find((l) => typeof l.body === 'string' && l.body.startsWith('order by'));
    expect(order?.body).toBe('order by [REDACTED:email] paid with [REDACTED:payment-card]');

    // metrics: the application's counter aggregated under the kept keys only
    const counter = metrics.find((m) => m.name === 'app.orders');
    const points = (counter?.data.sum as { dataPoints: Array<{ attributes: unknown }> } | undefined)?.dataPoints ?? [];
    expect(points.length).toBe(1);
    expect(JSON.stringify(points[0].attributes)).not.toContain('user.email');

    // self-metrics: values decided by action, on the same channel
    const values = metrics.find((m) => m.name === 'otel_privacy.values');
    expect(JSON.stringify(values?.data)).toContain('"drop"');

    // nothing of the fake identities anywhere in what the receiver got from this process, and mTLS was used
    const received = fixture.receiver.requests.filter((q) => JSON.stringify(q.decoded).includes(`"${service}"`));
    expect(received.length).toBeGreaterThanOrEqual(3);
    for (const request of received) {
      expect(request.clientCommonName).toBe('client-a');
      const text = JSON.stringify(request.decoded);
      for (const identity of identities) expect(text).not.toContain(identity);
    }
  });
});

describe.each(['SIGTERM', 'SIGINT'] as const)('on %s', (signal) => {
  it('flushes spans, metrics and logs, then lets the signal end the process', async () => {
    const service = `register-${signal.toLowerCase()}`;
    const child = spawn(
      process.execPath,
      ['--import', 'otel-privacy/register', resolve(fixtures, 'long-running-app.mjs')],
      {
        cwd: root,
        // long batch delays and export interval: only the flush on the signal can deliver within the test
        env: {
          PATH: process.env.PATH,
          ...exportEnv({
            OTEL_SERVICE_NAME: service,
            OTEL_PRIVACY_INSTRUMENTATIONS: 'none',
            OTEL_BSP_SCHEDULE_DELAY: '600000',
            OTEL_BLRP_SCHEDULE_DELAY: '600000',
            OTEL_METRIC_EXPORT_INTERVAL: '600000',
          }),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.on('exit', (code, sig) => done({ code, signal: sig })),
    );
    await new Promise<void>((ready) =>
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && ready()),
    );
    const mine = () => fixture.receiver.requests.filter((q) => JSON.stringify(q.decoded).includes(`"${service}"`));
    expect(mine()).toHaveLength(0);
    child.kill(signal);
    expect(await exited).toEqual({ code: null, signal });
    const signals = new Set(mine().map((q) => q.signal));
    expect([...signals].sort()).toEqual(['logs', 'metrics', 'traces']);
    expect(JSON.stringify(mine().map((q) => q.decoded))).not.toContain('jane');
  });
});

describe('otel-privacy/register refuses or stays off', () => {
  it('refuses to start when OTEL_CONFIG_FILE is set, says why, and the application still runs', async () => {
    const before = fixture.receiver.requests.length;
    const r = await run(
      ['--import', 'otel-privacy/register', resolve(fixtures, 'pii-app.mjs')],
      exportEnv({ OTEL_SERVICE_NAME: 'register-config-file', OTEL_CONFIG_FILE: '/etc/otel/sdk.yaml' }),
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^otel-privacy: refusing to start: OTEL_CONFIG_FILE is set \(\/etc\/otel\/sdk\.yaml\).*unset OTEL_CONFIG_FILE/m,
    );
    expect(r.stderr).not.toContain('started:');
    expect(r.stdout).toContain('order by');
    expect(fixture.receiver.requests.length).toBe(before);
  });

  it('starts nothing with OTEL_SDK_DISABLED=true', async () => {
    const before = fixture.receiver.attempts;
    const r = await run(
      ['--require', 'otel-privacy/register', resolve(fixtures, 'pii-app.cjs')],
      exportEnv({ OTEL_SERVICE_NAME: 'register-disabled', OTEL_SDK_DISABLED: 'true' }),
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('order by');
    expect(fixture.receiver.attempts).toBe(before);
  });

  it('reports a bad policy file on one line and keeps telemetry off', async () => {
    const r = await run(
      ['--import', 'otel-privacy/register', resolve(fixtures, 'pii-app.mjs')],
      exportEnv({ OTEL_PRIVACY_POLICY: resolve(fixtures, 'missing-policy.yaml') }),
    );
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toMatch(
      /^otel-privacy: not started \(telemetry is off\): missing-policy\.yaml.*cannot read policy file/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('without a policy or key, says so loudly and pseudonymizes with an ephemeral key', async () => {
    const r = await run(
      [
        '--require',
        'otel-privacy/register',
        '-e',
        'require("@opentelemetry/api").trace.getTracer("t").startSpan("x", { attributes: { "user.id": "jane-0001" } }).end()',
      ],
      {
        OTEL_TRACES_EXPORTER: 'console',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_PRIVACY_INSTRUMENTATIONS: 'none',
      },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^otel-privacy: OTEL_PRIVACY_POLICY and OTEL_PRIVACY_HMAC_KEY are not set: .*random per-process HMAC key; pseudonyms will change on restart/m,
    );
    expect(r.stdout).toMatch(/'user\.id': 'ephemeral:[A-Za-z0-9_-]{22}'/);
    expect(r.stdout).not.toContain('jane-0001');
  });
});

describe('otel-privacy/register with OTEL_PRIVACY_POLICY_RELOAD and OTEL_PRIVACY_AUDIT_LOG', () => {
  it(
    'applies an edited policy file to later spans, keeps the last good one on a broken edit, and audits each step',
    { timeout: 60_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-register-reload-'));
      const policyFile = join(dir, 'privacy.yaml');
      const audit = join(dir, 'audit.jsonl');
      writeFileSync(policyFile, 'version: 1\nattributes:\n  allow: ["app.plan"]\n');
      const child = spawn(
        process.execPath,
        ['--import', 'otel-privacy/register', resolve(fixtures, 'reload-app.mjs')],
        {
          cwd: root,
          env: {
            PATH: process.env.PATH,
            OTEL_PRIVACY_POLICY: policyFile,
            OTEL_PRIVACY_POLICY_RELOAD: 'true',
            OTEL_PRIVACY_AUDIT_LOG: audit,
            OTEL_TRACES_EXPORTER: 'console',
            OTEL_METRICS_EXPORTER: 'none',
            OTEL_LOGS_EXPORTER: 'none',
            OTEL_PRIVACY_INSTRUMENTATIONS: 'none',
          },
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((done) => child.on('close', done));
      const auditEvents = () => {
        try {
          return readFileSync(audit, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as { event: string })
            .map((e) => e.event);
        } catch {
          return [];
        }
      };
      const until = async (what: string, ok: () => boolean) => {
        for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
        if (!ok())
          throw new Error(
            `timed out waiting for ${what}; audit: ${JSON.stringify(auditEvents())}; stdout: ${stdout.slice(-300)}; stderr: ${stderr}`,
          );
      };
      try {
        await until('ready', () => stdout.includes('ready'));
        writeFileSync(policyFile, 'version: 1\nattributes: [broken\n');
        await until('the rejection', () => auditEvents().includes('rejected'));
        writeFileSync(policyFile, 'version: 1\nattributes:\n  allow: ["app.plan", "user.id"]\n');
        await until('the reload', () => auditEvents().includes('reload'));
        child.stdin.end('go\n');
        expect(await exited).toBe(0);
      } finally {
        child.kill();
        rmSync(dir, { recursive: true, force: true });
      }
      expect(userIdShownIn(stdout)).toEqual({ before: false, after: true });
      expect(stderr).toMatch(
        /^otel-privacy: policy reload rejected, keeping policy [0-9a-f]{16}: privacy\.yaml:3 .*$/m,
      );
      expect(stderr.match(/reload rejected/g)).toHaveLength(1); // reported once
      expect(stderr).toMatch(/^otel-privacy: policy reloaded: \(unnamed\) [0-9a-f]{16}$/m);
    },
  );
});

/** Whether the console exporter's dump of each span shows the raw user id. */
function userIdShownIn(stdout: string): { before: boolean; after: boolean } {
  const block = (name: string) => {
    const start = stdout.indexOf(`name: '${name}'`);
    expect(start).toBeGreaterThanOrEqual(0);
    return stdout.slice(start, stdout.indexOf('\n}', start));
  };
  return {
    before: block('before-reload').includes('jane-0001'),
    after: block('after-reload').includes("'user.id': 'jane-0001'"),
  };
}
