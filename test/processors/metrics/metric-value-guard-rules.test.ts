import { ValueType } from '@opentelemetry/api';
import type { MetricDescriptor } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { validCardPrefix } from '../../../engine/detectors/payment-card';
import { e164Shaped, identifierValueKind, metricValueGuard } from '../../../processors/metrics/metric-value-guard';
import { luhnCheckDigit } from '../../assurance/canaries';
import { makePolicy, metricOf, pipeline, pointsOf } from './metric-test-kit';

// The documented rules of docs/policy.md "Numbers that are identifiers", written again from the text (strings and
// BigInt, not the guard's arithmetic), compared with the guard on numbers built around each rule's edges.

const descriptor = (name: string, unit = '', description = ''): MetricDescriptor => ({
  name,
  description,
  unit,
  valueType: ValueType.DOUBLE,
});

/** Luhn over a digit string, from the right (written independently of the library's two implementations). */
function luhnOk(digits: string): boolean {
  const sum = [...digits]
    .reverse()
    .map((c, i) => (i % 2 === 1 ? [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][Number(c)]! : Number(c)))
    .reduce((a, b) => a + b, 0);
  return sum % 10 === 0;
}

/** A card number: 13 to 19 digits, a network's prefix for that length, Luhn. */
const cardDigits = (d: string): boolean =>
  d.length >= 13 && d.length <= 19 && validCardPrefix(Number(d.slice(0, 6)), d.length) && luhnOk(d);

/**
 * An international number without `+`: `1` and ten digits whose area code and exchange start with 2-9, or 10 to 15
 * digits outside zone 1 not starting with the unassigned 28, 83, 89, or 80 but 800/808.
 */
function phoneDigits(d: string): boolean {
  if (d[0] === '1') return d.length === 11 && d[1]! >= '2' && d[4]! >= '2';
  if (d.length < 10 || d.length > 15) return false;
  if (['28', '83', '89'].includes(d.slice(0, 2))) return false;
  if (d.startsWith('80')) return d[2] === '0' || d[2] === '8';
  return true;
}

/** The decimal digits of a double's integer part, exactly as the receiver's exact reading of the double gives them. */
const integerDigits = (v: number): string => BigInt(Math.floor(Math.abs(v))).toString();

function oracleKind(v: number, phoneInstrument: boolean): string | undefined {
  if (!Number.isFinite(v) || Math.abs(v) >= 1e20) return undefined;
  const d = integerDigits(v);
  if (phoneInstrument && phoneDigits(d)) return 'phone';
  return cardDigits(d) ? 'payment-card' : undefined;
}

/** A fake card of `length` digits starting with `prefix`, Luhn-completed. */
const cardOf = (prefix: string, body: string, length: number): string => {
  const partial = (prefix + body).padEnd(length - 1, '0').slice(0, length - 1);
  return partial + luhnCheckDigit(partial);
};

const PREFIXES = [
  '4',
  '51',
  '55',
  '2221',
  '2720',
  '34',
  '37',
  '6011',
  '644',
  '65',
  '3528',
  '3589',
  '300',
  '36',
  '38',
  '39',
  '62',
  '2200',
  '2204',
];

/** The first double at or above `v` whose exact integer digits are a card (`v` itself when none of the next 40 is). */
function exactCard(v: number): number {
  const ulp = Math.max(1, 2 ** (Math.floor(Math.log2(v)) - 52));
  for (let k = 0; k < 40; k++) if (cardDigits(integerDigits(v + k * ulp))) return v + k * ulp;
  return v;
}

/** Numbers at the edges of the documented rules: cards of every length (also beyond 2^53), neighbours, powers of ten, phones. */
const edgeNumbers = fc
  .oneof(
    fc
      .tuple(fc.constantFrom(...PREFIXES), fc.stringMatching(/^\d{19}$/), fc.integer({ min: 12, max: 20 }))
      .map(([p, body, len]) => Number(cardOf(p, body, len))),
    // a card of 17 to 19 digits as the double that holds it exactly (past 2^53 most card strings round to a non-card)
    fc
      .tuple(fc.constantFrom(...PREFIXES), fc.stringMatching(/^\d{19}$/), fc.integer({ min: 17, max: 19 }))
      .map(([p, body, len]) => exactCard(Number(cardOf(p, body, len)))),
    fc.integer({ min: 9, max: 20 }).map((k) => 10 ** k),
    fc
      .tuple(
        fc.stringMatching(/^[1-9]\d{8,15}$/),
        fc.constantFrom('', '1', '44', '28', '80', '800', '808', '83', '89', '12'),
      )
      .map(([d, cc]) => Number((cc + d).slice(0, 16))),
    fc.double({ min: 1e9, max: 1e20, noNaN: true }),
  )
  .chain((v) =>
    fc.oneof(
      fc.constant(v),
      fc.integer({ min: -9, max: 9 }).map((k) => v + k),
      fc.constant(-v),
      fc.double({ min: 0, max: 0.99, noNaN: true }).map((f) => v + f),
    ),
  );

describe('metric value guard against the documented rules', () => {
  it('identifierValueKind: a card (13-19 digits, also past 2^53) anywhere, a phone number under a phone instrument only', () => {
    const plain = metricValueGuard(descriptor('app.last_value'))!;
    const phone = metricValueGuard(descriptor('app.contact.phone'))!;
    const phoneByDescription = metricValueGuard(descriptor('app.contact', '{call}', 'the caller'))!;
    const phoneInTime = metricValueGuard(descriptor('app.contact.phone', 'ms'))!;
    fc.assert(
      fc.property(edgeNumbers, (v) => {
        expect(identifierValueKind(plain, v), String(v)).toBe(oracleKind(v, false));
        expect(identifierValueKind(phone, v), String(v)).toBe(oracleKind(v, true));
        expect(identifierValueKind(phoneByDescription, v), String(v)).toBe(oracleKind(v, true));
        expect(identifierValueKind(phoneInTime, v), String(v)).toBe(oracleKind(v, false));
      }),
      { numRuns: 3000, seed: 20261206 },
    );
  });

  it('e164Shaped: every 10 to 15 digit shape the docs name, both sides of each edge', () => {
    const cases: string[] = [];
    for (const head of [
      '1',
      '10',
      '11',
      '12',
      '19',
      '2',
      '20',
      '27',
      '28',
      '29',
      '3',
      '79',
      '80',
      '800',
      '801',
      '807',
      '808',
      '809',
      '81',
      '82',
      '83',
      '84',
      '88',
      '89',
      '9',
    ])
      for (let len = 9; len <= 16; len++)
        for (const fill of ['0', '2', '9', '1']) cases.push((head + fill.repeat(len)).slice(0, len));
    for (const d of cases) {
      const v = Number(d);
      expect(e164Shaped(v), d).toBe(phoneDigits(d));
    }
  });

  it('an instrument named for an identifier: every person word, separator and identifier word, and what does not make one', () => {
    const people = ['user', 'customer', 'account', 'member', 'subscriber', 'client', 'person', 'patient', 'employee'];
    const ids = ['id', 'number', 'no', 'num'];
    const bare = ['uid', 'ssn', 'iban', 'msisdn', 'imei', 'imsi'];
    const seps = ['', '.', '_', '-', ' ', 'x', '/', '0'];
    const ends = ['', '.count', '_total', 's', 'x', '2'];
    const starts = ['', 'app.', 'app_', 'my', '2'];
    const joins = (s: string) => s === '' || '._- '.includes(s);
    const endsWell = (e: string) => e === '' || !/^[a-z]/i.test(e);
    for (const start of starts)
      for (const end of ends) {
        for (const sep of seps) {
          for (const p of people)
            for (const id of ids) {
              const name = `${start}${p}${sep}${id}${end}`;
              expect(metricValueGuard(descriptor(name))!.identifierInstrument, name).toBe(joins(sep) && endsWell(end));
              const upper = name.toUpperCase();
              expect(metricValueGuard(descriptor(upper))!.identifierInstrument, upper).toBe(
                joins(sep) && endsWell(end),
              );
            }
          for (const id of ['number', 'no', 'num']) {
            const name = `${start}card${sep}${id}${end}`;
            expect(metricValueGuard(descriptor(name))!.identifierInstrument, name).toBe(joins(sep) && endsWell(end));
          }
        }
        for (const b of bare) {
          const name = `${start}${b}${end}`;
          const startsWell = start === '' || !/[a-z]$/i.test(start);
          expect(metricValueGuard(descriptor(name))!.identifierInstrument, name).toBe(startsWell && endsWell(end));
        }
      }
    // only the name decides; a description that says so does not
    expect(metricValueGuard(descriptor('app.value', '', 'the user id'))!.identifierInstrument).toBe(false);
  });
});

/** The first six digits of `v`'s integer part, the rest zeros, toward zero (the documented cut). */
const cutToSix = (v: number): number => {
  const d = integerDigits(v);
  const t = Number(d.slice(0, 6) + '0'.repeat(d.length - 6));
  return v < 0 ? -t : t;
};

/** A number within 9 of `d` (as an integer) has a card network's prefix for its own length. */
const nearPrefix = (d: string): boolean => {
  for (let k = -9; k <= 9; k++) {
    const w = (BigInt(d) + BigInt(k)).toString();
    if (w.length >= 12 && w.length <= 19 && validCardPrefix(Number(w.slice(0, 6)), w.length)) return true;
  }
  return false;
};

/** What the receiver gets for an integer gauge `v` under `unit` (no phone word in the name): the docs' rules. */
function exportedInteger(v: number, unit: string): number | 'dropped' {
  const d = integerDigits(v);
  if (['By', 'KiBy', 'bit', 'ns', 'us'].includes(unit))
    return d.length === 16 && validCardPrefix(Number(d.slice(0, 6)), 16) && luhnOk(d) ? cutToSix(v) : v;
  if (cardDigits(d)) return 'dropped';
  if (!Number.isSafeInteger(v) && ['{request}', '1'].includes(unit)) {
    // past 2^53 an integer is also read by its significant digits (trailing zeros of a card put back up to 16)
    const sig = String(Math.abs(v)).split('e')[0]!.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
    for (let len = sig.length; sig.length >= 13 && len <= 16; len++)
      if (cardDigits(sig.padEnd(len, '0'))) return Number(v.toPrecision(6));
  }
  if (d.length >= 13 && d.length <= 19 && (validCardPrefix(Number(d.slice(0, 6)), d.length) || nearPrefix(d)))
    return cutToSix(v);
  if (['s', 'min', 'h', 'd'].includes(unit) && Math.abs(v) >= 4102444800 && phoneDigits(d)) return cutToSix(v);
  return v;
}

describe('through a real MeterProvider and PrivacyMetricReader: the documented cuts', () => {
  const run = pipeline(makePolicy());
  afterAll(() => run.provider.shutdown());
  const phoneOnly = pipeline(makePolicy({ values: { detectors: ['phone'] } }));
  afterAll(() => phoneOnly.provider.shutdown());

  it('integers of every length around cards, their neighbours and phone shapes, in each kind of unit', async () => {
    const units = ['{request}', '1', 'ms', 's', 'min', 'h', 'd', 'By', 'ns'];
    const values = fc.sample(
      fc.oneof(
        edgeNumbers.map((v) => Math.trunc(v)),
        fc.integer({ min: 4102444700, max: 4102444900 }),
      ),
      { numRuns: 400, seed: 6 },
    );
    const meter = run.meter('value-guard-rules');
    const cases = values.map((v, i) => ({ v, unit: units[i % units.length]!, name: `app.rules.v${i}` }));
    for (const c of cases) meter.createGauge(c.name, { unit: c.unit }).record(c.v, { 'http.route': '/r' });
    const rm = await run.collect();
    for (const c of cases) {
      const got = pointsOf(metricOf(rm, c.name)).map((p) => p.value);
      const want = exportedInteger(c.v, c.unit);
      expect(got, `${c.v} ${c.unit}`).toEqual(want === 'dropped' ? [] : [want]);
    }
  });

  it('with phone checks only, a phone number scaled into a double under a phone instrument is rounded to six digits', async () => {
    const meter = phoneOnly.meter('value-guard-rules');
    meter.createGauge('app.caller.ratio').record(202555.0143, { 'http.route': '/r' });
    meter.createGauge('app.orders.ratio').record(4111.111111111111, { 'http.route': '/r' });
    const rm = await phoneOnly.collect();
    expect(pointsOf(metricOf(rm, 'app.caller.ratio')).map((p) => p.value)).toEqual([202555]);
    // no card check: the card's digits are exported as recorded (the opt-out the docs describe)
    expect(pointsOf(metricOf(rm, 'app.orders.ratio')).map((p) => p.value)).toEqual([4111.111111111111]);
  });
});

describe('exponential histogram buckets (real MeterProvider, exponential aggregation)', () => {
  const run = pipeline(makePolicy(), { exponential: true });
  afterAll(() => run.provider.shutdown());

  it('a card between its Luhn-invalid neighbours: the buckets pin it, so the point is not exported', async () => {
    const meter = run.meter('value-guard-buckets');
    const card = 4111111111111111;
    const up = meter.createHistogram('app.amount.positive', { unit: '1' });
    const far = meter.createHistogram('app.amount.ordinary', { unit: '1' });
    for (const v of [card - 1, card + 1]) {
      up.record(v, { 'http.route': '/b' });
    }
    // neighbours of a number with no network prefix (8…): buckets as narrow, nothing pinned
    for (const v of [8111111111111110, 8111111111111112]) far.record(v, { 'http.route': '/b' });
    const rm = await run.collect();
    expect(pointsOf(metricOf(rm, 'app.amount.positive'))).toEqual([]);
    expect(pointsOf(metricOf(rm, 'app.amount.ordinary'))).toHaveLength(1);
  });
});
