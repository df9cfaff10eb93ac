import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
} from '@opentelemetry/sdk-metrics';
import type { CollectionResult, Histogram, MetricProducer, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { PrivacyMeterProvider, PrivacyMetricReader, privacyViews, protectPullReader } from '../../../index';
import { fuzzParameters } from '../../assurance/fuzz-runs';
import { makePolicy } from './metric-test-kit';

// Identifier numbers given to instruments one measurement at a time, where export-time checks see only aggregates,
// through a real MeterProvider (privacyViews, PrivacyMeterProvider, PrivacyMetricReader on the SDK's periodic reader
// and in-memory exporter); and the pull path (Prometheus, custom metric producers) through protectPullReader.

const warnings: string[] = [];
diag.setLogger(
  {
    verbose: () => {},
    debug: () => {},
    info: () => {},
    warn: (m: string) => void warnings.push(m),
    error: () => {},
  },
  DiagLogLevel.WARN,
);
afterEach(() => {
  warnings.length = 0;
});

/** A Luhn-valid number: `prefix`, random middle digits, and its check digit (a fake card, obviously). */
function luhnComplete(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}
const digitString = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
/** Card numbers of the networks' prefixes and lengths (safe integers: up to 16 digits). */
const card = fc
  .oneof(
    digitString(14).map((m) => luhnComplete('4' + m)), // Visa 16
    digitString(13).map((m) => luhnComplete('51' + m)), // Mastercard 16
    digitString(12).map((m) => luhnComplete('37' + m)), // Amex 15
    digitString(11).map((m) => luhnComplete('4' + m)), // Visa 13
  )
  .map(Number);
/** Phone numbers written without `+`: North American with country code 1, and other country codes. */
const phone = fc
  .oneof(
    fc
      .tuple(fc.integer({ min: 2, max: 9 }), digitString(2), fc.integer({ min: 2, max: 9 }), digitString(6))
      .map(([a, b, c, d]) => `1${a}${b}${c}${d}`),
    fc.tuple(fc.constantFrom('44', '49', '33', '61', '91', '55'), digitString(9)).map(([cc, n]) => `${cc}7${n}`),
  )
  .map(Number);
const small = fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 6 });

async function pipeline() {
  const policy = makePolicy();
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PrivacyMetricReader({ policy, exporter, exportIntervalMillis: 3_600_000 });
  const sdk = new MeterProvider({ views: privacyViews(policy), readers: [reader] });
  const provider = new PrivacyMeterProvider(sdk, policy);
  return {
    policy,
    meter: provider.getMeter('fake-shop'),
    async points(name: string) {
      exporter.reset();
      await reader.forceFlush();
      const all = exporter.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics));
      const text = JSON.stringify(exporter.getMetrics());
      return { metric: all.find((m) => m.descriptor.name === name), text };
    },
    shutdown: () => sdk.shutdown(),
  };
}

describe('identifier numbers as measurements (PrivacyMeterProvider)', () => {
  it('a card added to a counter that already counted is not recorded; the sum is the other measurements', async () => {
    await fc.assert(
      fc.asyncProperty(card, small, small, fc.constantFrom('', '1', '{order}'), async (c, before, after, unit) => {
        const p = await pipeline();
        try {
          const counter = p.meter.createCounter('fake.orders', { unit });
          for (const v of before) counter.add(v, { 'fake.tier': 'gold' });
          counter.add(c, { 'fake.tier': 'gold' });
          for (const v of after) counter.add(v, { 'fake.tier': 'gold' });
          const { metric, text } = await p.points('fake.orders');
          const expected = [...before, ...after].reduce((a, b) => a + b, 0);
          expect(metric?.dataPoints[0]?.value).toBe(expected);
          expect(text).not.toContain(String(c));
          expect(p.policy.counters.identifierValues).toBe(1);
        } finally {
          await p.shutdown();
        }
      }),
      fuzzParameters(40),
    );
  });

  it('a card recorded into a histogram among latencies is not recorded (sum, min, max, count, buckets)', async () => {
    await fc.assert(
      fc.asyncProperty(
        card,
        fc.array(fc.double({ min: 0.1, max: 5000, noNaN: true }), { minLength: 1, maxLength: 8 }),
        fc.nat(8),
        async (c, latencies, at) => {
          const p = await pipeline();
          try {
            const h = p.meter.createHistogram('fake.latency', { unit: 'ms' });
            const values = [...latencies];
            values.splice(at % (values.length + 1), 0, c);
            for (const v of values) h.record(v);
            const { metric, text } = await p.points('fake.latency');
            const hist = metric!.dataPoints[0]!.value as Histogram;
            expect(hist.count).toBe(latencies.length);
            expect(hist.sum).toBeCloseTo(
              latencies.reduce((a, b) => a + b, 0),
              6,
            );
            expect(hist.max).toBe(Math.max(...latencies));
            expect(hist.buckets.counts.reduce((a, b) => a + b, 0)).toBe(latencies.length);
            expect(text).not.toContain(String(c));
          } finally {
            await p.shutdown();
          }
        },
      ),
      fuzzParameters(30),
    );
  });

  const instrumentKinds = ['gauge', 'histogram', 'counter', 'observable gauge', 'batch gauge'] as const;
  /** Records phone number `ph` under an instrument with no phone word and no unit; asserts nothing of it is exported. */
  async function phoneNotRecorded(ph: number, kind: (typeof instrumentKinds)[number]): Promise<void> {
    const p = await pipeline();
    try {
      const name = 'fake.last_contact';
      if (kind === 'gauge') p.meter.createGauge(name).record(ph);
      else if (kind === 'histogram') p.meter.createHistogram(name, { unit: '1' }).record(ph);
      else if (kind === 'counter') p.meter.createCounter(name, { unit: '{contact}' }).add(ph);
      else if (kind === 'observable gauge')
        p.meter.createObservableGauge(name).addCallback((r) => r.observe(ph, { 'fake.tier': 'x' }));
      else {
        const g = p.meter.createObservableGauge(name);
        p.meter.addBatchObservableCallback((r) => r.observe(g, ph), [g]);
      }
      const { metric, text } = await p.points(name);
      expect(metric === undefined || metric.dataPoints.length === 0, kind).toBe(true);
      expect(text).not.toContain(String(ph));
      expect(p.policy.counters.identifierValues).toBeGreaterThanOrEqual(1);
    } finally {
      await p.shutdown();
    }
  }

  it('a phone number recorded under an instrument with no phone word and no unit is not recorded', async () => {
    await fc.assert(fc.asyncProperty(phone, fc.constantFrom(...instrumentKinds), phoneNotRecorded), fuzzParameters(30));
  });

  it('a phone number of 10 digits (the shortest with a country code outside zone 1: 49 30 5550123) is not recorded either', async () => {
    const tenDigits = fc
      .tuple(fc.constantFrom('44', '49', '33', '61', '91', '55', '34', '39'), digitString(7))
      .map(([cc, n]) => Number(`${cc}7${n}`));
    await fc.assert(
      fc.asyncProperty(tenDigits, fc.constantFrom(...instrumentKinds), async (ph, kind) => {
        expect(String(ph)).toHaveLength(10);
        await phoneNotRecorded(ph, kind);
      }),
      fuzzParameters(15),
    );
  });

  it('warns once per instrument, naming it and never the value', async () => {
    const p = await pipeline();
    try {
      const counter = p.meter.createCounter('fake.orders');
      counter.add(4111111111111111);
      counter.add(5555555555554444);
      await p.points('fake.orders');
      const mine = warnings.filter((w) => w.includes('fake.orders'));
      expect(mine).toHaveLength(1);
      expect(mine[0]).toContain('payment-card');
      expect(warnings.join('\n')).not.toMatch(/4111111111111111|5555555555554444/);
      expect(p.policy.counters.identifierValues).toBe(2);
    } finally {
      await p.shutdown();
    }
  });

  it('keeps ordinary values: latencies, byte counts, big counters, totals, timestamps', async () => {
    const p = await pipeline();
    try {
      const m = p.meter;
      m.createHistogram('fake.duration', { unit: 's' }).record(0.4111111111111111);
      m.createCounter('fake.bytes', { unit: 'By' }).add(4111111111111112); // 16 digits, Luhn-invalid: no card
      const big = m.createCounter('fake.events');
      for (let i = 0; i < 30; i++) big.add(900_000_000); // 27 000 000 000 in all: each measurement under 10 digits
      m.createObservableCounter('fake.total').addCallback((r) => r.observe(23456789012)); // a running total
      m.createGauge('fake.last_success', { unit: 'ms' }).record(1765000000000);
      m.createGauge('fake.started').record(1765000000); // epoch seconds, no unit
      const value = async (name: string) => {
        const pt = (await p.points(name)).metric?.dataPoints[0];
        return pt === undefined ? undefined : pt.value;
      };
      expect(((await value('fake.duration')) as Histogram).sum).toBe(0.4111111111111111);
      expect(await value('fake.bytes')).toBe(4111111111111112);
      expect(await value('fake.events')).toBe(27_000_000_000);
      expect(await value('fake.total')).toBe(23456789012);
      expect(await value('fake.last_success')).toBe(1765000000000);
      expect(await value('fake.started')).toBe(1765000000);
      expect(p.policy.counters.identifierValues).toBe(0);
    } finally {
      await p.shutdown();
    }
  });
});

/** A custom producer (the SDK's experimental `metricProducers`): one gauge with a card value and an e-mail label. */
class FakeProducer implements MetricProducer {
  async collect(): Promise<CollectionResult> {
    const now: [number, number] = [1765000000, 0];
    const rm: ResourceMetrics = {
      resource: resourceFromAttributes({ 'service.name': 'fake-shop', 'fake.owner.email': 'owner.fake@example.test' }),
      scopeMetrics: [
        {
          scope: { name: 'fake-bridge' },
          metrics: [
            {
              descriptor: { name: 'fake.bridge.value', description: '', unit: '', type: 'GAUGE', valueType: 1 },
              dataPointType: DataPointType.GAUGE,
              aggregationTemporality: AggregationTemporality.CUMULATIVE,
              dataPoints: [
                {
                  startTime: now,
                  endTime: now,
                  attributes: { 'user.email': 'fake.user@example.test', 'fake.tier': 'gold' },
                  value: 4111111111111111,
                },
              ],
            },
          ],
        },
      ],
    } as unknown as ResourceMetrics;
    return { resourceMetrics: rm, errors: [] };
  }
}

async function scrape(prometheus: PrometheusExporter): Promise<string> {
  const server = createServer((req, res) => prometheus.getMetricsRequestHandler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('pull readers (protectPullReader)', () => {
  for (const protect of [false, true]) {
    it(`a Prometheus scrape ${protect ? 'with' : 'without (control)'} protectPullReader: custom producer's card and e-mail, a card gauge`, async () => {
      const policy = makePolicy();
      const prometheus = new PrometheusExporter({ preventServerStart: true, metricProducers: [new FakeProducer()] });
      const reader = protect ? protectPullReader(prometheus, policy) : prometheus;
      const sdk = new MeterProvider({ views: privacyViews(policy), readers: [reader] });
      try {
        sdk.getMeter('fake-shop').createGauge('fake.raw_gauge').record(5555555555554444, { 'fake.tier': 'gold' });
        sdk.getMeter('fake-shop').createCounter('fake.requests').add(3, { 'fake.tier': 'gold' });
        const text = await scrape(prometheus);
        expect(text).toContain('fake_requests_total{fake_tier="gold"');
        const leaks = [
          /4111111111111111|4\.111111111111111e\+15/,
          /5555555555554444|5\.555555555554444e\+15/,
          /example\.test/,
        ];
        if (protect) for (const leak of leaks) expect(text).not.toMatch(leak);
        else expect(leaks.some((l) => l.test(text))).toBe(true);
      } finally {
        await sdk.shutdown();
      }
    });
  }

  it('protecting twice is a no-op, and a non-reader is refused with a clear error', () => {
    const policy = makePolicy();
    const prometheus = new PrometheusExporter({ preventServerStart: true });
    const collect = protectPullReader(prometheus, policy).collect;
    expect(protectPullReader(prometheus, policy).collect).toBe(collect);
    expect(() => protectPullReader({} as PrometheusExporter, policy)).toThrow(/reader must be a MetricReader/);
  });
});
