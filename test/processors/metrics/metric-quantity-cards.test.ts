import { AggregationTemporality, InMemoryMetricExporter, MeterProvider } from '@opentelemetry/sdk-metrics';
import { JsonMetricsSerializer } from '@opentelemetry/otlp-transformer';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacyMetricReader, definePolicy, privacyViews } from '../../../index';
import type { Policy } from '../../../index';
import { cardNumbers } from '../../assurance/canaries';
import { fuzzParameters } from '../../assurance/fuzz-runs';

// An outside attack: a 16-digit card number recorded under a byte, bit, nanosecond or microsecond unit was exported
// as recorded (those units vouched for every number under them). It is now cut to its first six digits, never
// dropped. Real SDK MeterProvider, `privacyViews`, a `PrivacyMetricReader` and an in-memory exporter; the export is
// read as OTLP/JSON.

let policy: Policy;
const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
beforeAll(() => {
  process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x4d).toString('base64')}`; // fake test key
  policy = definePolicy({ version: 1, extends: 'default', attributes: { allow: ['app.*'] }, values: {} });
});
afterAll(() => {
  if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
});

type Field = 'gauge' | 'counter' | 'up-down' | 'histogram' | 'boundary';

/** Records `values` into the `field` of an instrument with `unit`; returns the exported OTLP/JSON and the stats. */
async function exported(
  field: Field,
  unit: string,
  values: readonly number[],
): Promise<{ text: string; rounded: number; dropped: number }> {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PrivacyMetricReader({ policy, exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ views: privacyViews(policy), readers: [reader] });
  try {
    const meter = provider.getMeter('app');
    const name = 'app.transfer.size';
    for (const value of values) {
      if (field === 'gauge') meter.createGauge(name, { unit }).record(value);
      else if (field === 'counter') meter.createCounter(name, { unit }).add(value);
      else if (field === 'up-down') meter.createUpDownCounter(name, { unit }).add(value);
      else if (field === 'histogram') meter.createHistogram(name, { unit }).record(value);
      else meter.createHistogram(name, { unit, advice: { explicitBucketBoundaries: [1, value] } }).record(0.5);
    }
    await reader.forceFlush();
    const text = exporter
      .getMetrics()
      .map((rm) => Buffer.from(JsonMetricsSerializer.serializeRequest(rm)!).toString())
      .join('\n');
    const stats = reader.privacyExporter.stats;
    return { text, rounded: stats.roundedIdentifierDigits, dropped: stats.identifierValues };
  } finally {
    await provider.shutdown();
  }
}

const quantityUnit = fc.constantFrom('By', 'KiBy', 'MBy', 'bit', 'kbit', 'By/s', 'ns', 'us', 'µs');
const field = fc.constantFrom<Field>('gauge', 'counter', 'up-down', 'histogram', 'boundary');

describe('a 16-digit card number under a byte, bit, ns or us unit (real MeterProvider, privacyViews, PrivacyMetricReader)', () => {
  it('is never exported, and the point is kept with its first six digits', async () => {
    await fc.assert(
      fc.asyncProperty(
        cardNumbers.filter((c) => c >= 1e15),
        quantityUnit,
        field,
        fc.constantFrom(0, 0.5),
        async (card, unit, f, fraction) => {
          // above 2^52 a double has no halves: the card plus one half is another integer
          fc.pre(Math.floor(card + fraction) === card);
          const { text, rounded, dropped } = await exported(f, unit, [card + fraction]);
          expect(text).not.toContain(String(card));
          expect(dropped).toBe(0);
          expect(rounded).toBeGreaterThan(0);
          expect(text).toContain(String(Math.floor(card / 1e10) * 1e10));
        },
      ),
      fuzzParameters(60),
    );
  });

  it('leaves ordinary quantities as recorded: values below 10^15, and 16-digit values no card network issues', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: 0, max: 999_999_999_999_999 }), fc.constantFrom(1e15, 9_007_199_254_740_991)),
        quantityUnit,
        field,
        async (value, unit, f) => {
          const { text, rounded, dropped } = await exported(f, unit, [value]);
          expect(dropped).toBe(0);
          expect(rounded).toBe(0);
          expect(text).toContain(String(value));
        },
      ),
      fuzzParameters(60),
    );
  });
});

/** `value` with its digits after the first six set to zero (toward zero). */
const firstSix = (value: number): number => {
  const unit = 10 ** (String(Math.trunc(Math.abs(value))).length - 6);
  return Math.sign(value) * Math.floor(Math.abs(value) / unit) * unit;
};

describe('a card number next to its Luhn-invalid neighbours (real MeterProvider, privacyViews, PrivacyMetricReader)', () => {
  it('a neighbour (card ± 1 … 9) as a gauge, counter or histogram value is exported cut to six digits, not dropped', async () => {
    await fc.assert(
      fc.asyncProperty(
        cardNumbers,
        fc.integer({ min: -9, max: 9 }).filter((k) => k !== 0),
        fc.constantFrom('', '1', '{request}', 's', 'ms', '%', 'By/{x}'),
        fc.constantFrom<Field>('gauge', 'counter', 'up-down', 'histogram', 'boundary'),
        async (card, k, unit, f) => {
          const neighbour = card + k;
          // the neighbour with a valid Luhn digit is a card itself (dropped, as before); ±10 changes another digit
          fc.pre(!luhn(String(neighbour)));
          // a known limit: a neighbour across the issuer prefix (`3999999999999997` for `4000000000000002`)
          fc.pre(String(neighbour).slice(0, 6) === String(card).slice(0, 6));
          const { text, dropped } = await exported(f, unit, [neighbour]);
          expect(text).not.toContain(String(neighbour));
          expect(text).not.toContain(String(card));
          expect(dropped).toBe(0);
          expect(text).toContain(String(firstSix(neighbour)));
        },
      ),
      fuzzParameters(60),
    );
  });
});

function luhn(d: string): boolean {
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let x = d.charCodeAt(d.length - 1 - i) - 48;
    if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
    sum += x;
  }
  return sum % 10 === 0;
}

/** Fake phone numbers without `+`: North American 555 numbers with and without the country code, UK drama numbers. */
const phoneNumbers = fc.oneof(
  fc
    .tuple(fc.integer({ min: 201, max: 989 }), fc.integer({ min: 100, max: 199 }))
    .map(([area, line]) => Number(`1${area}555${String(line).padStart(4, '0')}`)),
  fc
    .tuple(fc.integer({ min: 201, max: 989 }), fc.integer({ min: 100, max: 199 }))
    .map(([area, line]) => Number(`${area}555${String(line).padStart(4, '0')}`)),
  fc.integer({ min: 0, max: 999 }).map((n) => Number(`447700900${String(n).padStart(3, '0')}`)),
);

describe('a phone number under a unit of seconds, minutes, hours or days (real MeterProvider, privacyViews, PrivacyMetricReader)', () => {
  it('is exported cut to its first six digits, not dropped, whatever the instrument is named', async () => {
    await fc.assert(
      fc.asyncProperty(
        // a known limit: below 4102444800 (epoch seconds of 2100) a value is read as a time
        phoneNumbers.filter((p) => p >= 4_102_444_800 && !/^(?:28|80[1-79]|83|89)/.test(String(p))),
        fc.constantFrom('s', 'min', 'h', 'd'),
        fc.constantFrom<Field>('gauge', 'counter', 'up-down', 'histogram', 'boundary'),
        async (phone, unit, f) => {
          const { text, dropped } = await exported(f, unit, [phone]);
          expect(text).not.toContain(String(phone));
          expect(dropped).toBe(0);
          expect(text).toContain(String(firstSix(phone)));
        },
      ),
      fuzzParameters(60),
    );
  });

  it('leaves epoch seconds and durations below 10^9 as recorded', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: 0, max: 999_999_999 }), fc.integer({ min: 978_307_200, max: 4_102_444_800 })),
        fc.constantFrom('s', 'min', 'h', 'd'),
        fc.constantFrom<Field>('gauge', 'counter', 'histogram'),
        async (value, unit, f) => {
          const { text, rounded } = await exported(f, unit, [value]);
          expect(rounded).toBe(0);
          expect(text).toContain(String(value));
        },
      ),
      fuzzParameters(40),
    );
  });
});
