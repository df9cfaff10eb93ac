import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode } from '../helpers/run-node';
import { startMtlsReceiver } from '../helpers/mtls-receiver-fixture';
import type { MtlsReceiverFixture } from '../helpers/mtls-receiver-fixture';

// The leak alarm through the register hook: a real instrumented express service (child process, `node --import
// otel-privacy/register`, the built package) exporting over OTLP/gRPC with mTLS. A steady workload with a steady rate
// of findings, then a "new release" writing e-mail addresses into an allowed key: exactly one WARN line naming
// signal, key and detector, and `otel_privacy.leak_suspected` with those labels at the receiver.
// Windows are real time here (2 s), so the steady rate has a wide margin: factor 10 (a false alarm on the steady key
// would need its findings in one window to be 10x those of the window before).
const root = resolve(__dirname, '../..');
const service = 'leak-release-service';

const POLICY = `version: 1
extends: default
attributes:
  allow: ["app.plan", "app.ref", "app.note"]
alarms:
  leak: { window: 2s, factor: 10, minCount: 3, maxTrackedKeys: 64 }
`;

let fixture: MtlsReceiverFixture;
let dir: string;
beforeAll(async () => {
  fixture = await startMtlsReceiver();
  dir = mkdtempSync(join(tmpdir(), 'otel-privacy-leak-'));
});
afterAll(async () => {
  await fixture?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('leak alarm end-to-end: register hook → mTLS OTLP receiver', () => {
  it('steady workload: no alarm; release writing e-mail addresses into app.note: one alarm with its labels', async () => {
    const policyPath = join(dir, 'leak-policy.yaml');
    writeFileSync(policyPath, POLICY);
    const result = await runNode(
      ['--import', 'otel-privacy/register', join(__dirname, 'testdata', 'leak-release-app.mjs')],
      {
        OTEL_SERVICE_NAME: service,
        OTEL_PRIVACY_POLICY: policyPath,
        OTEL_PRIVACY_INSTRUMENTATIONS: '@opentelemetry/instrumentation-http,@opentelemetry/instrumentation-express',
        OTEL_EXPORTER_OTLP_ENDPOINT: fixture.endpoint,
        OTEL_EXPORTER_OTLP_CERTIFICATE: String(fixture.tls.ca),
        OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: String(fixture.tls.cert),
        OTEL_EXPORTER_OTLP_CLIENT_KEY: String(fixture.tls.key),
        OTEL_PRIVACY_HMAC_KEY: 'fake-hmac-key-for-the-leak-alarm-test-0123456789',
        STEADY_MS: '5000',
        RELEASE_MS: '3000',
      },
      root,
    );
    expect(result.stderr).toContain('otel-privacy: started:');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('phase release');
    const alarms = result.stderr.split('\n').filter((line) => line.includes('leak suspected'));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatch(
      /^otel-privacy: WARN leak suspected: signal=traces key=app\.note detector=email \(\d+ findings in this window of 2000 ms, none in the one before\)$/,
    );
    expect(result.stderr).not.toContain('example.test');

    const mine = <T extends { resource: Record<string, unknown> }>(items: T[]) =>
      items.filter((item) => item.resource['service.name'] === service);
    await fixture.receiver.waitFor(
      () => mine(fixture.receiver.metrics()).some((m) => m.name === 'otel_privacy.leak_suspected'),
      15_000,
      'the leak_suspected self-metric',
    );
    const leak = mine(fixture.receiver.metrics()).filter((m) => m.name === 'otel_privacy.leak_suspected');
    const points = leak.flatMap(
      (m) =>
        (m.data.sum as { dataPoints: Array<{ attributes: Array<{ key: string; value: { stringValue?: string } }> }> })
          .dataPoints,
    );
    const labels = new Set(
      points.map((p) => JSON.stringify(Object.fromEntries(p.attributes.map((a) => [a.key, a.value.stringValue])))),
    );
    expect([...labels]).toEqual([JSON.stringify({ signal: 'traces', key: 'app.note', detector: 'email' })]);
    // and the addresses never left the process
    const received = JSON.stringify(fixture.receiver.requests.map((r) => r.decoded));
    expect(received).not.toContain('fake.customer');
  }, 60_000);
});
