import { metrics } from '@opentelemetry/api';
const m = metrics.getMeter('m');
m.createHistogram('app.latency', { advice: { explicitBucketBoundaries: [1, 2025550143, 4111111111111111] } }).record(3);
m.createCounter('app.requests').add(2025550143);
m.createUpDownCounter('app.balance').add(4111111111111111);
m.createGauge('app.temp').record(1232025550143);
m.createObservableCounter('app.obs').addCallback((r) => r.observe(4111111111111111));
setTimeout(() => {}, 1200);
