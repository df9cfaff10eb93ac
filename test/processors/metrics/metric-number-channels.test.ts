import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  AggregationType,
  InMemoryMetricExporter,
  MeterProvider,
} from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE_CONTEXT } from '../../../engine/detectors/phone';
import { PrivacyMetricReader, defaultPolicy } from '../../../index';
import type { Policy } from '../../../index';
import { fuzzParameters } from '../../assurance/fuzz-runs';
import { cardNumbers } from '../../assurance/canaries';
import { contextWords } from '../../assurance/helpers/context-words';

// The number channels of the OTLP metrics data model an outside attack used last: a phone number recorded under an
// instrument named for phones in words the phone detector knows but the metric check did not (`mobile`, `cell`,
// `callerid`), or under any unit; a unit that only starts like a byte unit (`By/{phone}`) exempting its values; and
// exponential histogram buckets, which pin a value's leading digits while the minimum and maximum around it are not
// identifiers. Default policy, real SDK MeterProvider, PrivacyMetricReader, in-memory exporter; the export is read as
// JSON.

const hmacBefore = process.env.OTEL_PRIVACY_HMAC_KEY;
let policy: Policy;
beforeAll(() => {
  process.env.OTEL_PRIVACY_HMAC_KEY = 'fake-hmac-key-for-metric-number-channels-0123456789';
  policy = defaultPolicy();
});
afterAll(() => {
  if (hmacBefore === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = hmacBefore;
});

/** The phone detector's context words, read from its pattern (`\bcall(?:er|back)?\b` → call, caller, callback). */
const PHONE_WORDS = contextWords(PHONE_CONTEXT);

/** An instrument name built around a phone word: prefix, separator, case and an identifier suffix (operators). */
const phoneInstrument = fc
  .tuple(
    fc.constantFrom(...PHONE_WORDS),
    fc.constantFrom('', 'app.', 'user_', 'checkout.last.'),
    fc.constantFrom('', 'id', '_id', '.number', 'Number', '_no', '.last'),
    fc.constantFrom(
      (s: string) => s,
      (s: string) => s.toUpperCase(),
      (s: string) => s.charAt(0).toUpperCase() + s.slice(1),
    ),
  )
  .map(([word, prefix, suffix, cased]) => `${prefix}${cased(word)}${suffix}`);

/** A unit an application may give it: none, counts, and units that only start like a byte or time unit (not a time). */
const anyUnit = fc.constantFrom(
  '',
  '1',
  '{call}',
  '{phone}',
  '%',
  'By/{phone}',
  'By/x',
  'KiBy/{msisdn}',
  'us/{x}',
  's/{x}',
);

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n });
/** E.164 numbers without `+`: North American (1, area and exchange 2–9) and other zones (country codes 2–9). */
const phoneNumber = fc.oneof(
  fc
    .tuple(fc.integer({ min: 2, max: 9 }), digits(2), fc.integer({ min: 2, max: 9 }), digits(6))
    .map(([a, b, c, d]) => Number(`1${a}${b.join('')}${c}${d.join('')}`)),
  fc
    .tuple(fc.constantFrom('44', '49', '33', '91', '61', '81', '34', '55'), digits(9))
    .map(([cc, d]) => Number(`${cc}${d.join('')}`)),
);

type Kind = 'counter' | 'gauge' | 'histogram' | 'exponential histogram' | 'observable gauge';
const kinds: Kind[] = ['counter', 'gauge', 'histogram', 'exponential histogram', 'observable gauge'];

/** Records `values` into one instrument through a real MeterProvider; the export as JSON and the dropped points. */
async function record(name: string, unit: string, kind: Kind, values: readonly number[]) {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PrivacyMetricReader({ policy, exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'fake-shop' }),
    readers: [reader],
    views:
      kind === 'exponential histogram'
        ? [{ instrumentName: name, aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }]
        : [],
  });
  const meter = provider.getMeter('app.meter');
  const attributes = { 'http.route': '/checkout' };
  const int = { unit, valueType: ValueType.INT };
  if (kind === 'counter') for (const v of values) meter.createCounter(name, int).add(v, attributes);
  else if (kind === 'gauge') for (const v of values) meter.createGauge(name, int).record(v, attributes);
  else if (kind === 'observable gauge')
    meter.createObservableGauge(name, int).addCallback((r) => r.observe(values[values.length - 1]!, attributes));
  else for (const v of values) meter.createHistogram(name, { unit }).record(v, attributes);
  meter.createCounter('app.requests').add(1, attributes);
  await reader.forceFlush();
  const out = JSON.stringify(exporter.getMetrics());
  const dropped = reader.privacyExporter.stats.identifierValues;
  await provider.shutdown();
  return { out, dropped };
}

describe('metrics: phone numbers under instruments named in the phone vocabulary, in any unit', () => {
  it('a phone number recorded under mobile, cell, callerid, msisdn, … is not exported, in any unit but a quantity or a time', async () => {
    expect(PHONE_WORDS).toEqual(expect.arrayContaining(['mobile', 'cell', 'caller', 'msisdn']));
    await fc.assert(
      fc.asyncProperty(
        phoneInstrument,
        anyUnit,
        fc.constantFrom(...kinds),
        phoneNumber,
        async (name, unit, kind, p) => {
          const { out, dropped } = await record(name, unit, kind, [p]);
          expect(out, `${p} under ${name} [${unit}] (${kind})`).not.toContain(String(p));
          expect(out, 'the rest of the export arrives').toContain('app.requests');
          expect(dropped).toBeGreaterThan(0);
        },
      ),
      fuzzParameters(120),
    );
  }, 60_000);
});

describe('metrics: units that exempt values from the number checks', () => {
  it('a card number under a unit that only starts like bytes or microseconds (By/{card}, us/{x}) is not exported', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('By/{card}', 'By/x', 'KiBy/{pan}', 'bit/{x}', 'us/{x}', 'ns/request'),
        fc.constantFrom<Kind>('gauge', 'histogram', 'counter'),
        cardNumbers,
        async (unit, kind, card) => {
          const { out } = await record('app.last_value', unit, kind, [card]);
          expect(out, `${card} [${unit}] (${kind})`).not.toContain(String(card));
        },
      ),
      fuzzParameters(60),
    );
  }, 60_000);

  it('byte, bit and fine-time quantities (alone or per unit of time) are never dropped: a 16-digit card is cut to six digits, other large values arrive', async () => {
    for (const unit of ['By', 'KiBy', 'MBy', 'kbit', 'By/s', 'bit/s', 'MiBy/min', 'ns', 'us']) {
      const card = await record('app.transferred', unit, 'gauge', [4111111111111111]);
      expect(card.out, unit).not.toContain('4111111111111111');
      expect(card.out, unit).toContain('4111110000000000');
      expect(card.dropped, unit).toBe(0);
      const other = await record('app.transferred', unit, 'gauge', [4111111111111112]);
      expect(other.out, unit).toContain('4111111111111112');
      expect(other.dropped, unit).toBe(0);
    }
  });
});

describe('metrics: exponential histogram buckets', () => {
  it('a card number between a minimum and a maximum that are none is not exported through its bucket', async () => {
    await fc.assert(
      fc.asyncProperty(cardNumbers, async (card) => {
        // card − 1 and card + 1 fail the Luhn check: only the bucket of the card itself pins it
        const { out } = await record('app.last_value', '', 'exponential histogram', [card - 1, card, card + 1]);
        expect(out, String(card)).not.toContain(String(card).slice(0, 13));
      }),
      fuzzParameters(40),
    );
  }, 60_000);

  it('latencies, sizes and counts in exponential histograms arrive (no bucket is read as an identifier)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('ms', 's', '', '{request}'),
        // up to 20 values whose sum stays below 10^12 (a larger sum is read as a number itself, see the docs)
        fc.array(fc.integer({ min: 0, max: 49_999_999_999 }), { minLength: 1, maxLength: 20 }),
        async (unit, values) => {
          const { out, dropped } = await record('app.request.work', unit, 'exponential histogram', values);
          expect(dropped).toBe(0);
          expect(out).toContain('app.request.work');
        },
      ),
      fuzzParameters(40),
    );
  }, 60_000);
});
