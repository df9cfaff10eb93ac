import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMtlsReceiver } from '../helpers/mtls-receiver-fixture';
import { runNode } from '../helpers/run-node';
import type { MtlsReceiverFixture } from '../helpers/mtls-receiver-fixture';

// Exactly one SDK per process, whichever way otel-privacy/register is preloaded: Node re-runs `--require` preloads
// in its module-hooks thread, worker threads inherit `--require`/`--import`, and `--require` plus `--import` loads
// both builds of the entry. Each extra SDK would print its own `started` line and export under its own resource
// (another service.instance.id from the same pid). The built package, a real mTLS OTLP/gRPC receiver.
const root = resolve(__dirname, '../..');
const fixtures = resolve(__dirname, 'testdata');

let fixture: MtlsReceiverFixture;
beforeAll(async () => {
  fixture = await startMtlsReceiver();
});
afterAll(async () => {
  await fixture?.close();
});

const cases = [
  { name: 'require', args: ['--require', 'otel-privacy/register'], app: 'one-sdk-app.cjs', worker: false },
  { name: 'import', args: ['--import', 'otel-privacy/register'], app: 'one-sdk-app.mjs', worker: false },
  {
    name: 'require-and-import',
    args: ['--require', 'otel-privacy/register', '--import', 'otel-privacy/register'],
    app: 'one-sdk-app.mjs',
    worker: false,
  },
  { name: 'require-worker', args: ['--require', 'otel-privacy/register'], app: 'one-sdk-app.cjs', worker: true },
  { name: 'import-worker', args: ['--import', 'otel-privacy/register'], app: 'one-sdk-app.mjs', worker: true },
];

describe.each(cases)('node $args.0 … ($name)', ({ name, args, app, worker }) => {
  it('starts one SDK: one started line, one resource at the receiver', async () => {
    const service = `one-sdk-${name}`;
    const r = await runNode(
      [...args, resolve(fixtures, app)],
      {
        OTEL_SERVICE_NAME: service,
        OTEL_EXPORTER_OTLP_ENDPOINT: fixture.endpoint,
        OTEL_EXPORTER_OTLP_CERTIFICATE: String(fixture.tls.ca),
        OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: String(fixture.tls.cert),
        OTEL_EXPORTER_OTLP_CLIENT_KEY: String(fixture.tls.key),
        OTEL_PRIVACY_HMAC_KEY: 'fake-hmac-key-for-the-one-sdk-test-0123456789',
        OTEL_PRIVACY_INSTRUMENTATIONS: 'none',
        WITH_WORKER: worker ? '1' : '0',
      },
      root,
    );
    expect(r.code).toBe(0);
    if (worker) expect(r.stdout).toContain('worker exited');
    expect(r.stderr.match(/^otel-privacy: started:/gm)).toHaveLength(1);
    expect(r.stderr).not.toContain('already been initialized');

    const mine = fixture.receiver.requests.filter((q) => JSON.stringify(q.decoded).includes(`"${service}"`));
    expect(new Set(mine.map((q) => q.signal))).toEqual(new Set(['traces', 'metrics']));
    const resources = [
      ...fixture.receiver.spans().map((s) => s.resource),
      ...fixture.receiver.metrics().map((m) => m.resource),
    ].filter((res) => res['service.name'] === service);
    const instances = new Set(resources.map((res) => res['service.instance.id']));
    expect(instances.size).toBe(1);
    expect([...instances][0]).toEqual(expect.any(String));
    // the main thread's span arrived; a worker thread has no SDK of its own (its API calls are no-ops)
    const spans = fixture.receiver.spans().filter((s) => s.resource['service.name'] === service);
    expect(spans.map((s) => s.name)).toEqual(['work in main']);
  });
});
