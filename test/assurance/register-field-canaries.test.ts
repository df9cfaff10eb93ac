import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTLP_FIELDS } from '../../engine/otlp-fields';
import type { OtlpFieldId } from '../../engine/otlp-fields';
import { defaultPolicy } from '../../policy/load-policy';
import { startMtlsReceiver } from '../helpers/mtls-receiver-fixture';
import type { MtlsReceiverFixture } from '../helpers/mtls-receiver-fixture';
import { runNode } from '../helpers/run-node';
import { appWritableFields, checkOutcomes, leaks, needlesOf, textOf } from './field-canaries';
import type { Signal } from './field-canaries';

// A child process under `node --import otel-privacy/register` (the built package, default policy, secure exporters
// over mTLS to a receiver started here) whose app (testdata/field-canary-app.ts) writes a different canary into
// every inventory field it can reach through the global OpenTelemetry API, with the same writer as the SDK-path
// suite (field-canaries.ts); the resource gets its canaries through OTEL_RESOURCE_ATTRIBUTES and the process
// detector (a command-line argument). Everything received, raw protobuf bytes included, is searched raw, base64 and
// hex; every field's outcome is checked; and the headers the global propagator reads and writes are checked too.

const root = resolve(__dirname, '../..');
const app = resolve(__dirname, 'testdata/field-canary-app.ts');

/**
 * The application-writable inventory fields the register path cannot reach from the app, with the reason. Any
 * other application-writable field without a canary fails the test, so a new inventory field needs a writer or a
 * reason here.
 */
const UNREACHABLE: Partial<Record<OtlpFieldId, string>> = {
  'ResourceSpans.schema_url':
    'the resource is built by the register hook from detectors; no detector sets a schema URL',
  'ResourceMetrics.schema_url': 'as ResourceSpans.schema_url',
  'ResourceLogs.schema_url': 'as ResourceSpans.schema_url',
  'ExponentialHistogramDataPoint.attributes':
    'the register hook offers no view or environment variable that selects exponential histograms',
};

/** Canaries that are not in an inventory field: the resource detectors and the propagation headers. */
const OTHER_CANARIES = [
  'detector.process-command-args',
  'propagation.incoming-tracestate',
  'propagation.incoming-baggage',
  'propagation.outgoing-tracestate',
  'propagation.outgoing-baggage',
];

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

interface AppReport {
  readonly written: [OtlpFieldId, Signal][];
  readonly seen: { readonly traceState?: string; readonly baggage: unknown[] };
  readonly injected: Record<string, string>;
}

describe('a canary in every OTLP field an app can reach, through the register hook and the secure exporter', () => {
  it('no canary reaches the receiver or the outgoing headers, and every field was masked, dropped, pseudonymized or filtered', async () => {
    const service = `register-field-canaries-${randomBytes(4).toString('hex')}`;
    const result = await runNode(
      ['--import', 'otel-privacy/register', '--import', 'tsx', app, textOf('detector.process-command-args')],
      {
        OTEL_SERVICE_NAME: service,
        OTEL_RESOURCE_ATTRIBUTES: `service.namespace=${encodeURIComponent(textOf('Resource.attributes'))}`,
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
    const line = result.stdout.split('\n').find((l) => l.startsWith('FIELD-CANARIES '));
    expect(line, result.stdout).toBeDefined();
    const report = JSON.parse(line!.slice('FIELD-CANARIES '.length)) as AppReport;
    const written = new Map<OtlpFieldId, Signal>(report.written);
    written.set('Resource.attributes', 'traces');

    // Every field an app can write got its canary, but for the ones named unreachable (the list comes from the
    // inventory).
    for (const id of Object.keys(UNREACHABLE) as OtlpFieldId[]) expect(OTLP_FIELDS[id].source).toBe('app');
    const writable = appWritableFields(UNREACHABLE);
    expect(writable.filter((id) => !written.has(id))).toEqual([]);
    expect([...written.keys()].filter((id) => !writable.includes(id))).toEqual([]);

    await fixture.receiver.waitFor(
      () => (['traces', 'logs', 'metrics'] as const).every((s) => fixture.receiver.requestsOf(s).length > 0),
      15_000,
      'all three signals',
    );
    const requests = fixture.receiver.requests;
    expect(new Set(requests.map((r) => r.clientCommonName))).toEqual(new Set(['client-a']));
    const raw = Buffer.concat(requests.map((r) => r.bytes));
    const decoded = JSON.stringify(requests.map((r) => r.decoded));
    expect(decoded).toContain(service);
    const searched = [...written.keys(), ...OTHER_CANARIES];
    expect(leaks(searched, raw, decoded)).toEqual([]);

    // Each field's outcome, computed with the default policy and the child's key.
    process.env.OTEL_PRIVACY_HMAC_KEY = hmacKey;
    expect(checkOutcomes(written, requests, defaultPolicy())).toEqual([]);

    // The propagator: incoming baggage dropped (no propagation rules), incoming and outgoing trace state reduced to
    // the `ot` member, no baggage header written; and nothing the app printed (its report) carries a canary.
    expect(report.seen).toEqual({ traceState: 'ot=th:8', baggage: [] });
    expect(report.injected.tracestate).toBe('ot=th:8');
    expect(report.injected.baggage).toBeUndefined();
    expect(report.injected.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const printed = JSON.stringify(report);
    expect(searched.filter((id) => needlesOf(id).some((needle) => printed.includes(needle)))).toEqual([]);
    // The span started under the extracted context arrived, with the filtered trace state.
    const extracted = fixture.receiver.spans().find((span) => span.name === 'canary.extracted');
    expect(extracted).toBeDefined();
    process.stdout.write(
      `register path: ${written.size} fields and ${OTHER_CANARIES.length} other canaries poked, ${leaks(searched, raw, decoded).length} leaked\n`,
    );
  });
});
