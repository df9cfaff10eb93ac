// 5. Metrics: steady-state requests (a counter and a histogram, 5 attributes) through `privacyViews` and
// `PrivacyMetricExporter` vs the same MeterProvider without them (per-round ratio, A/A control), and
// `PrivacyMetricExporter` on 10 000 points as the SDK collects them (µs per point): raw points (no views: sanitize + merge collisions), points the views
// already sanitized (the pass-through path), and raw points with `metrics.kAnonymity`.
import { ValueType } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { MeterProvider, MetricReader, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { PrivacyMetricExporter, definePolicy, privacyViews } from 'otel-privacy';
import {
  aaLine,
  median,
  perRound,
  perSecond,
  rate,
  roundsFor,
  steadyPlan,
  steadyRound,
  steadyRounds,
  summary,
  throughputRatio,
  usSince,
} from '../lib.mjs';

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

  // 5a. Steady state (bench/lib.mjs): per request one counter.add() and one histogram.record() with 5
  // attributes built per request (method, route, status, user id — hashed —, e-mail — dropped —; 100 users,
  // so the series stay under the cardinality limit), yields to the event loop every 200 requests; at the
  // end of each round the reader collects and exports (timed). Privacy: privacyViews + PrivacyMetricExporter
  // in the reader; bare: no views, the no-op exporter straight in the reader (twice: A/A control).
  {
    const policy = definePolicy({ version: 1, extends: 'default' });
    const n = quick ? 400 : 5_000;
    const pipeline = (views, exporter) => {
      const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
      const provider = new MeterProvider({ views, readers: [reader] });
      const meter = provider.getMeter('bench');
      const counter = meter.createCounter('bench.requests');
      const histogram = meter.createHistogram('bench.duration', { unit: 'ms' });
      const work = (i) => {
        const u = i % 100;
        const attributes = {
          'http.request.method': i % 3 === 0 ? 'POST' : 'GET',
          'http.route': ROUTES[i % ROUTES.length],
          'http.response.status_code': i % 17 === 0 ? 500 : 200,
          'user.id': 'fake-user-' + u,
          'app.customer_email': 'fake' + u + '@example.com',
        };
        counter.add(1, attributes);
        histogram.record(i % 250, attributes);
      };
      return { provider, round: () => steadyRound(work, () => reader.forceFlush(), n, (offset += n)) };
    };
    let offset = 0;
    const bare = pipeline([], noopExporter);
    const bare2 = pipeline([], noopExporter);
    const priv = pipeline(privacyViews(policy), new PrivacyMetricExporter({ policy, exporter: noopExporter }));
    const costs = await steadyRounds({ bare: bare.round, bare2: bare2.round, privacy: priv.round }, steadyPlan(quick));
    for (const p of [bare, bare2, priv]) await p.provider.shutdown();
    const ratio = perRound(costs.bare, costs.privacy, throughputRatio);
    lines.push(
      aaLine('5 metrics steady state', costs, 'bare', 'bare2').line,
      `5 metrics steady state, privacyViews + PrivacyMetricExporter: ${rate(perSecond(costs.privacy))} vs bare ${rate(perSecond(costs.bare))} requests/s (counter + histogram each); ` +
        `ratio ${summary(ratio)} (target ≥ 0.8: ${ratio.median >= 0.8 ? 'met' : 'MISSED'})`,
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
