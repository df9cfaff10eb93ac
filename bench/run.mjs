// otel-privacy benchmarks (`npm run bench`, `npm run bench -- --quick`). Each scenario prints one line
// with its figures and the ratio against a baseline measured in the same run, as medians over rounds
// after a warm-up. Not part of `npm test`; no thresholds.
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ExportResultCode } from '@opentelemetry/core';
import { PrivacySpanProcessor, defaultPolicy } from 'otel-privacy';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 9;
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function measure(fn, iterations) {
  for (let i = 0; i < Math.min(iterations, 2000); i++) fn(i); // warm-up
  const perOp = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn(i);
    perOp.push(Number(process.hrtime.bigint() - t0) / iterations / 1000);
  }
  return median(perOp); // µs per op
}

// A realistic HTTP server span: ~20 attributes under the default policy.
const httpAttributes = (i, users = 100_000) => ({
  'http.request.method': 'GET',
  'http.route': '/users/:id/orders',
  'http.response.status_code': 200,
  'url.scheme': 'https',
  'url.path': `/users/${i % 1000}/orders`,
  'url.full': `https://shop.example/users/${i % 1000}/orders?page=2&token=fake`,
  'url.query': 'page=2&token=fake',
  'server.address': 'shop.example',
  'server.port': 443,
  'network.protocol.version': '1.1',
  'client.address': `198.51.100.${i % 250}`,
  'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) Fake/1.0',
  'user.id': `fake-user-${i % users}`,
  'app.customer_email': `fake${i % users}@example.com`,
  'http.request.header.authorization': 'Bearer fake',
  'http.request.header.cookie': 'sid=fake',
  'http.request.body.size': 512,
  'http.response.body.size': 2048,
  'thread.id': 7,
  'code.function.name': 'handleOrders',
});

const policy = defaultPolicy();
const sanitizer = policy.sanitizer('traces');
const lines = [];

// 1. Sanitize cost per span vs a plain copy of the same attributes.
{
  const inputs = Array.from({ length: 4096 }, (_, i) => httpAttributes(i));
  const n = quick ? 20_000 : 200_000;
  const floor = measure((i) => ({ ...inputs[i & 4095] }), n);
  const ours = measure((i) => sanitizer.sanitize(inputs[i & 4095]), n);
  lines.push(`1 sanitize cost per span (20 attrs, default policy): ${ours.toFixed(2)} µs/span; plain copy ${floor.toFixed(2)} µs; ratio ${(ours / floor).toFixed(1)}x the copy`);
}

// 2. Provider throughput: startSpan → setAttributes → end through BatchSpanProcessor → no-op exporter.
{
  const noop = { export: (_spans, cb) => cb({ code: ExportResultCode.SUCCESS }), shutdown: async () => {}, forceFlush: async () => {} };
  const make = (withPrivacy) => {
    const batch = new BatchSpanProcessor({ exporter: noop, maxQueueSize: 1 << 16, maxExportBatchSize: 512, scheduledDelayMillis: 50 });
    const provider = new TracerProvider({ spanProcessors: [withPrivacy ? new PrivacySpanProcessor({ policy, next: batch }) : batch] });
    return { provider, tracer: provider.getTracer('bench') };
  };
  const bare = make(false);
  const priv = make(true);
  const n = quick ? 5_000 : 50_000;
  const run = (t, users) => (i) => {
    const span = t.startSpan('GET /users/:id/orders', { attributes: { 'http.request.method': 'GET', 'url.full': 'https://x/y?z=1', 'client.address': '198.51.100.1' } });
    span.setAttributes(httpAttributes(i, users));
    span.end();
  };
  for (const users of [1_000, 100_000]) {
    const bareUs = measure(run(bare.tracer, users), n);
    const privUs = measure(run(priv.tracer, users), n);
    lines.push(`2 provider throughput (${users} distinct user ids): bare ${(1e6 / bareUs).toFixed(0)} spans/s, with PrivacySpanProcessor ${(1e6 / privUs).toFixed(0)} spans/s; ratio ${(bareUs / privUs).toFixed(2)} (target >= 0.85)`);
  }
  await bare.provider.shutdown();
  await priv.provider.shutdown();
}

// 4. Hashing: pseudonyms per second, distinct ids vs a few repeated ids (LRU effect).
{
  const n = quick ? 20_000 : 100_000;
  const distinct = measure((i) => sanitizer.sanitizeValue('user.id', `fake-user-${i}-${Math.random()}`), n);
  const repeated = measure((i) => sanitizer.sanitizeValue('user.id', `fake-user-${i % 100}`), n);
  lines.push(`4 hashing: ${(1e6 / distinct).toFixed(0)} pseudonyms/s for distinct ids, ${(1e6 / repeated).toFixed(0)}/s for 100 repeated ids; cache speed-up ${(distinct / repeated).toFixed(1)}x`);
}

// 8. Detectors: MB/s on clean and PII-dense text; adversarial input at three sizes (linear growth).
{
  const scan = policy.scanText.bind(policy);
  const clean = Array.from({ length: 2000 }, (_, i) => `GET /api/v2/orders/${i} 200 in 12ms trace=4bf92f3577b34da6a3ce929d0e0e4736 build 1.4.${i % 50} region eu-west-1 path /api/v2/orders`);
  const dense = Array.from({ length: 2000 }, (_, i) => `user fake${i}@example.com paid with 4111 1111 1111 1111 from 203.0.113.${i % 250}, call +1 202-555-01${String(i % 100).padStart(2, '0')}`);
  const mbps = (texts, unique) => {
    const bytes = texts.reduce((n, t) => n + t.length, 0);
    // Unique suffixes defeat the clean-value cache, so this is the cold cost.
    const us = measure((r) => { for (const t of texts) scan(unique ? `${t} #${r}` : t); }, quick ? 3 : 10);
    return bytes / us; // bytes per µs = MB/s
  };
  lines.push(`8 detectors: clean text ${mbps(clean, true).toFixed(1)} MB/s cold, ${mbps(clean, false).toFixed(0)} MB/s repeated (cache); PII-dense ${mbps(dense, true).toFixed(1)} MB/s`);
  const sizes = [250_000, 500_000, 1_000_000];
  const times = sizes.map((n) => measure(() => scan('a@'.repeat(n / 2) + '!'), 1) / 1000);
  lines.push(`8 adversarial 'a@a@…' at ${sizes.map((n) => `${n / 1e6} MB`).join(' / ')}: ${times.map((t) => `${t.toFixed(1)} ms`).join(' / ')} (ratio per doubling ${(times[1] / times[0]).toFixed(2)}, ${(times[2] / times[1]).toFixed(2)}; linear ≈ 2)`);
}

console.log(`otel-privacy bench — node ${process.version}, ${quick ? 'quick' : `${ROUNDS} rounds`}`);
for (const l of lines) console.log(l);
