import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptToken, loadPolicy } from '../../index';
import { runNode } from '../helpers/run-node';
import { startMtlsReceiver } from '../helpers/mtls-receiver-fixture';
import type { MtlsReceiverFixture } from '../helpers/mtls-receiver-fixture';
import {
  awsKeyCanary,
  bearerCanary,
  cardCanary,
  emailCanary,
  ibanCanary,
  ipv4Canary,
  jwtCanary,
  phoneCanary,
  randomText,
  ssnCanary,
} from './canaries';
import type { PiiCanary } from './canaries';

// A real instrumented HTTP service (express + pino, child process, `node --import otel-privacy/register`, the built
// package) exporting over OTLP/gRPC with mTLS to a receiver started here. Every value the service handles that is
// personal or secret is a unique canary; everything the receiver got, raw protobuf bytes included, is searched.
const root = resolve(__dirname, '../..');
const service = 'canary-service';
const hmacKey = `fake-canary-hmac-${randomBytes(16).toString('hex')}`;
const encKey = randomBytes(32);

let fixture: MtlsReceiverFixture;
let dir: string;

beforeAll(async () => {
  fixture = await startMtlsReceiver();
  dir = mkdtempSync(join(tmpdir(), 'otel-privacy-canary-'));
});
afterAll(async () => {
  await fixture?.close();
  rmSync(dir, { recursive: true, force: true });
});

const POLICY = `# canary end-to-end policy: the default policy plus two application keys and the test's own keys
version: 1
extends: default
keys:
  hmac: { id: k1, env: CANARY_HMAC_KEY }
  encryption: { id: e1, env: CANARY_ENC_KEY }
attributes:
  allow: ["app.plan", "app.region"]
  encrypt: ["app.contact"]
`;

/** A name in free text: no detector knows names, only the key rules can hide it. */
function freeName(): PiiCanary {
  const surname = `Fake${randomText(8)}`;
  return { kind: 'email', text: `customer Jane ${surname} called about her order`, needles: [surname] };
}

const run = (args: string[], env: Record<string, string>) => runNode(args, env, root);

describe('canary end-to-end: instrumented service → register hook → mTLS OTLP receiver', () => {
  it('no canary leaves the process; allowed attributes unchanged; pseudonyms predicted by the key; tokens decrypt', async () => {
    const canaries: Record<string, PiiCanary> = {
      pathEmail: emailCanary(),
      queryJwt: jwtCanary(),
      queryCard: cardCanary(),
      queryPhone: phoneCanary(),
      queryEmail: emailCanary(),
      queryIp: ipv4Canary(),
      header_bearer: bearerCanary(),
      headerEmail: emailCanary(),
      cookieJwt: jwtCanary(),
      bodyCard: cardCanary(),
      bodyIban: ibanCanary(),
      logIp: ipv4Canary(),
      logAws: awsKeyCanary(),
      metricNote: freeName(),
      metricPhone: phoneCanary(),
      freeName: freeName(),
      attrPhone: phoneCanary(),
      nameCard: cardCanary(),
      nameEmail: emailCanary(),
      exceptionIban: ibanCanary(),
      exceptionSsn: ssnCanary(),
      contact: emailCanary(),
    };
    const userId = `fake-user-${randomBytes(6).toString('hex')}`;
    const values: Record<string, string> = {
      userId,
      ...Object.fromEntries(Object.entries(canaries).map(([name, canary]) => [name, canary.text])),
    };
    const policyPath = join(dir, 'canary-policy.yaml');
    writeFileSync(policyPath, POLICY);
    const env = {
      OTEL_SERVICE_NAME: service,
      OTEL_PRIVACY_POLICY: policyPath,
      OTEL_PRIVACY_INSTRUMENTATIONS:
        '@opentelemetry/instrumentation-http,@opentelemetry/instrumentation-express,@opentelemetry/instrumentation-pino',
      OTEL_EXPORTER_OTLP_ENDPOINT: fixture.endpoint,
      OTEL_EXPORTER_OTLP_CERTIFICATE: String(fixture.tls.ca),
      OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: String(fixture.tls.cert),
      OTEL_EXPORTER_OTLP_CLIENT_KEY: String(fixture.tls.key),
      CANARY_HMAC_KEY: hmacKey,
      CANARY_ENC_KEY: `hex:${encKey.toString('hex')}`,
      CANARIES: JSON.stringify(values),
    };
    const result = await run(
      ['--import', 'otel-privacy/register', join(__dirname, 'testdata', 'canary-service.mjs')],
      env,
    );
    expect(result.stderr).toContain('otel-privacy: started:');
    expect(result.code).toBe(0);
    // the service's own (raw) pino output proves the canaries really went through the instrumented code
    expect(result.stdout).toContain(canaries.pathEmail.text);
    expect(result.stdout).toContain(canaries.logAws.text);

    const mine = <T extends { resource: Record<string, unknown> }>(items: T[]) =>
      items.filter((item) => item.resource['service.name'] === service);
    await fixture.receiver.waitFor(
      () =>
        mine(fixture.receiver.spans()).length >= 4 &&
        mine(fixture.receiver.logRecords()).length >= 3 &&
        mine(fixture.receiver.metrics()).some((m) => m.name === 'canary.orders'),
      15_000,
      'the service telemetry',
    );
    const requests = fixture.receiver.requests.filter((request) =>
      JSON.stringify(request.decoded).includes(`"${service}"`),
    );
    expect(new Set(requests.map((request) => request.signal))).toEqual(new Set(['traces', 'metrics', 'logs']));
    expect(new Set(requests.map((request) => request.clientCommonName))).toEqual(new Set(['client-a']));

    // 1. zero canaries in everything received: raw protobuf bytes and the decoded requests
    const raw = Buffer.concat(requests.map((request) => request.bytes));
    const decoded = JSON.stringify(requests.map((request) => request.decoded));
    const needles = [
      ...Object.values(canaries).flatMap((canary) => canary.needles),
      userId,
      encodeURIComponent(canaries.pathEmail.text),
      encodeURIComponent(canaries.queryEmail.text),
    ];
    const leaked = needles.filter((needle) => raw.includes(needle) || decoded.includes(needle));
    expect(leaked).toEqual([]);

    // 2. allowed attributes present and unchanged
    const spans = mine(fixture.receiver.spans());
    const server = spans.find(
      (span) =>
        span.scope === '@opentelemetry/instrumentation-http' &&
        span.attributes['http.route'] === '/users/:email/orders',
    );
    const charge = spans.find((span) => span.scope === 'canary-service');
    // the span active in the route handler (express's request handler span) carries the application's attributes
    const annotated = spans.find((span) => span.attributes['app.region'] !== undefined);
    const counter = mine(fixture.receiver.metrics()).find((metric) => metric.name === 'canary.orders');
    const point = (
      counter?.data.sum as
        { dataPoints: Array<{ attributes: Array<{ key: string; value: { stringValue?: string } }> }> } | undefined
    )?.dataPoints[0];
    const pointAttributes = Object.fromEntries(
      (point?.attributes ?? []).map((entry) => [entry.key, entry.value.stringValue]),
    );
    const allowed: Array<[string, unknown, unknown]> = [
      ['server span http.request.method', server?.attributes['http.request.method'], 'POST'],
      ['server span http.route', server?.attributes['http.route'], '/users/:email/orders'],
      ['handler span app.plan', annotated?.attributes['app.plan'], 'gold'],
      ['handler span app.region', annotated?.attributes['app.region'], 'eu-fake'],
      ['manual span app.plan', charge?.attributes['app.plan'], 'gold'],
      ['metric http.route', pointAttributes['http.route'], '/users/:email/orders'],
      ['metric app.plan', pointAttributes['app.plan'], 'gold'],
    ];
    const kept = allowed.filter(([, actual, expected]) => actual === expected).length;
    expect(allowed.map(([what, actual]) => [what, actual])).toEqual(
      allowed.map(([what, , expected]) => [what, expected]),
    );

    // 3. the hashed id is the pseudonym the key predicts (computed by the library with the same key, in this process)
    process.env.CANARY_HMAC_KEY = hmacKey;
    process.env.CANARY_ENC_KEY = env.CANARY_ENC_KEY;
    try {
      const policy = loadPolicy(policyPath);
      expect(annotated?.attributes['user.id']).toBe(
        policy.sanitizer('traces', annotated?.scope).sanitizeValue('user.id', userId),
      );
    } finally {
      delete process.env.CANARY_HMAC_KEY;
      delete process.env.CANARY_ENC_KEY;
    }
    expect(annotated?.attributes['user.id']).toMatch(/^k1:[A-Za-z0-9_-]{22}$/);

    // 4. the encrypted value decrypts to the canary, with the key and the attribute key
    const token = annotated?.attributes['app.contact'];
    expect(typeof token).toBe('string');
    expect(decryptToken(token as string, encKey, 'app.contact')).toBe(canaries.contact.text);

    // the places the canaries went through are really in the output (sanitized), not simply missing
    expect(charge?.name).toMatch(/^charge card .*REDACTED.* for .*REDACTED/);
    expect(
      mine(fixture.receiver.logRecords()).some(
        (record) => typeof record.body === 'string' && record.body.startsWith('order by'),
      ),
    ).toBe(true);
    expect(
      spans.some((span) => span.attributes['http.route'] === '/search' || String(span.name).includes('/search')),
    ).toBe(true);

    const summary = `canaries sent ${Object.keys(canaries).length + 1}, leaked ${leaked.length}, allowed kept ${kept}/${allowed.length}`;
    process.stdout.write(`${summary}\n`);
    expect(summary).toBe(
      `canaries sent ${Object.keys(canaries).length + 1}, leaked 0, allowed kept ${allowed.length}/${allowed.length}`,
    );
  });
});
