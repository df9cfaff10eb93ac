/**
 * One table of identifier-shaped metric numbers and the cut the in-process metric exporter makes of each (its
 * first six digits toward zero, or six significant digits), checked against the in-process path and against
 * `otel-privacy scan` alike. Fake cards (4111…, 5555…4444 test numbers) and a 555 phone number.
 */
export interface MetricNumberCut {
  /** The rule of `processors/metrics/metric-value-guard.ts` that makes the cut. */
  readonly rule: 'quantityCardTruncated' | 'cardPrefixCut' | 'phoneCut' | 'identifierDigitsRounded';
  readonly unit: string;
  readonly value: number;
  /** The exported value. */
  readonly cut: number;
  /** The digits that must not be exported. */
  readonly digits: string;
}

export const METRIC_NUMBER_CUTS: readonly MetricNumberCut[] = [
  {
    rule: 'quantityCardTruncated',
    unit: 'By',
    value: 4111111111111111,
    cut: 4111110000000000,
    digits: '4111111111111111',
  },
  {
    rule: 'quantityCardTruncated',
    unit: 'ns',
    value: 5555555555554444,
    cut: 5555550000000000,
    digits: '5555555555554444',
  },
  {
    rule: 'quantityCardTruncated',
    unit: 'kbit',
    value: 4111111111111111,
    cut: 4111110000000000,
    digits: '4111111111111111',
  },
  {
    rule: 'cardPrefixCut',
    unit: '{request}',
    value: 4111111111111112,
    cut: 4111110000000000,
    digits: '4111111111111112',
  },
  { rule: 'cardPrefixCut', unit: '1', value: 4222222222224, cut: 4222220000000, digits: '4222222222224' },
  // a neighbour across the issuer prefix: `4000000000006 - 7`, whose own first six digits no network issues at 13 digits
  { rule: 'cardPrefixCut', unit: '{request}', value: 3999999999999, cut: 3999990000000, digits: '3999999999999' },
  { rule: 'phoneCut', unit: 's', value: 12025550143, cut: 12025500000, digits: '12025550143' },
  { rule: 'phoneCut', unit: 'h', value: 447700900123, cut: 447700000000, digits: '447700900123' },
  { rule: 'identifierDigitsRounded', unit: '1', value: 4111.111111111111, cut: 4111.11, digits: '4111111111111111' },
];
