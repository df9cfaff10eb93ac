import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cardNumbers, luhnCheckDigit } from '../../assurance/canaries';
import { fuzzParameters } from '../../assurance/fuzz-runs';
import { exportedMetric, metricTestPolicy } from '../../assurance/helpers/metric-export';
import type { MetricField } from '../../assurance/helpers/metric-export';

// An outside attack: a 16-digit card number recorded under a byte, bit, nanosecond or microsecond unit was exported
// as recorded (those units vouched for every number under them). It is now cut to its first six digits, never
// dropped. Real SDK MeterProvider, `privacyViews`, a `PrivacyMetricReader` and an in-memory exporter; the export is
// read as OTLP/JSON.

const policy = metricTestPolicy();

type Field = MetricField;

/** Records `values` into the `field` of an instrument with `unit`; returns the exported OTLP/JSON and the stats. */
const exported = (field: Field, unit: string, values: readonly number[]) =>
  exportedMetric(policy(), field, 'app.transfer.size', unit, values);

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

/**
 * Cards of 13 to 16 digits at the first or last number of an issuer prefix range (`4000000000006`, `2221000000000009`,
 * `349999999999991`), whose neighbours cross into a prefix no network issues at that length
 * (`3999999999999` for `4000000000006`, `3590000000000001` for `3589999999999994`) or into another network's.
 */
const edgeCards = fc
  .tuple(
    fc.constantFrom<[number, number, number]>(
      // [first prefix, last prefix, length]
      [400000, 499999, 13],
      [400000, 499999, 16],
      [510000, 559999, 16],
      [222100, 272099, 16],
      [340000, 349999, 15],
      [370000, 379999, 15],
      [601100, 601199, 16],
      [352800, 358999, 16],
      [300000, 305999, 14],
      [220000, 220499, 16],
    ),
    fc.boolean(),
  )
  .map(([[first, last, length], low]) => {
    const body = low ? `${first}${'0'.repeat(length - 7)}` : `${last}${'9'.repeat(length - 7)}`;
    return Number(body + luhnCheckDigit(body));
  });

describe('a card number next to its Luhn-invalid neighbours (real MeterProvider, privacyViews, PrivacyMetricReader)', () => {
  it('a neighbour (card ± 1 … 9), also across the issuer prefix, as a gauge, counter or histogram value is exported cut to six digits, not dropped', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(cardNumbers, edgeCards),
        fc.integer({ min: -9, max: 9 }).filter((k) => k !== 0),
        fc.constantFrom('', '1', '{request}', 's', 'ms', '%', 'By/{x}'),
        fc.constantFrom<Field>('gauge', 'counter', 'up-down', 'histogram', 'boundary'),
        async (card, k, unit, f) => {
          const neighbour = card + k;
          // the neighbour with a valid Luhn digit is a card itself (dropped, as before); ±10 changes another digit
          fc.pre(luhnCheckDigit(String(neighbour).slice(0, -1)) !== String(neighbour).slice(-1));
          // a neighbour that is its own first six digits and zeros (`370000000000000`) has nothing to cut
          fc.pre(neighbour !== firstSix(neighbour));
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
