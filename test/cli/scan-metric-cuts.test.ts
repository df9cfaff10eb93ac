import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cardNumbers } from '../assurance/canaries';
import { fuzzParameters } from '../assurance/fuzz-runs';
import { exportedMetric, metricTestPolicy } from '../assurance/helpers/metric-export';
import type { MetricField } from '../assurance/helpers/metric-export';
import { METRIC_NUMBER_CUTS } from '../helpers/metric-number-cuts';
import { runCli, scanFixture, testKeys } from './cli-harness';

// `otel-privacy scan` exports no more of a metric number than the in-process exporter: the identifier-shaped numbers
// the exporter cuts (card numbers under byte/bit/ns/us units, a card's Luhn-invalid neighbours, phone-shaped values
// under s/min/h/d, scaled card digits) leave the built CLI with the same cut. One table of cases for both paths.

type Json = Record<string, unknown>;
const { dir, policyFile, bin } = scanFixture(
  'scan-metric-cuts-',
  "version: 1\nextends: default\nattributes:\n  allow: ['app.*']\n",
);
const policy = metricTestPolicy();

const exemplar = (v: number): Json => ({ timeUnixNano: '1700000000000000000', asDouble: v });
const point = (extra: Json): Json => ({ timeUnixNano: '1700000000000000000', attributes: [], ...extra });

/** One metric of each shape holding `v` in every number field the in-process exporter cuts, and in an exemplar. */
function request(unit: string, v: number): Json {
  const metric = (name: string, data: Json): Json => ({ name, unit, ...data });
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'fake-shop' } }] },
        scopeMetrics: [
          {
            scope: { name: 'app' },
            metrics: [
              metric('app.transfer.gauge', {
                gauge: { dataPoints: [point({ asDouble: v, exemplars: [exemplar(v)] })] },
              }),
              metric('app.transfer.int', {
                gauge: { dataPoints: [point({ asInt: Number.isInteger(v) ? String(v) : '1' })] },
              }),
              metric('app.transfer.sum', {
                sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [point({ asDouble: v })] },
              }),
              metric('app.transfer.histogram', {
                histogram: {
                  aggregationTemporality: 2,
                  dataPoints: [
                    point({
                      count: '1',
                      sum: v,
                      min: v,
                      max: v,
                      explicitBounds: [1, v],
                      bucketCounts: ['0', '0', '1'],
                      exemplars: [exemplar(v)],
                    }),
                  ],
                },
              }),
            ],
          },
        ],
      },
    ],
  };
}

describe('scan cuts identifier-shaped metric numbers as the in-process exporter does (built CLI)', () => {
  for (const c of METRIC_NUMBER_CUTS) {
    it(`${c.rule}: ${c.value} under ${JSON.stringify(c.unit)} leaves as ${c.cut}`, async () => {
      const outFile = join(dir, `${c.rule}-${c.unit}-${c.value}.json`.replace(/[^\w.-]/g, '_'));
      const r = await runCli(bin(), ['scan', '--policy', policyFile, '--in', '-', '--out', outFile], {
        env: testKeys(),
        input: `${JSON.stringify(request(c.unit, c.value))}\n`,
      });
      expect(r.code, r.stderr).toBe(0);
      const text = readFileSync(outFile, 'utf8');
      expect(text).not.toContain(c.digits);
      const out = JSON.parse(text) as Json;
      const metrics = ((out.resourceMetrics as Json[])[0]!.scopeMetrics as Json[])[0]!.metrics as Json[];
      const byName = new Map(metrics.map((m) => [m.name as string, m]));
      const first = (name: string, kind: string): Json => ((byName.get(name)![kind] as Json).dataPoints as Json[])[0]!;
      const gauge = first('app.transfer.gauge', 'gauge');
      expect(gauge.asDouble).toBe(c.cut);
      expect((gauge.exemplars as Json[])[0]!.asDouble).toBe(c.cut);
      if (Number.isInteger(c.value)) expect(Number(first('app.transfer.int', 'gauge').asInt)).toBe(c.cut);
      expect(first('app.transfer.sum', 'sum').asDouble).toBe(c.cut);
      const h = first('app.transfer.histogram', 'histogram');
      expect([h.sum, h.min, h.max, (h.explicitBounds as number[])[1]]).toEqual([c.cut, c.cut, c.cut, c.cut]);
      expect((h.exemplars as Json[])[0]!.asDouble).toBe(c.cut);
    }, 60_000);

    it(`in process: ${c.value} under ${JSON.stringify(c.unit)} leaves as ${c.cut}`, async () => {
      for (const field of ['gauge', 'counter', 'histogram', 'boundary'] as MetricField[]) {
        const { text, rounded, dropped } = await exportedMetric(policy(), field, 'app.transfer.size', c.unit, [
          c.value,
        ]);
        expect(text).not.toContain(c.digits);
        expect(dropped).toBe(0);
        expect(rounded).toBeGreaterThan(0);
        expect(text).toContain(String(c.cut));
      }
    });
  }
});

/** Generated numbers near the rules' edges: cards, their neighbours, scaled cards, phone shapes, ordinary values. */
const values = fc.oneof(
  cardNumbers,
  fc.tuple(cardNumbers, fc.integer({ min: -3, max: 3 })).map(([c, d]) => c + d),
  fc.tuple(cardNumbers, fc.integer({ min: 1, max: 12 })).map(([c, k]) => c / 10 ** k),
  fc
    .tuple(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 2e6, max: 9_999_999 }))
    .map(([a, b, c]) => Number(`${a}${String(b).padStart(2, '0')}${c}`))
    .chain((n) => fc.constantFrom(n, n + 1e10, n + 4.4e11)),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  fc.double({ min: 1, max: 1e18, noNaN: true }),
);
const units = fc.constantFrom(
  'By',
  'KiBy',
  'kbit',
  'By/s',
  'ns',
  'us',
  's',
  'min',
  'h',
  'd',
  'ms',
  '1',
  '{request}',
  '%',
);

/** The value the in-process exporter exports for a gauge `v` under `unit`, or `undefined` when the point is dropped. */
async function inProcess(unit: string, v: number): Promise<number | undefined> {
  const { text } = await exportedMetric(policy(), 'gauge', 'app.transfer.size', unit, [v]);
  const points = text
    .split('\n')
    .flatMap((l) => ((JSON.parse(l) as Json).resourceMetrics as Json[]) ?? [])
    .flatMap((rm) => rm.scopeMetrics as Json[])
    .flatMap((sm) => sm.metrics as Json[])
    .flatMap((m) => (m.gauge as Json).dataPoints as Json[]);
  return points.length === 0 ? undefined : Number(points[0]!.asDouble ?? points[0]!.asInt);
}

describe('scan and the in-process exporter agree on generated numbers (one CLI run)', () => {
  it('every gauge leaves scan as it leaves the in-process exporter (cut, kept or dropped)', async () => {
    const cases = fc.sample(fc.tuple(values, units), fuzzParameters(60));
    const metrics = cases.map(([v, unit], i) => ({
      name: `app.transfer.g${i}`,
      unit,
      gauge: { dataPoints: [point({ asDouble: v })] },
    }));
    const input = {
      resourceMetrics: [{ resource: { attributes: [] }, scopeMetrics: [{ scope: { name: 'app' }, metrics }] }],
    };
    const outFile = join(dir, 'generated.json');
    const r = await runCli(bin(), ['scan', '--policy', policyFile, '--in', '-', '--out', outFile], {
      env: testKeys(),
      input: `${JSON.stringify(input)}\n`,
    });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(readFileSync(outFile, 'utf8')) as Json;
    const written = new Map<string, number>();
    for (const m of ((out.resourceMetrics as Json[])[0]!.scopeMetrics as Json[])[0]!.metrics as Json[])
      written.set(m.name as string, Number(((m.gauge as Json).dataPoints as Json[])[0]!.asDouble));
    for (const [i, [v, unit]] of cases.entries())
      expect(written.get(`app.transfer.g${i}`), `${v} under ${unit}`).toBe(await inProcess(unit, v));
  }, 60_000);
});
