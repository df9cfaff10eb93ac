import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { definePolicy } from '../../index';
import { OtlpJsonRedactor } from '../../cli/otlp-json-redactor';
import { ScanReport } from '../../cli/scan-report';

// `otel-privacy scan` keeps numbers, enums and flags as they are, so only what has the field's type may stay there:
// an upper-case word is not an enum value outside an enum field (`"flags": "AKIAIOSFODNN7EXAMPLE"`), nor a name the
// enum does not define, a 16-digit card number is not a 32-bit count, and a flags field holds only its defined bits
// (found by an outside-style attack). Known limit: a 10-digit number fits a 32-bit count (`droppedEventsCount`).
const policy = definePolicy({ version: 1, attributes: { allow: ['*'] }, resource: { allow: ['*'] }, values: {} });

/** Upper-case words and long digit runs that carry a fake identifier or secret. */
const upperWord = fc.oneof(
  fc.constantFrom('AKIAIOSFODNN7EXAMPLE', 'GB82WEST12345698765432', 'JANE_DOE_EXAMPLE_COM', 'SPAN_KIND_JANE_DOE'),
  fc.stringMatching(/^[A-Z][A-Z0-9_]{4,40}$/),
);
const bigDigits = fc.oneof(
  fc.constantFrom('4111111111111111', '4294967296', '-2147483649'),
  fc.bigInt({ min: BigInt(2) ** BigInt(32), max: BigInt(10) ** BigInt(19) }).map(String),
);

function traces(span: Record<string, unknown>, resource: Record<string, unknown> = {}) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [], ...resource },
        scopeSpans: [
          { scope: { name: 's' }, spans: [{ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), name: 'n', ...span }] },
        ],
      },
    ],
  };
}
function logs(record: Record<string, unknown>) {
  return {
    resourceLogs: [{ resource: { attributes: [] }, scopeLogs: [{ scope: { name: 'l' }, logRecords: [record] }] }],
  };
}
function sum(point: Record<string, unknown>, metric: Record<string, unknown> = {}) {
  return {
    resourceMetrics: [
      {
        resource: { attributes: [] },
        scopeMetrics: [
          {
            scope: { name: 'm' },
            metrics: [{ name: 'x', sum: { dataPoints: [{ asInt: '1', ...point }], ...metric } }],
          },
        ],
      },
    ],
  };
}

/** Every integer or enum field reachable in one request builder, with a function placing a value there. */
const PLACES: Record<string, (v: unknown) => Record<string, unknown>> = {
  'Span.flags': (v) => traces({ flags: v }),
  'Span.kind': (v) => traces({ kind: v }),
  'Span.droppedEventsCount': (v) => traces({ droppedEventsCount: v }),
  'Span.droppedAttributesCount': (v) => traces({ droppedAttributesCount: v }),
  'Status.code': (v) => traces({ status: { code: v } }),
  'Resource.droppedAttributesCount': (v) => traces({}, { droppedAttributesCount: v }),
  'LogRecord.severityNumber': (v) => logs({ timeUnixNano: '1', severityNumber: v }),
  'LogRecord.flags': (v) => logs({ timeUnixNano: '1', flags: v }),
  'LogRecord.droppedAttributesCount': (v) => logs({ timeUnixNano: '1', droppedAttributesCount: v }),
  'NumberDataPoint.flags': (v) => sum({ flags: v }),
  'Sum.aggregationTemporality': (v) => sum({}, { aggregationTemporality: v }),
};

function sanitized(request: Record<string, unknown>): string {
  new OtlpJsonRedactor(policy, new ScanReport(policy)).sanitize(request);
  return JSON.stringify(request);
}

describe('scan: integer and enum fields carry only values of their type', () => {
  it('an upper-case word or an out-of-range number in any integer or enum field is removed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(PLACES)), fc.oneof(upperWord, bigDigits), (field, canary) => {
        const out = sanitized(PLACES[field]!(canary));
        expect(out, `${field}: ${canary}`).not.toContain(`"${canary}"`);
      }),
      { numRuns: 400 },
    );
  });

  it('a flags field holds only its defined bits: no 10-digit number (a phone) fits there', () => {
    const flags = ['Span.flags', 'LogRecord.flags', 'NumberDataPoint.flags'];
    fc.assert(
      fc.property(
        fc.constantFrom(...flags),
        fc.integer({ min: 0x400, max: 0xffffffff }),
        fc.boolean(),
        (f, n, asText) => {
          const value = asText ? String(n) : n;
          expect(sanitized(PLACES[f]!(value)), `${f}: ${n}`).not.toContain(`"flags":${JSON.stringify(value)}`);
        },
      ),
    );
    expect(sanitized(PLACES['Span.flags']!('2025550143'))).not.toContain('2025550143');
  });

  it('a 16-digit number written as a JSON number in a 32-bit field is removed', () => {
    for (const field of ['Span.flags', 'Span.droppedEventsCount', 'LogRecord.flags', 'NumberDataPoint.flags']) {
      expect(sanitized(PLACES[field]!(4111111111111111)), field).not.toContain('4111111111111111');
    }
  });

  it('defined enum names, in-range integers and plausible 64-bit timestamps are kept', () => {
    const kept: [string, unknown][] = [
      ['Span.kind', 'SPAN_KIND_SERVER'],
      ['Span.kind', 2],
      ['Status.code', 'STATUS_CODE_ERROR'],
      ['LogRecord.severityNumber', 'SEVERITY_NUMBER_WARN3'],
      ['Sum.aggregationTemporality', 'AGGREGATION_TEMPORALITY_CUMULATIVE'],
      ['Span.flags', 257],
      ['Span.flags', '769'],
      ['Span.droppedEventsCount', '4294967295'],
      ['Span.droppedEventsCount', '12'],
      ['LogRecord.flags', 1],
    ];
    for (const [field, value] of kept) {
      expect(sanitized(PLACES[field]!(value)), `${field}: ${value}`).toContain(JSON.stringify(value));
    }
    // A time inside the plausible window (2000 to a day ahead) is kept exactly; the largest 64-bit value is a valid
    // timestamp field but no plausible time, so it is replaced by the clock like any implausible time.
    expect(sanitized(logs({ timeUnixNano: '1544712660500000001' }))).toContain('"1544712660500000001"');
    expect(sanitized(logs({ timeUnixNano: '18446744073709551615' }))).not.toContain('18446744073709551615');
    expect(sanitized(logs({ timeUnixNano: '18446744073709551616' }))).not.toContain('18446744073709551616');
  });

  it('an enum name is kept only in its own field', () => {
    expect(sanitized(traces({ flags: 'SPAN_KIND_SERVER' }))).not.toContain('SPAN_KIND_SERVER');
    expect(sanitized(traces({ kind: 'STATUS_CODE_OK' }))).not.toContain('STATUS_CODE_OK');
  });
});
