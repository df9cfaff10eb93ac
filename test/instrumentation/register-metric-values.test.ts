import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMtlsReceiver } from '../helpers/mtls-receiver-fixture';
import type { MtlsReceiverFixture } from '../helpers/mtls-receiver-fixture';
import { runNode } from '../helpers/run-node';

// Identifiers recorded as metric values, through `node --import otel-privacy/register` (the built package, the
// default policy, the secure OTLP/gRPC exporter) to a real TLS 1.3 receiver that requires a client certificate.
const root = resolve(__dirname, '../..');
const app = resolve(__dirname, 'testdata/metric-values-app.mjs');
const SERVICE = 'register-metric-values';

let fixture: MtlsReceiverFixture;
beforeAll(async () => {
  fixture = await startMtlsReceiver();
});
afterAll(async () => {
  await fixture?.close();
});

describe('node --import otel-privacy/register: numbers that are identifiers', () => {
  it('exports no card, phone or user id number as a metric value, keeps ordinary values and counts what it dropped', async () => {
    const r = await runNode(
      ['--import', 'otel-privacy/register', app],
      {
        OTEL_SERVICE_NAME: SERVICE,
        OTEL_EXPORTER_OTLP_ENDPOINT: fixture.endpoint,
        OTEL_EXPORTER_OTLP_CERTIFICATE: String(fixture.tls.ca),
        OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: String(fixture.tls.cert),
        OTEL_EXPORTER_OTLP_CLIENT_KEY: String(fixture.tls.key),
        OTEL_PRIVACY_HMAC_KEY: 'fake-hmac-key-for-the-metric-values-test-0123',
        OTEL_PRIVACY_INSTRUMENTATIONS: 'none',
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
      },
      root,
    );
    expect(r.stderr).toContain('otel-privacy: started');
    expect(r.code).toBe(0);
    const mine = () => fixture.receiver.metrics().filter((m) => m.resource['service.name'] === SERVICE);
    await fixture.receiver.waitFor(() => mine().some((m) => m.name === 'otel_privacy.items.dropped'), 10_000);

    // The raw protobuf bytes of every accepted metrics request, decoded: no identifier in any field.
    const everything = fixture.receiver
      .requestsOf('metrics')
      .map((q) => JSON.stringify(q.decoded))
      .join('\n');
    expect(everything).toContain(SERVICE);
    for (const id of ['5555555555554444', '378282246310005', '12025550143', '9080706050', '4111111111111111'])
      expect(everything, id).not.toContain(id);

    const names = new Set(mine().map((m) => m.name));
    for (const gone of ['app.last_value', 'app.payments', 'app.amount', 'app.contact.phone', 'app.last_user_id'])
      expect(names.has(gone), gone).toBe(false);
    for (const kept of ['app.checkout.duration', 'app.bytes.sent', 'app.orders'])
      expect(names.has(kept), kept).toBe(true);
    // The byte counter is a quantity (unit By): it is kept, but a 16-digit value that is a valid card number (9 PB as
    // bytes) is cut to its first six digits, not exported whole and not dropped.
    const bytes = JSON.stringify(mine().find((m) => m.name === 'app.bytes.sent')!.data);
    expect(bytes).not.toContain('4111111111111111');
    expect(bytes).toContain('4111110000000000');

    const dropped = mine().find((m) => m.name === 'otel_privacy.items.dropped')!;
    const points = (
      dropped.data.sum as {
        dataPoints: {
          attributes: { key: string; value: { stringValue?: string } }[];
          asInt?: string;
          asDouble?: number;
        }[];
      }
    ).dataPoints;
    const identifierValue = points.find((p) =>
      p.attributes.some((a) => a.key === 'reason' && a.value.stringValue === 'identifier_value'),
    );
    expect(Number(identifierValue?.asInt ?? identifierValue?.asDouble)).toBe(5);
    // the number is never printed
    expect(r.stderr).not.toContain('4111111111111111');
  }, 60_000);
});
