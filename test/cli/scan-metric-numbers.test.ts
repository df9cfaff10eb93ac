import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OtlpJsonRedactor } from '../../cli/otlp-json-redactor';
import { OTLP_JSON_SHAPE } from '../../cli/otlp-json-shape';
import { ScanReport } from '../../cli/scan-report';
import { definePolicy } from '../../index';
import { fuzzParameters } from '../assurance/fuzz-runs';
import { cardNumbers } from '../assurance/canaries';

// `otel-privacy scan` on metrics: a card number (or a phone number under a phone instrument) in any number field of
// any data point of the OTLP metrics data model. The fields come from the generated OTLP/JSON shape (which fields are
// repeated, from the vendored protobuf definitions); times and ids are the fields not read (see the docs).

type Json = Record<string, unknown>;

const PROTO = readFileSync(join(__dirname, '../../engine/otlp-proto/otlp.proto'), 'utf8');
const camel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
const REPEATED = new Set([...PROTO.matchAll(/repeated\s+[\w.]+\s+(\w+)\s*=/g)].map((m) => camel(m[1]!)));
const NUMERIC = /^(?:double|float|u?int(?:32|64)|s(?:int|fixed)(?:32|64)|fixed(?:32|64))$/;
const NOT_READ = new Set(['timeUnixNano', 'startTimeUnixNano', 'flags', 'scale', 'offset', 'aggregationTemporality']);

/** Every number field reachable from a point type: paths of field names, nested messages walked. */
function numberPaths(type: string, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [field, fieldType] of Object.entries(OTLP_JSON_SHAPE[type] ?? {})) {
    if (field === 'attributes' || field === 'filteredAttributes') continue;
    if (NUMERIC.test(fieldType)) {
      if (!NOT_READ.has(field)) out.push([...prefix, field]);
    } else if (OTLP_JSON_SHAPE[fieldType] !== undefined) out.push(...numberPaths(fieldType, [...prefix, field]));
  }
  return out;
}

const POINTS: Record<string, string> = {
  sum: 'NumberDataPoint',
  gauge: 'NumberDataPoint',
  histogram: 'HistogramDataPoint',
  exponentialHistogram: 'ExponentialHistogramDataPoint',
  summary: 'SummaryDataPoint',
};
const CASES = Object.entries(POINTS).flatMap(([kind, type]) => numberPaths(type).map((path) => ({ kind, path })));

/** Writes `value` at `path` of `point` (repeated fields as one-element arrays, 64-bit integers as strings). */
function put(point: Json, path: readonly string[], value: number, type: string): void {
  let o = point;
  let t = type;
  for (let i = 0; i < path.length; i++) {
    const field = path[i]!;
    const fieldType = OTLP_JSON_SHAPE[t]![field]!;
    if (i === path.length - 1) {
      const v = /64/.test(fieldType) ? String(value) : value;
      o[field] = REPEATED.has(field) ? [v] : v;
      return;
    }
    const child: Json = {};
    o[field] = REPEATED.has(field) ? [child] : child;
    o = child;
    t = fieldType;
  }
}

const phone = fc
  .tuple(
    fc.integer({ min: 2, max: 9 }),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 2_000_000, max: 9_999_999 }),
  )
  .map(([a, b, c]) => Number(`1${a}${String(b).padStart(2, '0')}${c}`));

function request(kind: string, name: string, path: readonly string[], value: number): Json {
  const point: Json = { timeUnixNano: '1700000000000000000', attributes: [] };
  put(point, path, value, POINTS[kind]!);
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'fake-shop' } }] },
        scopeMetrics: [
          {
            scope: { name: 'app.meter' },
            metrics: [
              { name, unit: '', [kind]: { dataPoints: [point] } },
              { name: 'app.requests', sum: { dataPoints: [{ asInt: '3', timeUnixNano: '1700000000000000000' }] } },
            ],
          },
        ],
      },
    ],
  };
}

describe('scan: identifiers in the number fields of metric points', () => {
  const policy = definePolicy({ version: 1, values: {} });

  it('derives the fields from the data model', () => {
    const fields = new Set(CASES.map((c) => c.path.join('.')));
    for (const f of ['asInt', 'asDouble', 'sum', 'min', 'max', 'explicitBounds', 'positive.bucketCounts'])
      expect(fields, f).toContain(f);
    expect(fields).toContain('exemplars.asInt');
    expect(fields).toContain('quantileValues.value');
  });

  it('a card number in any number field of any point is not written; the point is counted', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CASES), cardNumbers, ({ kind, path }, c) => {
        const report = new ScanReport(policy);
        const r = request(kind, 'app.last_value', path, c);
        new OtlpJsonRedactor(policy, report).sanitize(r);
        const out = JSON.stringify(r);
        expect(out, `${kind}.${path.join('.')}`).not.toContain(String(c));
        expect(out).toContain('app.requests');
        expect(report.items.metricIdentifierValues).toBe(1);
        expect(report.toText()).toContain('1 metric point(s) whose numbers are identifiers');
      }),
      fuzzParameters(200),
    );
  });

  it('a phone number under an instrument named for phones, in any number field, is not written', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CASES),
        phone,
        fc.constantFrom('app.mobile', 'callerId', 'user.cell'),
        (c, p, n) => {
          const r = request(c.kind, n, c.path, p);
          new OtlpJsonRedactor(policy, new ScanReport(policy)).sanitize(r);
          expect(JSON.stringify(r), `${c.kind}.${c.path.join('.')}`).not.toContain(String(p));
        },
      ),
      fuzzParameters(200),
    );
  });

  it('ordinary numbers arrive (a latency histogram, a byte counter); a card under bytes leaves cut to six digits', () => {
    const r = request('histogram', 'http.server.request.duration', ['sum'], 1234.5);
    const bytes = request('sum', 'app.bytes', ['asInt'], 1234567890123456);
    const card = request('sum', 'app.bytes', ['asInt'], 4111111111111111);
    for (const q of [bytes, card])
      ((q.resourceMetrics as Json[])[0]!.scopeMetrics as Json[]).forEach((sm) => {
        ((sm as Json).metrics as Json[])[0]!.unit = 'By';
      });
    const report = new ScanReport(policy);
    new OtlpJsonRedactor(policy, report).sanitize(r);
    new OtlpJsonRedactor(policy, report).sanitize(bytes);
    new OtlpJsonRedactor(policy, report).sanitize(card);
    expect(JSON.stringify(r)).toContain('1234.5');
    expect(JSON.stringify(bytes)).toContain('1234567890123456');
    expect(JSON.stringify(card)).not.toContain('4111111111111111');
    expect(JSON.stringify(card)).toContain('"4111110000000000"');
    expect(report.items.metricIdentifierValues).toBe(0);
    expect(report.items.metricNumbersCut).toBe(1);
  });
});
