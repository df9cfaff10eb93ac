import type { Attributes } from '@opentelemetry/api';
import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  AggregationType,
  InMemoryMetricExporter,
  MeterProvider,
} from '@opentelemetry/sdk-metrics';
import type { ResourceMetrics, ViewOptions } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { definePolicy, privacyViews, PrivacyMetricReader } from '../../../index';
import type { Policy } from '../../../index';

// An outside-style attack on the metrics signal: obviously fake personal data is written, through the OpenTelemetry
// API of a real SDK 3.x MeterProvider, into every OTLP metrics field an application can reach, in many spellings
// (fast-check transformation operators), with and without the privacy views. What the real exporter receives must
// contain none of it.

const KEY_ENV = 'TEST_METRICS_ATTACK_HMAC';
process.env[KEY_ENV] = 'fake-hmac-key-metrics-attack-0123456789abcdef';

/** A user policy over the default one that keeps its own `app.*` attributes (the README's layering). */
function userPolicy(): Policy {
  return definePolicy({
    version: 1,
    extends: 'default',
    keys: { hmac: { id: 'k1', env: KEY_ENV } },
    attributes: { allow: ['app.*', 'http.route'], hash: ['user.id'] },
    resource: { allow: ['service.name', 'service.version', 'app.*'] },
  });
}

/** Obviously fake personal data and secrets, as text. */
const TEXT_CANARIES = {
  email: 'jane.doe@example.com',
  card: '4111 1111 1111 1111',
  phone: '+1 202 555 0143',
  iban: 'DE89 3704 0044 0532 0130 00',
  ipv4: '203.0.113.7',
  bearer: 'Bearer fakeTOKENabcdefghijklmnopqrstuvwxyz0123',
} as const;
type TextCanary = keyof typeof TEXT_CANARIES;

/** The same identifiers as numbers an application could record. */
const NUMBER_CANARIES = {
  card: 4111111111111111, // Visa test number, Luhn-valid, 16 digits
  amex: 378282246310005, // Amex test number, 15 digits
  phone: 12025550143, // +1 202 555 0143 (NANP, E.164 digits)
  phoneUk: 447700900123, // +44 7700 900123 (UK drama range)
  userId: 48213, // a numeric user id
} as const;
type NumberCanary = keyof typeof NUMBER_CANARIES;

/**
 * Spellings of a text canary (transformation operators). Gluing spellings (`Bearer-…`, `+1-202-…` right after a
 * `/` or `.`) are left to the value scanner's own tests: the exploration that led to this file found them there,
 * in every signal, not in the metrics fields.
 */
const textTransforms: readonly ((s: string) => string)[] = [
  (s) => s,
  (s) => s.toUpperCase(),
  (s) => `note: ${s} end`,
  (s) => `see https://shop.example.com/u?x=${encodeURIComponent(s)}`,
  (s) => JSON.stringify({ v: s }),
  (s) => `[${s}]`,
];

/** What must never arrive for a text canary written in spelling `written`. */
function textNeedles(canary: TextCanary, written: string): string[] {
  const core: Record<TextCanary, string[]> = {
    email: ['jane.doe@example.com', 'jane.doe%40example.com'],
    card: ['4111111111111111', '4111 1111 1111 1111', '4111-1111-1111-1111'],
    phone: ['202 555 0143', '2025550143', '202-555-0143'],
    iban: ['DE89370400440532013000', 'DE89 3704 0044 0532 0130 00', 'DE89-3704'],
    ipv4: ['203.0.113.7'],
    bearer: ['fakeTOKENabcdefghijklmnopqrstuvwxyz0123'],
  };
  return [written, ...core[canary]];
}

/** Every string and number in an export, as JSON (numbers as written). */
function dump(metrics: readonly ResourceMetrics[]): string {
  return JSON.stringify(metrics, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value));
}

function leaked(haystack: string, needles: readonly string[]): string[] {
  const lower = haystack.toLowerCase();
  return needles.filter((n) => lower.includes(n.toLowerCase()));
}

interface Setup {
  readonly provider: MeterProvider;
  readonly exporter: InMemoryMetricExporter;
  readonly reader: PrivacyMetricReader;
}

const providers: MeterProvider[] = [];
afterEach(async () => {
  while (providers.length) await providers.pop()!.shutdown();
});

function setup(
  policy: Policy,
  options: {
    views: boolean;
    extraViews?: ViewOptions[];
    resource?: Attributes;
    schemaUrl?: string;
    temporality?: AggregationTemporality;
  },
): Setup {
  const exporter = new InMemoryMetricExporter(options.temporality ?? AggregationTemporality.CUMULATIVE);
  const reader = new PrivacyMetricReader({ policy, exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes(
      { 'service.name': 'fake-shop', ...options.resource },
      options.schemaUrl !== undefined ? { schemaUrl: options.schemaUrl } : {},
    ),
    views: [...(options.views ? privacyViews(policy) : []), ...(options.extraViews ?? [])],
    readers: [reader],
  });
  providers.push(provider);
  return { provider, exporter, reader };
}

async function exported(s: Setup): Promise<ResourceMetrics[]> {
  await s.reader.forceFlush();
  return s.exporter.getMetrics();
}

/** Where an application can put text in a metrics export. */
const TEXT_PLACES = [
  'attribute value (kept key)',
  'attribute value (hashed key)',
  'attribute key',
  'array attribute value',
  'instrument name',
  'instrument description',
  'instrument unit',
  'meter name',
  'meter version',
  'meter schemaUrl',
  'resource attribute (kept key)',
  'resource schemaUrl',
  'observable callback attribute',
  'view name',
  'view description',
] as const;
type TextPlace = (typeof TEXT_PLACES)[number];

/** Records `text` at `place`; every instrument also records an ordinary value. */
function writeText(place: TextPlace, text: string, policy: Policy, views: boolean): Setup {
  const viewPlace = place === 'view name' || place === 'view description';
  const setupNow = setup(policy, {
    views,
    ...(place === 'resource attribute (kept key)' ? { resource: { 'app.owner': text } } : {}),
    ...(place === 'resource schemaUrl' ? { schemaUrl: `https://schemas.example.com/${text}` } : {}),
    ...(viewPlace
      ? {
          extraViews: [
            {
              instrumentName: 'app.renamed',
              ...(place === 'view name' ? { name: `app ${text}` } : {}),
              ...(place === 'view description' ? { description: text } : {}),
            },
          ],
        }
      : {}),
  });
  const meter = setupNow.provider.getMeter(
    place === 'meter name' ? text : 'app.meter',
    place === 'meter version' ? text : '1.0.0',
    place === 'meter schemaUrl' ? { schemaUrl: `https://schemas.example.com/${text}` } : {},
  );
  if (place === 'instrument name') meter.createCounter(`app.${text}`).add(1);
  const counter = meter.createCounter(viewPlace ? 'app.renamed' : 'app.requests', {
    ...(place === 'instrument description' ? { description: text } : {}),
    ...(place === 'instrument unit' ? { unit: text.slice(0, 63) } : {}),
  });
  const attributes: Attributes = { 'http.route': '/checkout' };
  if (place === 'attribute value (kept key)') attributes['app.note'] = text;
  if (place === 'attribute value (hashed key)') attributes['user.id'] = text;
  if (place === 'attribute key') attributes[`app.x ${text}`] = 'x';
  if (place === 'array attribute value') attributes['app.tags'] = ['a', text];
  counter.add(3, attributes);
  if (place === 'observable callback attribute') {
    meter.createObservableGauge('app.queue.depth').addCallback((r) => r.observe(7, { 'app.note': text }));
  }
  return setupNow;
}

describe('metrics: text canaries in every field an application can reach', () => {
  for (const views of [true, false]) {
    it(`nothing arrives (${views ? 'with' : 'without'} privacyViews)`, async () => {
      const policy = userPolicy();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...(Object.keys(TEXT_CANARIES) as TextCanary[])),
          fc.constantFrom(...TEXT_PLACES),
          fc.nat(textTransforms.length - 1),
          async (canary, place, t) => {
            const written = textTransforms[t]!(TEXT_CANARIES[canary]);
            const s = writeText(place, written, policy, views);
            const out = dump(await exported(s));
            await s.provider.shutdown();
            expect(out, `${place}`).toContain('app.'); // something was exported
            expect(leaked(out, textNeedles(canary, written)), `${canary} in ${place} as ${written}`).toEqual([]);
          },
        ),
        { numRuns: 400, seed: 20261205 },
      );
    });
  }
});

describe('metrics: identifiers in dotted instrument names', () => {
  it('an address or card number written as name segments (instrument, meter name and version) does not arrive; ordinary names with digits do', async () => {
    const policy = userPolicy();
    const s = setup(policy, { views: true });
    const meter = s.provider.getMeter('app.meter');
    const hidden = ['app.203.0.113.7', 'peer/203.0.113.7/requests', 'app.4111-1111-1111-1111', 'app_4111111111111111'];
    const ordinary = [
      'http.server.request.duration',
      'k8s.pod.cpu.time',
      'app.v1.requests',
      'app.http2.sessions',
      'app.status.404',
      'app.tier-2.hits',
    ];
    for (const name of [...hidden, ...ordinary]) meter.createCounter(name).add(1);
    for (const name of hidden) s.provider.getMeter(name, name).createCounter('app.scoped').add(1);
    const result = await exported(s);
    expect(leaked(dump(result), ['203.0.113.7', '4111-1111-1111-1111', '4111111111111111'])).toEqual([]);
    const names = result.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.descriptor.name)));
    for (const name of ordinary) expect(names).toContain(name);
    expect(names).toHaveLength(hidden.length * 2 + ordinary.length); // masked, not dropped (values.action: mask)
  });
});

/** Where an application can put a number in a metrics export. */
const NUMBER_PLACES = [
  'counter value',
  'up-down counter value',
  'gauge value',
  'histogram value (sum/min/max)',
  'exponential histogram value',
  'observable gauge value',
  'observable counter value',
  'observable up-down counter value',
  'numeric attribute (kept key)',
  'histogram bucket boundary (advice)',
  'histogram bucket boundary (view)',
] as const;
type NumberPlace = (typeof NUMBER_PLACES)[number];

function writeNumber(policy: Policy, views: boolean, place: NumberPlace, value: number, name: string): Setup {
  const s = setup(policy, {
    views,
    extraViews:
      place === 'histogram bucket boundary (view)'
        ? [
            {
              instrumentName: name,
              aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [10, value] } },
            },
          ]
        : place === 'exponential histogram value'
          ? [{ instrumentName: name, aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }]
          : [],
  });
  const meter = s.provider.getMeter('app.meter');
  const attributes = { 'http.route': '/checkout' };
  const int = { valueType: ValueType.INT };
  switch (place) {
    case 'counter value':
      meter.createCounter(name, int).add(value, attributes);
      break;
    case 'up-down counter value':
      meter.createUpDownCounter(name, int).add(value, attributes);
      break;
    case 'gauge value':
      meter.createGauge(name, int).record(value, attributes);
      break;
    case 'histogram value (sum/min/max)':
    case 'exponential histogram value':
    case 'histogram bucket boundary (view)':
      meter.createHistogram(name).record(value, attributes);
      break;
    case 'histogram bucket boundary (advice)':
      meter.createHistogram(name, { advice: { explicitBucketBoundaries: [10, value] } }).record(3, attributes);
      break;
    case 'observable gauge value':
      meter.createObservableGauge(name, int).addCallback((r) => r.observe(value, attributes));
      break;
    case 'observable counter value':
      meter.createObservableCounter(name, int).addCallback((r) => r.observe(value, attributes));
      break;
    case 'observable up-down counter value':
      meter.createObservableUpDownCounter(name, int).addCallback((r) => r.observe(value, attributes));
      break;
    case 'numeric attribute (kept key)':
      meter.createCounter(name).add(1, { ...attributes, 'app.customer': value });
      break;
  }
  return s;
}

/**
 * Instrument names an application might use for such a value, with the identifiers whose numbers must not arrive
 * under them: card numbers under any name (checked by network prefix, length and Luhn), phone numbers under names
 * that say phone (an unformatted digit run is a phone number only in a phone context, as in text), and any number
 * under a name saying it is an identifier.
 */
const NUMBER_NAMES: Record<string, readonly NumberCanary[]> = {
  'app.last_value': ['card', 'amex'],
  'checkout.customer': ['card', 'amex'],
  'app.payment.card': ['card', 'amex'],
  'app.contact.phone': ['card', 'amex', 'phone', 'phoneUk'],
  'app.caller.msisdn': ['card', 'amex', 'phone', 'phoneUk', 'userId'],
  'app.last_user_id': ['card', 'amex', 'phone', 'phoneUk', 'userId'],
};
const VALUE_PLACES = NUMBER_PLACES.filter((p) => p !== 'numeric attribute (kept key)');

describe('metrics: identifiers recorded as numbers', () => {
  for (const views of [true, false]) {
    it(`no card, phone or user id number arrives as a value, sum, min, max or boundary (${views ? 'with' : 'without'} privacyViews)`, async () => {
      const policy = userPolicy();
      const cases = Object.entries(NUMBER_NAMES).flatMap(([name, canaries]) =>
        canaries.flatMap((canary) => VALUE_PLACES.map((place) => ({ name, canary, place }))),
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...cases), fc.boolean(), async ({ name, canary, place }, negative) => {
          const value = NUMBER_CANARIES[canary] * (negative && place.includes('gauge') ? -1 : 1);
          const before = policy.counters.identifierValues;
          const s = writeNumber(policy, views, place, value, name);
          const out = dump(await exported(s));
          await s.provider.shutdown();
          expect(
            leaked(out, [String(Math.abs(value)), Math.abs(value).toExponential()]),
            `${canary} as ${place} of ${name}`,
          ).toEqual([]);
          expect(out, 'the rest of the export still arrives').toContain('fake-shop');
          expect(policy.counters.identifierValues, 'the dropped point is counted').toBeGreaterThan(before);
          expect(s.reader.privacyExporter.stats.identifierValues).toBeGreaterThan(0);
        }),
        { numRuns: 200, seed: 20261205 },
      );
    });
  }

  it('a cumulative counter that once recorded a card number is not exported afterwards (card + n would still be it)', async () => {
    const policy = userPolicy();
    const s = setup(policy, { views: true });
    const counter = s.provider.getMeter('app.meter').createCounter('app.last_value', { valueType: ValueType.INT });
    counter.add(NUMBER_CANARIES.card, { 'http.route': '/checkout' });
    expect(dump(await exported(s))).not.toContain('4111111111111');
    counter.add(1, { 'http.route': '/checkout' }); // 4111111111111112: not Luhn-valid, still the card
    counter.add(5, { 'http.route': '/other' }); // a second series of the same instrument
    const later = dump(await exported(s));
    expect(later).not.toContain('4111111111111');
    expect(later).not.toContain('app.last_value');
    expect(s.reader.privacyExporter.stats.identifierValues).toBe(3);
  });
});

describe('metrics: the number checks follow the values settings', () => {
  it('values.scanNumbers: false turns them off; a detector list without payment-card does not check cards', async () => {
    const base = { version: 1 as const, keys: { hmac: { id: 'k1', env: KEY_ENV } } };
    const cases = [
      { values: { detectors: 'all' as const }, exported: false },
      { values: { detectors: 'all' as const, scanNumbers: false }, exported: true },
      { values: { detectors: ['email' as const, 'phone' as const] }, exported: true },
      { values: { detectors: ['payment-card' as const] }, exported: false },
    ];
    for (const { values, exported: expectExported } of cases) {
      const s = setup(definePolicy({ ...base, values }), { views: true });
      s.provider
        .getMeter('app.meter')
        .createGauge('app.last_value', { valueType: ValueType.INT })
        .record(4111111111111111);
      const out = dump(await exported(s));
      expect(out.includes('4111111111111111'), JSON.stringify(values)).toBe(expectExported);
      expect(s.reader.privacyExporter.stats.identifierValues, JSON.stringify(values)).toBe(expectExported ? 0 : 1);
    }
  });
});

/** Ordinary metric values: latencies, byte and bit counts, nanosecond times, request counts, timestamps, ratios. */
const ordinary = fc.oneof(
  fc.record({ unit: fc.constant('ms'), value: fc.double({ min: 0, max: 1e7, noNaN: true }), int: fc.constant(false) }),
  fc.record({ unit: fc.constant('s'), value: fc.double({ min: 0, max: 1e6, noNaN: true }), int: fc.constant(false) }),
  fc.record({
    unit: fc.constantFrom('By', 'KiBy', 'bit', 'By/s'),
    // up to 15 digits (0.89 PiB): a 16-digit card-shaped quantity is cut to six digits (metric-quantity-cards.test.ts)
    value: fc.integer({ min: 0, max: 999_999_999_999_999 }),
    int: fc.constant(true),
  }),
  fc.record({
    unit: fc.constantFrom('ns', 'us'),
    value: fc.integer({ min: 0, max: 999_999_999_999_999 }),
    int: fc.constant(true),
  }),
  fc.record({
    unit: fc.constantFrom('', '1', '{request}', '{connection}'),
    value: fc.integer({ min: 0, max: 999_999_999_999 }),
    int: fc.constant(true),
  }),
  fc.record({
    unit: fc.constant('ms'),
    value: fc.integer({ min: 1_500_000_000_000, max: 2_500_000_000_000 }),
    int: fc.constant(true),
  }), // epoch ms
  fc.record({
    unit: fc.constant(''),
    value: fc.integer({ min: 1_500_000_000_000, max: 2_500_000_000_000 }),
    int: fc.constant(true),
  }), // epoch ms, no unit
  fc.record({ unit: fc.constant('%'), value: fc.double({ min: 0, max: 100, noNaN: true }), int: fc.constant(false) }),
);
const ORDINARY_NAMES = [
  'http.server.request.duration',
  'app.bytes.sent',
  'app.orders',
  'app.cards.issued',
  'app.phone.calls.active',
  'process.cpu.time',
];

describe('metrics: ordinary values are not touched', () => {
  it('latencies, byte counts, counters and timestamps arrive as recorded (no point dropped, nothing counted)', async () => {
    const policy = userPolicy();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(ordinary, fc.constantFrom(...ORDINARY_NAMES), fc.constantFrom('counter', 'gauge', 'histogram')),
          { minLength: 1, maxLength: 8 },
        ),
        async (recordings) => {
          const s = setup(policy, { views: true, temporality: AggregationTemporality.DELTA });
          const meter = s.provider.getMeter('app.meter');
          const expected = new Set<number>();
          recordings.forEach(([{ unit, value, int }, base, kind], i) => {
            // Under a name that says phone, a count with no unit and 10+ digits is read as a phone number (documented).
            const phoneRead = base.includes('phone') && /^(?:1?|\{.*\})$/.test(unit) && value >= 1e9;
            const name = `${phoneRead ? 'app.calls.active' : base}.${i}`;
            const options = { unit, ...(int ? { valueType: ValueType.INT } : {}) };
            const v = int ? Math.trunc(value) : value;
            if (kind === 'counter') meter.createCounter(name, options).add(v);
            else if (kind === 'gauge') meter.createGauge(name, options).record(v);
            else meter.createHistogram(name, options).record(v);
            expected.add(v);
          });
          const metrics = (await exported(s)).flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics));
          await s.provider.shutdown();
          expect(s.reader.privacyExporter.stats.identifierValues).toBe(0);
          expect(metrics).toHaveLength(recordings.length);
          for (const m of metrics) {
            const p = m.dataPoints[0]!;
            const v = typeof p.value === 'number' ? p.value : (p.value as { sum: number }).sum;
            expect(expected.has(v), `${m.descriptor.name} ${v}`).toBe(true);
          }
        },
      ),
      { numRuns: 150, seed: 20261205 },
    );
  });
});
