import { ValueType } from '@opentelemetry/api';
import type { MetricDescriptor } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cardPrefixCut,
  e164Shaped,
  identifierValueKind,
  measurementValueGuard,
  metricNumberCut,
  metricValueGuard,
  numberChecks,
  phoneCut,
  quantityCardTruncated,
  scaledIdentifierKind,
  significantDigitsOf,
} from '../../../processors/metrics/metric-value-guard';
import { makePolicy, metricOf, pipeline, pointsOf } from './metric-test-kit';

// Rule edges of the metric number checks (docs/what-we-look-at.md, metric numbers), each pinned on both sides.

const descriptor = (name: string, unit = '', description = ''): MetricDescriptor => ({
  name,
  description,
  unit,
  valueType: ValueType.INT,
});

const RUNS = { numRuns: 200, seed: 20261206 };
const CARD = 4111111111111111; // test card: Visa prefix, Luhn-valid
const PHONE = 12025550143; // NANP with country code 1, 555 exchange range
/** Time units that are also quantity units (micro sign and Greek mu both). */
const QUANTITY_TIMES = ['ns', 'us', '\u00b5s', '\u03bcs'];

/** Units of bytes and bits with a prefix, alone or per unit of time: the documented quantity units. */
const quantityUnit = fc
  .tuple(
    fc.constantFrom('', 'K', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'k'),
    fc.constantFrom('By', 'bit', 'B'),
    fc.constantFrom('', '/s', '/ms', '/min', '/h', '/d'),
  )
  .map(([p, b, r]) => `${p}${b}${r}`);

describe('quantity units (bytes, bits, ns, us): no point dropped, only a 16-digit card cut', () => {
  it('every prefixed byte/bit unit, alone or per time, and ns/us/µs/μs are quantity units', () => {
    fc.assert(
      fc.property(fc.oneof(quantityUnit, fc.constantFrom(...QUANTITY_TIMES)), (unit) => {
        expect(metricValueGuard(descriptor('app.transfer', unit))).toBeUndefined();
        expect(metricNumberCut(undefined, unit, numberChecks(undefined))!(CARD)).toBe(4111110000000000);
      }),
      RUNS,
    );
  });

  it('one character off a quantity unit (unknown prefix, rate per non-time, lower case, extra text) is checked', () => {
    const offUnit = fc.oneof(
      quantityUnit.map((u) => `x${u}`),
      quantityUnit.map((u) => `${u}x`),
      quantityUnit.filter((u) => !u.includes('/')).map((u) => `${u}/{phone}`),
      quantityUnit.filter((u) => !u.includes('/')).map((u) => `${u}/m`),
      fc.constantFrom('mBy', 'kiBy', 'KBY', 'by', 'Bit', 'ps', 'ms', 's', 'nsec', 'us/s'),
    );
    fc.assert(
      fc.property(offUnit, (unit) => {
        const guard = metricValueGuard(descriptor('app.transfer', unit));
        expect(guard, unit).toBeDefined();
        expect(identifierValueKind(guard!, CARD)).toBe('payment-card');
      }),
      RUNS,
    );
  });

  it('an identifier name overrides a quantity unit; a name that only mentions the words does not', () => {
    const person = fc.constantFrom(
      'user',
      'customer',
      'account',
      'member',
      'subscriber',
      'client',
      'person',
      'patient',
      'employee',
    );
    const suffix = fc.constantFrom('id', 'number', 'no', 'num');
    const sep = fc.constantFrom('', '.', '_', '-', ' ');
    fc.assert(
      fc.property(
        person,
        sep,
        suffix,
        fc.constantFrom('', '.total', '_x', ' '),
        quantityUnit,
        (p, s, x, tail, unit) => {
          const name = `app.${p}${s}${x}${tail}`;
          expect(metricValueGuard(descriptor(name, unit))?.identifierInstrument, name).toBe(true);
          // a letter glued after the suffix makes it another word (`user_idle`, `account_notes`)
          expect(metricValueGuard(descriptor(`app.${p}${s}${x}le`, '1'))?.identifierInstrument).toBe(false);
        },
      ),
      RUNS,
    );
    for (const w of ['uid', 'ssn', 'iban', 'msisdn', 'imei', 'imsi']) {
      expect(metricValueGuard(descriptor(`app.${w}`, 'By'))?.identifierInstrument, w).toBe(true);
      expect(metricValueGuard(descriptor(`app.${w}x`, '1'))?.identifierInstrument, `${w}x`).toBe(false);
      expect(metricValueGuard(descriptor(`app.x${w}`, '1'))?.identifierInstrument, `x${w}`).toBe(false);
    }
    for (const name of ['app.card_number', 'app.card.no', 'app.cardnum', 'app.card-num.last'])
      expect(metricValueGuard(descriptor(name, 'By'))?.identifierInstrument, name).toBe(true);
    for (const name of ['app.card_numbers', 'app.cards_issued', 'app.card.nonce'])
      expect(metricValueGuard(descriptor(name, '1'))?.identifierInstrument, name).toBe(false);
    // under a quantity time unit an identifier instrument is still a time: no phone, nothing by significant digits
    for (const unit of QUANTITY_TIMES)
      expect(metricValueGuard(descriptor('app.caller.user_id', unit)), unit).toMatchObject({
        identifierInstrument: true,
        phoneContext: false,
        scaled: false,
      });
    expect(metricValueGuard(descriptor('app.caller.user_id', 'By'))).toMatchObject({
      phoneContext: true,
      scaled: true,
    });
    // the description does not make an identifier instrument, only the name
    expect(metricValueGuard(descriptor('app.x', '1', 'the user_id of the caller'))?.identifierInstrument).toBe(false);
  });
});

describe('time units, percent, phone words: which checks a guard makes', () => {
  const timeUnit = fc.constantFrom('s', 'ms', 'min', 'h', 'd', ...QUANTITY_TIMES);
  it('under a time unit a phone-word instrument reads no phone and nothing by significant digits; one off a time unit does', () => {
    fc.assert(
      fc.property(timeUnit, (unit) => {
        const g = metricValueGuard(descriptor('app.caller.wait', unit));
        if (QUANTITY_TIMES.includes(unit)) {
          expect(g).toBeUndefined();
          return;
        }
        expect(g).toMatchObject({ phoneContext: false, scaled: false, floor: 1e12 });
        expect(identifierValueKind(g!, PHONE)).toBeUndefined();
      }),
      RUNS,
    );
    for (const unit of ['m', 'sec', 'S', 'hr', 'ks', 'mins', 'ps', '1', '{call}', '%/s']) {
      const g = metricValueGuard(descriptor('app.caller.wait', unit))!;
      expect(g, unit).toMatchObject({ phoneContext: true, scaled: true, floor: 1e9 });
      expect(identifierValueKind(g, PHONE), unit).toBe('phone');
    }
  });

  it('a percent keeps full-precision doubles; anything else guarded reads them by significant digits', () => {
    expect(metricValueGuard(descriptor('app.ratio', '%'))?.scaled).toBe(false);
    for (const unit of ['%x', 'x%', '1', '{r}', 'm', '%%'])
      expect(metricValueGuard(descriptor('app.ratio', unit))?.scaled, unit).toBe(true);
  });

  it('phone words are read as words of the name or the description; floor 1e9 with one, 1e12 without', () => {
    for (const [name, description] of [
      ['app.userMobile', ''],
      ['caller_id.last', ''],
      ['app.x', 'last sms sent'],
      ['app.fax', ''],
    ]) {
      const g = metricValueGuard(descriptor(name!, '1', description))!;
      expect(g.phoneContext, name).toBe(true);
      expect(g.floor).toBe(1e9);
    }
    for (const name of ['app.telemetry', 'app.orders']) {
      const g = metricValueGuard(descriptor(name, '1'))!;
      expect(g.phoneContext, name).toBe(false);
      expect(g.floor).toBe(1e12);
    }
  });
});

describe('measurementValueGuard: single measurements without a unit read phones without a phone word', () => {
  it('dimensionless units ("", 1, annotations) and no running total: phone check at 1e9', () => {
    const dimensionless = fc.oneof(
      fc.constantFrom('', '1'),
      fc
        .array(fc.stringMatching(/^[a-z.]{0,6}$/), { minLength: 1, maxLength: 3 })
        .map((a) => a.map((s) => `{${s}}`).join('')),
    );
    fc.assert(
      fc.property(dimensionless, (unit) => {
        const g = measurementValueGuard(descriptor('app.value', unit), false)!;
        expect(g, unit).toMatchObject({ phoneContext: true, floor: 1e9 });
        // running totals are not read so
        expect(measurementValueGuard(descriptor('app.value', unit), true)).toMatchObject({
          phoneContext: false,
          floor: 1e12,
        });
      }),
      RUNS,
    );
    for (const unit of ['10', '1{x}', '{x}1', 'x', 'ms', '%', '{x']) {
      const g = measurementValueGuard(descriptor('app.value', unit), false);
      expect(g?.phoneContext, unit).toBe(false);
    }
    expect(measurementValueGuard(descriptor('app.value', 'By'), false)).toBeUndefined();
  });
});

describe('identifierValueKind: floor, magnitude cap, fraction, lengths', () => {
  it('values just below the floor are never read; at the floor they are', () => {
    const card = metricValueGuard(descriptor('app.value', '1'))!;
    // 1e12 is the floor itself; 13-digit cards start at 1e12
    expect(identifierValueKind({ ...card, floor: 4000000000006 }, 4000000000006)).toBe('payment-card');
    expect(identifierValueKind({ ...card, floor: 4000000000007 }, 4000000000006)).toBeUndefined();
    const phone = metricValueGuard(descriptor('app.phone', '1'))!;
    expect(identifierValueKind(phone, 2025550143)).toBe('phone'); // 10 digits
    expect(identifierValueKind(phone, 999999999)).toBeUndefined(); // 9 digits, below the floor
    expect(identifierValueKind(phone, NaN)).toBeUndefined();
  });

  it('a fraction or a sign does not hide the integer part', () => {
    const g = metricValueGuard(descriptor('app.value', '1'))!;
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.999, noNaN: true }), fc.boolean(), (f, neg) => {
        const v = (CARD + f) * (neg ? -1 : 1);
        if (Math.abs(Math.floor(Math.abs(v))) !== CARD) return;
        expect(identifierValueKind(g, v)).toBe('payment-card');
      }),
      RUNS,
    );
  });

  it('card lengths 13 to 19 are read; a Luhn-valid 12- or 20-digit number with a card prefix is not', () => {
    const g = metricValueGuard(descriptor('app.value', '1'))!;
    expect(identifierValueKind(g, 4000000000006)).toBe('payment-card'); // 13-digit Visa
    expect(identifierValueKind(g, 4e18)).toBeUndefined(); // 19 digits, Luhn-invalid
    expect(identifierValueKind(g, 400000000009)).toBeUndefined(); // 12 digits
    // counts up to 12 digits are never read as cards (docs/policy.md), not even a Luhn-valid 12-digit Maestro
    expect(identifierValueKind({ ...g, floor: 1 }, 500000000009)).toBeUndefined();
    expect(identifierValueKind(g, 5000000000005)).toBe('payment-card'); // 13-digit Maestro
    expect(identifierValueKind(g, 1e20)).toBeUndefined();
    expect(identifierValueKind(g, CARD, { card: false, phone: true })).toBeUndefined();
    const phone = metricValueGuard(descriptor('app.phone', '1'))!;
    expect(identifierValueKind(phone, PHONE, { card: true, phone: false })).toBeUndefined();
  });
});

describe('e164Shaped: country code 1, length 10-15, unassigned codes', () => {
  it('with a leading 1 only 11 digits with area code and exchange from 2', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 99_999 }),
        (a, e, rest) => {
          // 1 a 0 0 e rest(5 digits... padded) -> 11 digits: 1 A A A E E E X X X X
          const v = Number(`1${a}00${e}${String(rest).padStart(6, '0')}`);
          expect(e164Shaped(v)).toBe(a >= 2 && e >= 2);
          expect(e164Shaped(Number(`1${a}00${e}${String(rest).padStart(5, '0')}`))).toBe(false); // 10 digits from 1
          expect(e164Shaped(Number(`1${a}00${e}${String(rest).padStart(7, '0')}`))).toBe(false); // 12 digits from 1
        },
      ),
      RUNS,
    );
  });

  it('10 to 15 digits from 2-9 but 28x, 83x, 89x and 80x other than 800/808 (every two- and three-digit start)', () => {
    for (let two = 20; two <= 99; two++)
      for (let third = 0; third <= 9; third++) {
        const assigned = two !== 28 && two !== 83 && two !== 89 && (two !== 80 || third === 0 || third === 8);
        for (const len of [9, 10, 15, 16]) {
          const v = Number(`${two}${third}`.padEnd(len, '5'));
          expect(e164Shaped(v), String(v)).toBe(len >= 10 && len <= 15 && assigned);
        }
      }
  });
});

describe('export cuts: quantity card, card prefix, phone under coarse time', () => {
  it('quantityCardTruncated reads 16 digits only', () => {
    expect(quantityCardTruncated(CARD)).toBe(4111110000000000);
    expect(quantityCardTruncated(-CARD)).toBe(-4111110000000000);
    expect(quantityCardTruncated(CARD + 0.5)).toBe(4111110000000000);
    expect(quantityCardTruncated(4000000000006)).toBe(4000000000006); // 13-digit card: ordinary quantity here
    expect(quantityCardTruncated(378282246310005)).toBe(378282246310005); // 15
    expect(quantityCardTruncated(CARD + 1)).toBe(CARD + 1); // Luhn-invalid
    expect(quantityCardTruncated(8111111111111111)).toBe(8111111111111111); // no prefix
  });

  it('cardPrefixCut: 1e12 to 1e19 with a card prefix or next to one; below 1e12 never', () => {
    expect(cardPrefixCut(CARD + 1)).toBe(4111110000000000);
    expect(cardPrefixCut(-(CARD + 1))).toBe(-4111110000000000);
    expect(cardPrefixCut(4000000000001)).toBe(4000000000000); // 13 digits
    expect(cardPrefixCut(2220999999999999)).toBe(2220990000000000); // next to 2221000000000009
    expect(cardPrefixCut(2220999999999991)).toBe(2220990000000000); // 9 below the prefix 222100
    expect(cardPrefixCut(2220999999999990)).toBe(2220999999999990); // 10 below: further than a last digit
    expect(cardPrefixCut(2220999999999985)).toBe(2220999999999985);
    expect(cardPrefixCut(400000000001)).toBe(400000000001); // 12 digits
    expect(cardPrefixCut(500000000001)).toBe(500000000001); // 12-digit Maestro neighbour: below 1e12, never touched
    expect(cardPrefixCut(5000000000001)).toBe(5000000000000); // 13-digit Maestro neighbour
    expect(cardPrefixCut(999999999999)).toBe(999999999999);
    expect(cardPrefixCut(8111111111111111)).toBe(8111111111111111);
    expect(cardPrefixCut(1e19)).toBe(1e19);
  });

  it('phoneCut: phone-shaped 10-15 digits at or above 2100 in epoch seconds', () => {
    expect(phoneCut(PHONE)).toBe(12025500000);
    expect(phoneCut(-PHONE)).toBe(-12025500000);
    expect(phoneCut(4102444799)).toBe(4102444799); // epoch seconds before 2100
    expect(phoneCut(4102444800)).toBe(4102440000);
    expect(phoneCut(2025550143)).toBe(2025550143); // below 2100 in seconds
    expect(phoneCut(5025550143)).toBe(5025550000);
    expect(phoneCut(2805550143)).toBe(2805550143); // 28x: unassigned
    expect(phoneCut(447700900123456)).toBe(447700000000000); // 15 digits
    expect(phoneCut(4477009001234567)).toBe(4477009001234567); // 16
  });

  it('metricNumberCut: phone cut only under s/min/h/d; cards under every guarded unit', () => {
    const checks = numberChecks(undefined);
    for (const unit of ['s', 'min', 'h', 'd']) {
      const cut = metricNumberCut(metricValueGuard(descriptor('app.wait', unit)), unit, checks)!;
      expect(cut(5025550143), unit).toBe(5025550000);
      // a card's neighbour is cut by the card rule even where the phone rule reads nothing (16 digits)
      expect(cut(CARD + 1), unit).toBe(4111110000000000);
      // a latency keeps its full-precision double (no significant-digit reading under a time unit)
      expect(cut(4111.111111111111), unit).toBe(4111.111111111111);
    }
    for (const unit of ['ms', 'm', '1', 'sec']) {
      const cut = metricNumberCut(metricValueGuard(descriptor('app.wait', unit)), unit, checks);
      expect(cut?.(5025550143) ?? 5025550143, unit).toBe(5025550143);
      expect(cut?.(CARD + 1), unit).toBe(4111110000000000);
      expect(cut?.(4111.111111111111), unit).toBe(unit === 'ms' ? 4111.111111111111 : 4111.11);
    }
    // no checks: nothing cut; phone check only: no card cut
    expect(
      metricNumberCut(
        metricValueGuard(descriptor('app.wait', '1')),
        '1',
        numberChecks({ detectors: [], scanNumbers: true }),
      ),
    ).toBeUndefined();
    expect(metricNumberCut(undefined, 'By', numberChecks({ detectors: ['phone'], scanNumbers: true }))).toBeUndefined();
    expect(metricNumberCut(undefined, 'x', checks)).toBeUndefined();
    const phoneOnly = metricNumberCut(
      metricValueGuard(descriptor('app.wait', 's')),
      's',
      numberChecks({ detectors: ['phone'], scanNumbers: true }),
    )!;
    expect(phoneOnly(CARD + 1)).toBe(CARD + 1);
    expect(phoneOnly(5025550143)).toBe(5025550000);
  });

  it('numberChecks follows values.detectors and scanNumbers', () => {
    expect(numberChecks({ detectors: ['payment-card', 'phone'], scanNumbers: false })).toEqual({
      card: false,
      phone: false,
    });
    expect(numberChecks({ detectors: ['payment-card'], scanNumbers: true })).toEqual({ card: true, phone: false });
    expect(numberChecks({ detectors: ['phone', 'email'], scanNumbers: true })).toEqual({ card: false, phone: true });
    expect(numberChecks({ detectors: ['payment-card', 'phone'], scanNumbers: true })).toEqual({
      card: true,
      phone: true,
    });
  });
});

describe('significant digits: 9 to 16 read, phones padded to 10, cards from 13', () => {
  it('significantDigitsOf reads 9 to 16 significant digits, trailing zeros removed', () => {
    expect(significantDigitsOf(4111.111111111111)).toBe('4111111111111111');
    expect(significantDigitsOf(4.111111111111111e21)).toBe('4111111111111111');
    expect(significantDigitsOf(0.000123456789)).toBe('123456789');
    expect(significantDigitsOf(0.00012345678)).toBeUndefined(); // 8
    expect(significantDigitsOf(1.2345678901234567)).toBeUndefined(); // 17
    expect(significantDigitsOf(123456789.1)).toBe('1234567891');
  });

  it('scaled cards: 13 to 16 digits, padded with zeros up to 16; 12 read digits never padded into one', () => {
    const g = metricValueGuard(descriptor('app.value', '1'))!;
    expect(scaledIdentifierKind(g, 4111.111111111111)).toBe('payment-card');
    expect(scaledIdentifierKind(g, 0.4111111111111111)).toBe('payment-card');
    expect(scaledIdentifierKind(g, 4000.000000006)).toBe('payment-card'); // 13 digits
    expect(scaledIdentifierKind(g, 4111.11111111116)).toBe('payment-card'); // 15 read: 4111111111111160 with its 0 put back
    expect(scaledIdentifierKind(g, 4111.111111113)).toBe('payment-card'); // 13 read: 4111111111113000, padded to 16
    expect(scaledIdentifierKind(g, 4111.11111115)).toBeUndefined(); // 12 read: 4111111111150 is a card, but 12 < 13
    expect(scaledIdentifierKind(g, 1234567.89)).toBeUndefined();
    // the double writes trailing zeros before the decimal point (below 1e21): they are not significant digits
    expect(String(4.11111111111116e20)).toBe('411111111111116000000');
    expect(scaledIdentifierKind(g, 4.11111111111116e20)).toBe('payment-card');
    expect(scaledIdentifierKind(g, 4111.111111111112)).toBeUndefined();
    expect(scaledIdentifierKind(g, 4111.111111111111, { card: false, phone: true })).toBeUndefined();
  });

  it('scaled phones under a phone instrument: national NANP (area and exchange 2-9, area not x9x) and e164 shapes', () => {
    const g = metricValueGuard(descriptor('app.phone', '1'))!;
    expect(scaledIdentifierKind(g, 202555.0143)).toBe('phone');
    expect(scaledIdentifierKind(g, 202555.014)).toBe('phone'); // 9 digits, padded to 10
    expect(scaledIdentifierKind(g, 2.025550143)).toBe('phone');
    expect(scaledIdentifierKind(g, 102555.0143)).toBeUndefined(); // area from 1
    // 28x, 83x, 89x, 80x are no e164 shapes, so only the national NANP rule reads these 10 digits
    expect(scaledIdentifierKind(g, 282555.0143)).toBe('phone');
    expect(scaledIdentifierKind(g, 28255.5014)).toBe('phone'); // 9 read, padded to 2825550140
    expect(scaledIdentifierKind(g, 892555.0143)).toBeUndefined(); // area x9x
    expect(scaledIdentifierKind(g, 282155.0143)).toBeUndefined(); // exchange from 1
    expect(scaledIdentifierKind(g, 282255.0143)).toBe('phone'); // exchange from 2
    expect(scaledIdentifierKind(g, 805555.0143)).toBe('phone'); // NANP national
    // exchange from 1: no NANP number, so only 800 and 808 of the 80x codes are e164 shapes
    expect(scaledIdentifierKind(g, 801155.0143)).toBeUndefined();
    expect(scaledIdentifierKind(g, 800155.0143)).toBe('phone');
    expect(scaledIdentifierKind(g, 808155.0143)).toBe('phone');
    expect(scaledIdentifierKind(g, 809155.0143)).toBeUndefined();
    expect(scaledIdentifierKind(g, 2825550.1431)).toBeUndefined(); // 11 digits from 28: NANP national is 10 only
    expect(scaledIdentifierKind(g, 2805.5501431234)).toBeUndefined(); // 14 digits from 28
    expect(scaledIdentifierKind(g, 292555.0143)).toBe('phone'); // x9x but 29 + 8 digits is an e164 shape
    expect(scaledIdentifierKind(g, 4477.00900123)).toBe('phone'); // 12 digits e164
    expect(scaledIdentifierKind(g, 4477.009001234567)).toBeUndefined(); // 16 digits: no phone
    expect(scaledIdentifierKind(g, 4477.00900123456)).toBe('phone'); // 15 digits
    // phone checks only: a card's digits are not read
    expect(scaledIdentifierKind(g, 4111.111111111111, { card: false, phone: true })).toBeUndefined();
    expect(scaledIdentifierKind(g, 4111.111111111111)).toBe('payment-card');
    expect(scaledIdentifierKind(g, 202555.0143, { card: true, phone: false })).toBeUndefined();
  });
});

describe('through a real MeterProvider and PrivacyMetricReader', () => {
  const run = pipeline(makePolicy());
  afterAll(() => run.provider.shutdown());

  it('a card gauge is dropped under a checked unit and cut under a quantity unit; a phone only under a phone name and no time unit', async () => {
    const meter = run.meter('edges-value-guard');
    const record = (name: string, unit: string, v: number) =>
      meter.createGauge(name, { unit, valueType: ValueType.INT }).record(v, { 'http.route': '/a' });
    record('app.q.bytes', 'KiBy/s', CARD);
    record('app.q.rate', 'KiBy/x', CARD);
    record('app.q.users', '1', CARD);
    record('app.caller.last', '1', PHONE);
    record('app.caller.wait', 'ms', PHONE);
    record('app.orders.last', '1', PHONE);
    record('app.user_id', 'By', 7);
    record('app.user_idle', 'By', 7);
    const rm = await run.collect();
    const values = (name: string) => pointsOf(metricOf(rm, name)).map((p) => p.value);
    expect(values('app.q.bytes')).toEqual([4111110000000000]);
    expect(values('app.q.rate')).toEqual([]);
    expect(values('app.q.users')).toEqual([]);
    expect(values('app.caller.last')).toEqual([]);
    expect(values('app.caller.wait')).toEqual([PHONE]);
    expect(values('app.orders.last')).toEqual([PHONE]);
    expect(values('app.user_id')).toEqual([]);
    expect(values('app.user_idle')).toEqual([7]);
  });
});
