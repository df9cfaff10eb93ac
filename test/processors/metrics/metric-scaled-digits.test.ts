import { AggregationTemporality, InMemoryMetricExporter, MeterProvider } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrivacyMetricReader, privacyViews } from '../../../index';
import { cardNumbers } from '../../assurance/canaries';
import { fuzzParameters } from '../../assurance/fuzz-runs';
import { exportedMetric, metricTestPolicy } from '../../assurance/helpers/metric-export';
import type { MetricField } from '../../assurance/helpers/metric-export';

// An outside attack: a card number scaled by a power of ten keeps every digit in the double (`4111.111111111111`,
// `0.4111111111111111`, `4.111111111111111e21`, `4111111111111111000`) and was exported as recorded, in a gauge, a
// counter, a histogram's sum, minimum and maximum and in explicit bucket boundaries, as was a phone number scaled
// under a phone instrument (`202555.0143`): the metric check read only a value's integer part. The same numbers as
// attributes were caught by their significant digits. Real SDK 3.x MeterProvider, `privacyViews`, a
// `PrivacyMetricReader` and an in-memory exporter; the export is read as OTLP/JSON.

const policy = metricTestPolicy();

type Field = MetricField;

/** Records `value` into the `field` of an instrument named `name`; returns the exported OTLP/JSON and the stats. */
const exported = (field: Field, name: string, value: number) => exportedMetric(policy(), field, name, '', [value]);

/** Scaling operators: a card's digits times a power of ten, as a double (`×10^k`) or read from e-notation. */
const scaled = fc.oneof(
  fc.integer({ min: -20, max: 8 }).map((k) => (card: number) => card * 10 ** k),
  fc.integer({ min: -20, max: 8 }).map((k) => (card: number) => card / 10 ** -k),
  fc.integer({ min: -30, max: 30 }).map((k) => (card: number) => Number(`${card}e${k}`)),
);

/** The significant digits of a number's shortest decimal form (what an OTLP/JSON reader sees). */
const significant = (v: number) =>
  String(v)
    .split('e')[0]!
    .replace(/[^0-9]/g, '')
    .replace(/^0+|0+$/g, '');

/**
 * The digits of each number in the exported OTLP/JSON, one string per number (sign, point and exponent dropped): the
 * digits of one field are never joined to the next field's (a rounded `271200000` followed by a time stamp starting
 * with `1` is no phone number `2712000001`).
 */
const numberDigits = (text: string): string[] =>
  (text.match(/\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g) ?? []).map((n) => n.replace(/[^0-9]/g, ''));

describe('outside attack: card and phone digits in scaled metric values', () => {
  it('a card number scaled by a power of ten is not exported in any number field of a point', async () => {
    await fc.assert(
      fc.asyncProperty(
        cardNumbers,
        scaled,
        fc.constantFrom(1, -1),
        fc.constantFrom<Field>('gauge', 'counter', 'up-down', 'histogram', 'boundary'),
        async (card, scale, sign, field) => {
          const value = sign * scale(card);
          const digits = String(card).replace(/0+$/, '');
          // only values whose double still carries every digit of the card (the attack); a card ending in four zeros
          // or more has 12 significant digits, which the guard does not pad into a card (amounts: docs/detectors.md)
          fc.pre(
            significant(value) === digits &&
              digits.length >= 13 &&
              !(Number.isInteger(value) && Math.abs(value) <= 2 ** 53),
          );
          const { text, rounded, dropped } = await exported(field, 'app.value', value);
          expect(numberDigits(text).filter((d) => d.includes(digits))).toEqual([]);
          expect(rounded + dropped).toBeGreaterThan(0);
        },
      ),
      fuzzParameters(120),
    );
  });

  it('a phone number scaled under a phone instrument is not exported', async () => {
    const nanp = fc
      .tuple(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 9 }))
      .chain(([a, b, c]) =>
        fc.integer({ min: 2_000_000, max: 9_999_999 }).map((local) => Number(`${a}${b}${c}${local}`)),
      )
      .filter((n) => n % 10 !== 0);
    await fc.assert(
      fc.asyncProperty(
        nanp,
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom<Field>('gauge', 'histogram'),
        async (phone, k, field) => {
          const value = phone / 10 ** k;
          fc.pre(significant(value) === String(phone));
          const { text, rounded, dropped } = await exported(field, 'app.customer_phone', value);
          expect(numberDigits(text).filter((d) => d.includes(String(phone)))).toEqual([]);
          expect(rounded + dropped).toBeGreaterThan(0);
        },
      ),
      fuzzParameters(40),
    );
  });

  it('under a phone instrument, 11 to 15 digits that no phone number starts with (28, 83, 80…) are exported as recorded', async () => {
    // (no country code starts 28, 83, 89 or 80 other than 800/808; a number without one has exactly ten digits)
    const notPhone = fc
      .tuple(
        fc.constantFrom('28', '83', '801', '805', '807'),
        fc.integer({ min: 11, max: 15 }),
        fc.integer({ min: 2, max: 9 }),
        fc.bigInt({ min: 0n, max: 10n ** 13n }),
      )
      .map(([head, len, next, rest]) => `${head}${next}${rest}`.slice(0, len).padEnd(len, '7').replace(/0$/, '3'));
    await fc.assert(
      fc.asyncProperty(notPhone, fc.integer({ min: 1, max: 9 }), async (digits, k) => {
        const value = Number(digits) / 10 ** k;
        fc.pre(significant(value) === digits);
        const { rounded, dropped } = await exported('gauge', 'app.customer_phone', value);
        expect({ digits, rounded, dropped }).toEqual({ digits, rounded: 0, dropped: 0 });
      }),
      fuzzParameters(40),
    );
  });

  it('ordinary doubles (ratios, latencies, rates) are exported, none dropped, within 10^-5 of what was recorded', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1e7, noNaN: true }),
          fc.tuple(fc.integer({ min: 0, max: 1e7 }), fc.integer({ min: 1, max: 1e7 })).map(([a, b]) => a / b),
        ),
        fc.constantFrom<Field>('gauge', 'histogram'),
        async (value, field) => {
          const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
          const reader = new PrivacyMetricReader({ policy: policy(), exporter, exportIntervalMillis: 3_600_000 });
          const provider = new MeterProvider({ views: privacyViews(policy()), readers: [reader] });
          const meter = provider.getMeter('app');
          if (field === 'gauge') meter.createGauge('app.ratio', { unit: '1' }).record(value);
          else meter.createHistogram('app.latency').record(value);
          await reader.forceFlush();
          const point = exporter.getMetrics().at(-1)!.scopeMetrics[0]!.metrics[0]!.dataPoints[0]!;
          const out = field === 'gauge' ? (point.value as number) : (point.value as { sum: number }).sum;
          expect(Math.abs(out - value)).toBeLessThanOrEqual(Math.abs(value) * 1e-5);
          expect(reader.privacyExporter.stats.identifierValues).toBe(0);
          await provider.shutdown();
        },
      ),
      fuzzParameters(80),
    );
  });
});
