import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type * as HttpModule from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { context, propagation } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacyPropagator } from '../../instrumentation/privacy-propagator';
import { withPrivacy } from '../../instrumentation/with-privacy';
import { definePolicy } from '../../policy/load-policy';

// Real `@opentelemetry/instrumentation-http` under a NodeSDK configured by withPrivacy: a request carrying personal
// data in `baggage` and `tracestate` arrives at service A, whose handler calls service B; B's received headers, what
// A's handler saw, and the exported spans are checked.

process.env.PROPAGATION_TEST_HMAC = 'fake-hmac-key-for-the-propagation-test-0123';
const FAKE_EMAIL = 'jane.doe@example.com';
const FAKE_SESSION = 'fake-session-7f3a9c';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

const policy = definePolicy({
  version: 1,
  keys: { hmac: { id: 'k1', env: 'PROPAGATION_TEST_HMAC' } },
  attributes: { allow: ['http.request.method', 'http.route'] },
  values: { detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]' },
  propagation: { baggage: { allow: ['tenant', 'plan', 'note', 'app.*'], hash: ['session.id'] } },
});

const incomingBaggage = [
  `user.email=${encodeURIComponent(FAKE_EMAIL)}`,
  'tenant=acme',
  `session.id=${FAKE_SESSION}`,
  'plan=gold;source=signup',
  `note=${encodeURIComponent(`call ${FAKE_EMAIL}`)}`,
  `app.${encodeURIComponent(FAKE_EMAIL)}=1`,
].join(',');
const incomingTraceState = `congo=t61rcWkgMzE,user=${FAKE_EMAIL},ot=th:0,dd=s:1;o:${FAKE_EMAIL.replace('@', '.')}`;

let http: typeof HttpModule;
let sdk: NodeSDK;
const exporter = new InMemorySpanExporter();
const servers: Server[] = [];
let received: IncomingHttpHeaders | undefined;
let seenByHandler: Record<string, string> = {};

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  const server = http.createServer(handler);
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  sdk = new NodeSDK(
    withPrivacy(
      {
        spanProcessors: [new SimpleSpanProcessor({ exporter })],
        metricReaders: [],
        logRecordProcessors: [],
        instrumentations: [new HttpInstrumentation()],
      },
      { policy },
    ),
  );
  sdk.start();
  // required after the instrumentation is enabled, so that it patches the module
  http = createRequire(import.meta.url)('node:http') as typeof HttpModule;
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await sdk.shutdown();
});

describe('PrivacyPropagator with @opentelemetry/instrumentation-http', () => {
  it('is the global propagator withPrivacy installed', () => {
    const carrier: Record<string, string> = {};
    propagation.inject(
      propagation.setBaggage(context.active(), propagation.createBaggage({ secret: { value: FAKE_EMAIL } })),
      carrier,
    );
    expect(carrier).toEqual({});
    expect(propagation.fields()).toEqual(['traceparent', 'tracestate', 'baggage']);
  });

  it('forwards only allowed, clean, pseudonymized baggage and the `ot` tracestate member downstream', async () => {
    const portB = await listen((req, res) => {
      received = req.headers;
      res.end('b');
    });
    const portA = await listen((req, res) => {
      const baggage = propagation.getBaggage(context.active());
      seenByHandler = Object.fromEntries((baggage?.getAllEntries() ?? []).map(([k, e]) => [k, e.value]));
      http.get(`http://127.0.0.1:${portB}/downstream`, (r) => {
        r.resume();
        r.on('end', () => res.end('a'));
      });
    });
    // the caller is not instrumented (fetch is not patched by instrumentation-http): its headers arrive as written
    const response = await fetch(`http://127.0.0.1:${portA}/upstream`, {
      headers: {
        traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
        tracestate: incomingTraceState,
        baggage: incomingBaggage,
      },
    });
    expect(await response.text()).toBe('a');

    // What B received
    expect(received).toBeDefined();
    const raw = JSON.stringify(received);
    for (const leak of [
      FAKE_EMAIL,
      encodeURIComponent(FAKE_EMAIL),
      FAKE_EMAIL.replace('@', '.'),
      FAKE_SESSION,
      'user.email',
      'congo',
      'dd=',
      'source=signup',
    ])
      expect(raw, leak).not.toContain(leak);
    expect(received!.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(received!.tracestate).toMatch(/^ot=th:[0-9a-f]+$/);
    const entries = Object.fromEntries(
      String(received!.baggage)
        .split(',')
        .map((kv) => kv.split('=').map((s) => decodeURIComponent(s.trim()))),
    );
    expect(Object.keys(entries).sort()).toEqual(['plan', 'session.id', 'tenant']);
    expect(entries.tenant).toBe('acme');
    expect(entries.plan).toBe('gold');
    // pseudonymized once on the way in, and not hashed again on the way out
    expect(entries['session.id']).toMatch(/^k1:[A-Za-z0-9_-]{22}$/);
    expect(entries['session.id']).toBe(seenByHandler['session.id']);

    // What A's handler saw: the same filtered baggage
    expect(seenByHandler).toEqual({ tenant: 'acme', plan: 'gold', 'session.id': entries['session.id'] });

    // What was exported: both spans of A (server, client) and B's server span carry only `ot`
    const spans: ReadableSpan[] = exporter.getFinishedSpans();
    expect(spans.length).toBeGreaterThanOrEqual(3);
    for (const s of spans) {
      expect(s.spanContext().traceId).toBe(TRACE_ID);
      expect(s.spanContext().traceState?.serialize()).toMatch(/^ot=th:[0-9a-f]+$/);
      expect(JSON.stringify(s.parentSpanContext?.traceState?.serialize() ?? '')).not.toContain(FAKE_EMAIL);
    }
  });

  it('wraps a propagator the configuration gives, and keeps `null` (no propagation)', () => {
    const given = new PrivacyPropagator({ policy });
    expect(withPrivacy({ textMapPropagator: given, spanProcessors: [] }, { policy }).textMapPropagator).toBe(given);
    expect(withPrivacy({ textMapPropagator: null, spanProcessors: [] }, { policy }).textMapPropagator).toBeNull();
  });
});
