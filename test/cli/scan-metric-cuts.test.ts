import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportedMetric, metricTestPolicy } from '../assurance/helpers/metric-export';
import type { MetricField } from '../assurance/helpers/metric-export';
import { METRIC_NUMBER_CUTS } from '../helpers/metric-number-cuts';
import { cliBinary, runCli, testKeys } from './cli-harness';

// `otel-privacy scan` exports no more of a metric number than the in-process exporter: the identifier-shaped numbers
// the exporter cuts (card numbers under byte/bit/ns/us units, a card's Luhn-invalid neighbours, phone-shaped values
// under s/min/h/d, scaled card digits) leave the built CLI with the same cut. One table of cases for both paths.

type Json = Record<string, unknown>;
const dir = mkdtempSync(join(tmpdir(), 'scan-metric-cuts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const policyFile = join(dir, 'policy.yaml');
writeFileSync(policyFile, "version: 1\nextends: default\nattributes:\n  allow: ['app.*']\n");
let bin = '';
beforeAll(async () => {
  bin = await cliBinary();
}, 120_000);
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
      const r = await runCli(bin, ['scan', '--policy', policyFile, '--in', '-', '--out', outFile], {
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
