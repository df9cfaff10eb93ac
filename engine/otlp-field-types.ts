/**
 * The type each OTLP field must have when it is exported, and what the processors do with a value of another type.
 *
 * The SDKs copy what the application passes (`startSpan(name, { kind })`, `setStatus({ code })`,
 * `emit({ severityNumber, severityText, eventName })`, tracer, logger and meter names and options, instrument
 * descriptions and units) into the exported item without checking its type, and the OTLP serializers write it as it
 * is: an object or array as JSON, a string in an enum field, a card number as the varint of an enum. So, in the
 * processors:
 * - an enum field (`OTLP_ENUM_FIELDS`) holding anything but one of its values is replaced by its fallback;
 * - a string field holding a number, bigint or boolean gets its decimal text, a `String` object its string (then
 *   both are scanned like any text); any other value (object, array, function, symbol) is replaced (`fieldText`).
 * Every such field is counted in `policy.counters.invalidFields`. A test walks the upstream OTLP protobuf
 * definitions and fails on an enum field this table does not list.
 */

/** One enum field of OTLP as the JavaScript SDK holds it. */
export interface OtlpEnumField {
  /** Who writes it: the application (through the API), or only the SDK (its configuration). */
  readonly source: 'app' | 'sdk';
  /** How many values the protobuf enum defines (`0 … otlpValues - 1`). */
  readonly otlpValues: number;
  /** The largest value the SDK holds (its enum may be offset from the protobuf one). */
  readonly sdkMax: number;
  /** What is exported instead of a value that is not one of the SDK's (`undefined`: the field is left out). */
  readonly fallback: number | undefined;
  /** One sentence for the documentation. */
  readonly how: string;
}

const temporality: OtlpEnumField = {
  source: 'sdk',
  otlpValues: 3,
  sdkMax: 1,
  fallback: undefined,
  how: 'Set by the SDK from its reader’s configuration; the serializer maps its two values and writes `UNSPECIFIED` for anything else.',
};

/** Every enum field reachable from the three OTLP export requests, by `Message.field` (protobuf names). */
export const OTLP_ENUM_FIELDS = {
  'Span.kind': {
    source: 'app',
    otlpValues: 6,
    sdkMax: 4,
    fallback: 0,
    how: 'A `SpanKind` (0–4, exported one higher); any other value becomes `INTERNAL`, the API’s default (OTLP reads an unspecified kind as internal too).',
  },
  'Status.code': {
    source: 'app',
    otlpValues: 3,
    sdkMax: 2,
    fallback: 0,
    how: 'A `SpanStatusCode` (0–2); any other value becomes `UNSET`.',
  },
  'LogRecord.severity_number': {
    source: 'app',
    otlpValues: 25,
    sdkMax: 24,
    fallback: undefined,
    how: 'A `SeverityNumber` (0–24); any other value is removed (`UNSPECIFIED`).',
  },
  'Sum.aggregation_temporality': temporality,
  'Histogram.aggregation_temporality': temporality,
  'ExponentialHistogram.aggregation_temporality': temporality,
} as const satisfies Record<string, OtlpEnumField>;

/**
 * The largest value of `LogRecord.flags` (fixed32): the W3C trace flags of the record's span context, one byte (the
 * JSON serializer copies the context's `traceFlags` as they are; the protobuf one and the span serializers mask them).
 */
export const LOG_RECORD_FLAGS_MAX = 0xff;

/** The id of an enum field, `Message.field`. */
export type OtlpEnumFieldId = keyof typeof OTLP_ENUM_FIELDS;

/** Whether `value` is an integer from 0 to `max` (a number: not a string, `NaN`, a fraction or a huge number). */
export function isEnumValue(value: unknown, max: number): value is number {
  return typeof value === 'number' && value >= 0 && value <= max && Math.floor(value) === value;
}

/**
 * The text of a value found in a string field that does not hold a primitive string: a `String` object's string;
 * the decimal text of a number, bigint or boolean; `undefined` for anything else (objects, arrays, functions,
 * symbols: their text would be whatever their `toString` makes, so they are replaced, not read). Call it only when
 * `typeof value !== 'string'` (the hot path is that one check).
 */
export function fieldText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'object':
      if (value === null) return undefined;
      try {
        // Only a real `String` object has the internal string slot `valueOf` reads; anything else throws.
        return String.prototype.valueOf.call(value);
      } catch {
        return undefined;
      }
    default:
      return undefined;
  }
}

/**
 * `value` as the text of a string field: itself when it is a string (the one check on the hot path); otherwise
 * counted in `counts[signal]` and replaced by its `fieldText`, or by `replacement` when it has none.
 */
export function asFieldText<S extends string, R>(
  value: unknown,
  counts: Record<S, number>,
  signal: S,
  replacement: R,
): string | R {
  if (typeof value === 'string') return value;
  counts[signal]++;
  return fieldText(value) ?? replacement;
}

/**
 * The value of an app-written enum field as it may be exported: `value` when it is one of the field's values,
 * otherwise the field's fallback, counted in `counts[signal]`.
 */
export function asEnumValue<S extends string>(
  id: OtlpEnumFieldId,
  value: unknown,
  counts: Record<S, number>,
  signal: S,
): number | undefined {
  const field: OtlpEnumField = OTLP_ENUM_FIELDS[id];
  if (isEnumValue(value, field.sdkMax)) return value;
  counts[signal]++;
  return field.fallback;
}
