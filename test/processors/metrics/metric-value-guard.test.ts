import { ValueType } from '@opentelemetry/api';
import { InstrumentType } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { luhnValid, validCardPrefix } from '../../../engine/detectors/payment-card';
import { identifierValueKind, metricValueGuard } from '../../../processors/metrics/metric-value-guard';

const descriptor = (name: string, unit = '') => ({
  name,
  description: '',
  unit,
  type: InstrumentType.GAUGE,
  valueType: ValueType.INT,
});

describe('metricValueGuard / identifierValueKind', () => {
  it('reads a card number exactly as the text detector checks one: network prefix and length, then Luhn (arithmetic = digits)', () => {
    const guard = metricValueGuard(descriptor('app.last_value'))!;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 1e12, max: Number.MAX_SAFE_INTEGER }),
          fc.constantFrom(4111111111111111, 378282246310005, 5555555555554444, 6011111111111117, 3530111333300000),
        ),
        (v) => {
          const digits = v.toFixed(0);
          const card =
            digits.length >= 13 &&
            validCardPrefix(Number(digits.slice(0, 6)), digits.length) &&
            luhnValid(digits, 0, digits.length);
          expect(identifierValueKind(guard, v)).toBe(card ? 'payment-card' : undefined);
          expect(identifierValueKind(guard, -v)).toBe(card ? 'payment-card' : undefined);
        },
      ),
      { numRuns: 5000, seed: 20261205 },
    );
  });

  it('decides per instrument: byte, bit, ns and us units are never checked; phone numbers only under phone words and no time unit', () => {
    for (const unit of ['By', 'KiBy', 'MBy/s', 'bit', 'ns', 'us'])
      expect(metricValueGuard(descriptor('app.x', unit))).toBeUndefined();
    expect(identifierValueKind(metricValueGuard(descriptor('app.x', 'ms'))!, 4111111111111111)).toBe('payment-card');
    const phone = metricValueGuard(descriptor('app.contact.phone'))!;
    expect(identifierValueKind(phone, 12025550143)).toBe('phone');
    expect(identifierValueKind(phone, 447700900123)).toBe('phone');
    expect(identifierValueKind(phone, 1764979200000)).toBeUndefined(); // epoch ms: 13 digits from 1
    expect(identifierValueKind(phone, 999_999_999)).toBeUndefined(); // counts below 10 digits
    expect(identifierValueKind(metricValueGuard(descriptor('app.contact.phone', 'ms'))!, 12025550143)).toBeUndefined();
    expect(identifierValueKind(metricValueGuard(descriptor('app.orders'))!, 12025550143)).toBeUndefined();
    for (const name of [
      'app.last_user_id',
      'checkout.customer.number',
      'app.iban',
      'app.card_number',
      'billing.account-no',
    ])
      expect(metricValueGuard(descriptor(name, 'By'))?.identifierInstrument, name).toBe(true);
    for (const name of ['app.users.active', 'http.client.request.duration', 'app.cards.issued', 'app.phone.calls'])
      expect(metricValueGuard(descriptor(name))?.identifierInstrument, name).toBe(false);
  });
});
