import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMtlsReceiver } from '../helpers/mtls-receiver-fixture';
import type { MtlsReceiverFixture } from '../helpers/mtls-receiver-fixture';
import { runNode } from '../helpers/run-node';
import {
  EXTRA_CANARIES,
  REGISTER_OTHER_CANARIES,
  canaryPolicy,
  checkRegisterRun,
  registerRunInputs,
} from './field-canaries';

// A child process under `node --import otel-privacy/register` (the built package from the dev install, SDK 3.x;
// default policy; secure exporters over mTLS to a receiver started here) whose app (testdata/field-canary-app.ts)
// writes a different canary into every inventory field it can reach through the global OpenTelemetry API, with the
// same writer as the SDK-path suite; the resource gets its canaries through OTEL_RESOURCE_ATTRIBUTES and the process
// detector (a command-line argument). `checkRegisterRun` (field-canaries.ts, shared with the consumer tests, which
// run the same app on the packed package with SDK 2.x and 3.x) searches everything received, raw protobuf bytes
// included, raw, base64 and hex; checks every field's outcome; and checks the headers the global propagator read
// and wrote.

const root = resolve(__dirname, '../..');
const app = resolve(__dirname, 'testdata/field-canary-app.ts');

let fixture: MtlsReceiverFixture;
const hmacKey = `base64:${randomBytes(32).toString('base64')}`;
const hmacKeyBefore = process.env.OTEL_PRIVACY_HMAC_KEY;

beforeAll(async () => {
  fixture = await startMtlsReceiver();
});
afterAll(async () => {
  await fixture?.close();
  if (hmacKeyBefore === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = hmacKeyBefore;
});

describe('a canary in every OTLP field an app can reach, through the register hook and the secure exporter', () => {
  it('no canary reaches the receiver or the outgoing headers, and every field was masked, dropped, pseudonymized or filtered', async () => {
    const service = `register-field-canaries-${randomBytes(4).toString('hex')}`;
    const inputs = registerRunInputs();
    const result = await runNode(
      ['--import', 'otel-privacy/register', '--import', 'tsx', app, ...inputs.args],
      {
        ...inputs.env,
        OTEL_SERVICE_NAME: service,
        OTEL_PRIVACY_HMAC_KEY: hmacKey,
        OTEL_PRIVACY_INSTRUMENTATIONS: 'none',
        OTEL_EXPORTER_OTLP_ENDPOINT: fixture.endpoint,
        OTEL_EXPORTER_OTLP_CERTIFICATE: String(fixture.tls.ca),
        OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: String(fixture.tls.cert),
        OTEL_EXPORTER_OTLP_CLIENT_KEY: String(fixture.tls.key),
      },
      root,
    );
    expect(result.stderr).toContain('otel-privacy: started:');
    expect(result.code, result.stderr).toBe(0);
    await fixture.receiver.waitFor(
      () => (['traces', 'logs', 'metrics'] as const).every((s) => fixture.receiver.requestsOf(s).length > 0),
      15_000,
      'all three signals',
    );
    const requests = fixture.receiver.requests;
    expect(new Set(requests.map((r) => r.clientCommonName))).toEqual(new Set(['client-a']));
    expect(JSON.stringify(requests.map((r) => r.decoded))).toContain(service);

    // The outcomes are computed with the suite's policy and the child's key.
    process.env.OTEL_PRIVACY_HMAC_KEY = hmacKey;
    const { problems, fields } = checkRegisterRun(result.stdout, requests, canaryPolicy());
    expect(problems).toEqual([]);
    process.stdout.write(
      `register path: ${fields} fields and ${REGISTER_OTHER_CANARIES.length + EXTRA_CANARIES.length} other canaries poked, ${problems.length} problems\n`,
    );
  });
});
