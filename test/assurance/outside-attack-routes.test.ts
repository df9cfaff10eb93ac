import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, defaultPolicy } from '../../index';

// An outside attacker's view of route attributes: the default policy, a real SDK 3.x provider and the exported
// OTLP/JSON request read whole. `http.route` and `url.template` are meant to hold templates (`/users/:id`), but an
// instrumentation or a framework without a matched route writes the raw path there (`/users/jane-0001`): both were
// allowed as they were, so the fake user id below was exported while `url.path` of the same span had `{id}`.
const UID = 'jane-0001';
const ROUTE_KEYS = ['http.route', 'url.template'] as const;

let spans: InMemorySpanExporter;
let provider: TracerProvider;
const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;

beforeAll(() => {
  process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x5b).toString('base64')}`; // fake test key
  spans = new InMemorySpanExporter();
  provider = new TracerProvider({
    spanProcessors: [
      new PrivacySpanProcessor({ policy: defaultPolicy(), next: new SimpleSpanProcessor({ exporter: spans }) }),
    ],
  });
});
afterAll(async () => {
  await provider.shutdown();
  if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
});

/** Starts one span with `attributes` at start or set later, and returns it as exported (OTLP/JSON) and read back. */
async function exported(key: string, value: string, late: boolean) {
  spans.reset();
  const span = provider
    .getTracer('routes')
    .startSpan('GET', { attributes: late ? { 'http.request.method': 'GET' } : { [key]: value } });
  if (late) span.setAttribute(key, value);
  span.end();
  await provider.forceFlush();
  const [s] = spans.getFinishedSpans();
  return {
    json: Buffer.from(JsonTraceSerializer.serializeRequest([s]) as Uint8Array).toString(),
    value: s.attributes[key],
  };
}

describe('raw paths in route attributes', () => {
  const paths = [
    `/users/${UID}`,
    `/users/${UID}/orders`,
    `/api/v1/accounts/${encodeURIComponent('jane.doe@example.com')}`,
    '/orders/7f9c2ba4-e88f-41ee-9ad0-2b5c9f1b3a11',
  ];
  for (const key of ROUTE_KEYS)
    for (const path of paths)
      for (const late of [false, true])
        it(`${key} ${late ? 'set after start' : 'at start'}: ${path}`, async () => {
          const out = await exported(key, path, late);
          expect(out.json).not.toContain(UID);
          expect(out.json).not.toContain('7f9c2ba4');
          expect(out.json).not.toContain('jane.doe');
          expect(out.value).toMatch(/\{id\}/);
        });
});

describe('templates in route attributes stay as they are', () => {
  const templates = [
    '/users/:id',
    '/users/{id}/orders',
    '/api/v1/items',
    '/files/*',
    '/',
    '/v2/accounts/:accountId/cards',
  ];
  for (const key of ROUTE_KEYS)
    for (const template of templates)
      it(`${key}: ${template}`, async () => {
        expect((await exported(key, template, false)).value).toBe(template);
      });
});
