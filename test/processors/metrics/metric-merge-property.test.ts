import { ValueType } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import type {
  DataPoint,
  ExponentialHistogram,
  Histogram,
  MetricData,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attributeSetKey } from '../../../processors/metrics/metric-attribute-key';
import { privacyViews } from '../../../processors/metrics/privacy-views';
import { makePolicy, metricOf, pipeline } from './metric-test-kit';

const INSTRUMENTS = ['fake.counter', 'fake.updown', 'fake.hist'] as const;
type Instrument = (typeof INSTRUMENTS)[number];

/** Attribute values: allowed, hashed and dropped keys, so series collide after redaction in many ways. */
const attributes = fc.record(
  {
    'http.route': fc.constantFrom('/a', '/b'),
    'user.id': fc.constantFrom('fake-user-1', 'fake-user-2', 'fake-user-3'),
    'user.email': fc.constantFrom('a.fake@example.com', 'b.fake@example.com'),
    'fake.tier': fc.constantFrom('gold', 'silver'),
    'db.password': fc.constant('hunter2'),
    'app.note': fc.string({ maxLength: 3 }),
  },
  { requiredKeys: [] },
);

const measurement = fc.record({
  instrument: fc.constantFrom(...INSTRUMENTS),
  value: fc.integer({ min: -50, max: 1000 }),
  attributes,
});

interface Totals {
  sum: number;
  count: number;
}

function totalsOf(m: MetricData | undefined): Totals {
  const out = { sum: 0, count: 0 };
  for (const p of (m?.dataPoints ?? []) as DataPoint<unknown>[]) {
    if (m!.dataPointType === DataPointType.SUM) {
      out.sum += p.value as number;
      out.count++;
    } else {
      const h = p.value as Histogram | ExponentialHistogram;
      out.sum += h.sum ?? 0;
      out.count += h.count;
    }
  }
  return out;
}

function expectNoDuplicateSeries(rm: ResourceMetrics): void {
  for (const sm of rm.scopeMetrics) {
    for (const m of sm.metrics) {
      const keys = (m.dataPoints as DataPoint<unknown>[]).map((p) => attributeSetKey(p.attributes));
      expect(new Set(keys).size).toBe(keys.length);
    }
  }
}

describe('property: redaction, merging and k-anonymity preserve totals exactly', () => {
  it('random measurements with random attribute sets → per-metric sums and histogram counts/sums unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(measurement, { maxLength: 60 }),
        fc.array(measurement, { maxLength: 30 }),
        fc.record({
          cumulative: fc.boolean(),
          exponential: fc.boolean(),
          views: fc.boolean(),
          k: fc.option(fc.integer({ min: 2, max: 6 }), { nil: undefined }),
        }),
        async (first, second, opts) => {
          const policy = makePolicy({
            metrics: { attributes: { allow: ['fake.tier'] }, ...(opts.k !== undefined ? { kAnonymity: opts.k } : {}) },
          });
          const temporality = opts.cumulative ? AggregationTemporality.CUMULATIVE : AggregationTemporality.DELTA;
          const { meter, collect, provider } = pipeline(policy, {
            temporality,
            exponential: opts.exponential,
            views: opts.views ? privacyViews(policy) : [],
          });
          const m = meter();
          const record: Record<Instrument, (v: number, a: Attributes) => void> = {
            'fake.counter': (() => {
              const c = m.createCounter('fake.counter', { valueType: ValueType.INT });
              return (v, a) => c.add(Math.abs(v), a);
            })(),
            'fake.updown': (() => {
              const c = m.createUpDownCounter('fake.updown', { valueType: ValueType.INT });
              return (v, a) => c.add(v, a);
            })(),
            'fake.hist': (() => {
              const h = m.createHistogram('fake.hist', { valueType: ValueType.INT });
              return (v, a) => h.record(Math.abs(v), a);
            })(),
          };
          const expected = (ms: typeof first) => {
            const out = new Map<Instrument, Totals>(INSTRUMENTS.map((i) => [i, { sum: 0, count: 0 }]));
            for (const x of ms) {
              const t = out.get(x.instrument)!;
              t.sum += x.instrument === 'fake.updown' ? x.value : Math.abs(x.value);
              t.count++;
            }
            return out;
          };
          for (const x of first) record[x.instrument](x.value, x.attributes);
          const rm1 = await collect();
          for (const x of second) record[x.instrument](x.value, x.attributes);
          const rm2 = await collect();
          for (const rm of [rm1, rm2]) {
            expectNoDuplicateSeries(rm);
            expect(JSON.stringify(rm.scopeMetrics)).not.toMatch(/fake-user-|example\.com|hunter2/);
          }
          const want1 = expected(first);
          const wantAll = expected([...first, ...second]);
          const want2 = opts.cumulative ? wantAll : expected(second);
          for (const name of INSTRUMENTS) {
            for (const [rm, want] of [
              [rm1, want1],
              [rm2, want2],
            ] as const) {
              const got = totalsOf(metricOf(rm, name));
              expect(got.sum).toBe(want.get(name)!.sum);
              if (name === 'fake.hist') expect(got.count).toBe(want.get(name)!.count);
            }
          }
          await provider.shutdown();
        },
      ),
      { numRuns: 60 },
    );
  });
});
