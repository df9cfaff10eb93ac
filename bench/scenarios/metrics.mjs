// 5. Metrics: `counter.add()` with 5 attributes through `privacyViews` vs the same MeterProvider without
// views (ratio of adds per second, target ≥ 0.7), and `PrivacyMetricExporter` on 10 000 points as the SDK
// collects them (µs per point): raw points (no views: sanitize + merge collisions), points the views
// already sanitized (the pass-through path), and raw points with `metrics.kAnonymity`.
import { ValueType } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { PrivacyMetricExporter, definePolicy, privacyViews } from 'otel-privacy';
import { interleaved, median, roundsFor, usSince } from '../lib.mjs';

/** A pull reader (like Prometheus): the SDK keeps the series; collect() on demand. */
class PullReader extends MetricReader {
  async onShutdown() {}
  async onForceFlush() {}
}

/** An exporter that accepts everything and does nothing (so only the wrapper is measured). */
const noopExporter = {
  export: (_m, cb) => cb({ code: ExportResultCode.SUCCESS }),
  forceFlush: async () => {},
  shutdown: async () => {},
};

const ROUTES = ['/users/:id', '/orders/:id', '/cart', '/checkout', '/search', '/login', '/health', '/products/:id'];

/** 5 attributes per measurement: method, route, status (allowed), user id (hashed), e-mail (dropped). 100 users. */
const addAttributes = Array.from({ length: 4096 }, (_, i) => ({
  'http.request.method': i % 3 === 0 ? 'POST' : 'GET',
  'http.route': ROUTES[i % ROUTES.length],
  'http.response.status_code': i % 17 === 0 ? 500 : 200,
  'user.id': `fake-user-${i % 100}`,
  'app.customer_email': `fake${i % 100}@example.com`,
}));

/** 10 000 raw series that become 5 000 after redaction (the dropped e-mail is what told them apart). */
const pointAttributes = (i) => ({
  'http.request.method': 'GET',
  'http.route': ROUTES[i % ROUTES.length],
  'http.response.status_code': 200,
  'user.id': `fake-user-${i % 5000}`,
  'app.customer_email': `fake${i}@example.com`,
});

/** What the SDK collects after `points` adds to a counter, with or without the views. */
async function collected(policy, views, points) {
  const reader = new PullReader();
  const provider = new MeterProvider({ views, readers: [reader] });
  const counter = provider.getMeter('bench').createCounter('bench.requests', { valueType: ValueType.INT });
  for (let i = 0; i < points; i++) counter.add(1, pointAttributes(i));
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics;
}

const pointsIn = (rm) =>
  rm.scopeMetrics.reduce((n, s) => n + s.metrics.reduce((m, x) => m + x.dataPoints.length, 0), 0);

/** Median µs per point of `exporter.export(rm)` over rounds after one warm-up export. */
async function exportCost(exporter, rm, rounds) {
  const exportOnce = () => new Promise((resolve) => exporter.export(rm, resolve));
  await exportOnce();
  const costs = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    await exportOnce();
    costs.push(usSince(t0) / pointsIn(rm));
  }
  return median(costs);
}

export default async function ({ quick }) {
  const rounds = roundsFor(quick);
  const lines = [];

  // 5a. counter.add() with 5 attributes, views vs none, interleaved rounds in one process.
  {
    const policy = definePolicy({ version: 1, extends: 'default' });
    const n = quick ? 20_000 : 200_000;
    const counterWith = (views) => {
      const provider = new MeterProvider({ views, readers: [new PullReader()] });
      return provider.getMeter('bench').createCounter('bench.requests');
    };
    const plain = counterWith([]);
    const private_ = counterWith(privacyViews(policy));
    const round = (counter) => async () => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) counter.add(1, addAttributes[i & 4095]);
      return usSince(t0) / n;
    };
    const { without, withViews } = await interleaved({ without: round(plain), withViews: round(private_) }, rounds);
    lines.push(
      `5 counter.add() with 5 attributes: ${withViews.toFixed(3)} µs/add through privacyViews vs ${without.toFixed(3)} µs without; ` +
        `ratio ${(without / withViews).toFixed(2)} (target ≥ 0.7)`,
    );
  }

  // 5b. PrivacyMetricExporter on 10 000 points collected by the SDK.
  {
    const points = quick ? 2_000 : 10_000;
    const policy = definePolicy({ version: 1, extends: 'default', metrics: { cardinalityLimit: 2 * points } });
    const kPolicy = definePolicy({
      version: 1,
      extends: 'default',
      metrics: { cardinalityLimit: 2 * points, kAnonymity: 5 },
    });
    const raw = await collected(policy, [{ instrumentName: '*', aggregationCardinalityLimit: 2 * points }], points);
    const viewed = await collected(policy, privacyViews(policy), points);
    const rawCost = await exportCost(new PrivacyMetricExporter({ policy, exporter: noopExporter }), raw, rounds);
    const viewedCost = await exportCost(new PrivacyMetricExporter({ policy, exporter: noopExporter }), viewed, rounds);
    const kCost = await exportCost(new PrivacyMetricExporter({ policy: kPolicy, exporter: noopExporter }), raw, rounds);
    lines.push(
      `5 PrivacyMetricExporter on ${pointsIn(raw)} points: ${rawCost.toFixed(3)} µs/point raw (sanitize + merge into ${pointsIn(viewed)} series), ` +
        `${viewedCost.toFixed(3)} µs/point already sanitized by privacyViews, ${kCost.toFixed(3)} µs/point raw with kAnonymity 5`,
    );
  }
  return lines;
}
