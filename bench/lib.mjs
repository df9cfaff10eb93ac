// Shared helpers of the benchmark scenarios (bench/scenarios/*.mjs). No package imports here, so the
// child processes under bench/peers/ (which run another OpenTelemetry SDK line) can load it too.
//
// Scenario contract: a file bench/scenarios/<name>.mjs exports
//   export default async function ({ quick }) { ...; return ['<one line with figures and a ratio>', ...]; }
// `quick` (npm run bench -- --quick) means "prove it still runs": few iterations, no meaningful figures.
// Every figure is a median over rounds after a warm-up, and every ratio is against a baseline measured
// in the same run (interleaved with it when both are rounds of the same kind).

/** Rounds per measurement: enough for a stable median in a full run, three in a quick run. */
export const roundsFor = (quick) => (quick ? 3 : 9);

/** Median of a list of numbers. */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Microseconds elapsed since a `process.hrtime.bigint()` reading. */
export const usSince = (t0) => Number(process.hrtime.bigint() - t0) / 1000;

/**
 * Synchronous micro-benchmark: runs `fn(i)` `iterations` times per round after a warm-up and returns
 * the median µs per call.
 */
export function measure(fn, iterations, rounds) {
  for (let i = 0; i < Math.min(iterations, 2000); i++) fn(i); // warm-up
  const perOp = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn(i);
    perOp.push(usSince(t0) / iterations);
  }
  return median(perOp);
}

/**
 * Interleaved rounds: `variants` maps a name to an async function running one round and returning
 * its cost (any unit, e.g. µs per span). Each variant runs once as warm-up, then the variants take
 * turns for `rounds` rounds (A B C A B C …), so a slow patch of the shared machine hits all of them.
 * Returns the median cost per variant name.
 */
export async function interleaved(variants, rounds) {
  const costs = await interleavedRounds(variants, rounds);
  return Object.fromEntries(Object.keys(costs).map((name) => [name, median(costs[name])]));
}

/**
 * Like {@link interleaved}, but returns every round's cost per variant name (in round order) instead of
 * the medians, so that two variants can be compared round by round (e.g. the median of the per-round
 * differences, where each pair of rounds ran back to back on the machine).
 */
export async function interleavedRounds(variants, rounds) {
  const names = Object.keys(variants);
  const costs = Object.fromEntries(names.map((name) => [name, []]));
  for (const name of names) await variants[name]();
  for (let r = 0; r < rounds; r++) {
    for (const name of names) costs[name].push(await variants[name]());
  }
  return costs;
}

/**
 * A realistic HTTP server span's attributes (20 keys: method, route, status, url.full with a query
 * string, user agent, client address, user id, email in a custom attribute, credential headers…).
 * `users` sets how many distinct user ids / emails cycle through `i`. All identities are fake.
 */
export const httpAttributes = (i, users = 100_000) => ({
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

/** Attributes given at `startSpan` (the way HTTP instrumentations do), before `setAttributes`. */
export const START_ATTRIBUTES = {
  'http.request.method': 'GET',
  'url.full': 'https://x/y?z=1',
  'client.address': '198.51.100.1',
};

/**
 * The span of the provider scenarios (2, 3, 7): `startSpan` with 3 attributes → `setAttributes` with
 * {@link httpAttributes} → `end`. Works with any `@opentelemetry/api` tracer (SDK 2.x or 3.x).
 */
export const spanWork = (tracer, users) => (i) => {
  const span = tracer.startSpan('GET /users/:id/orders', { attributes: START_ATTRIBUTES });
  span.setAttributes(httpAttributes(i, users));
  span.end();
};

/**
 * One round of `n` spans through a provider, timed including `forceFlush()` so the batch processor's
 * export work is in the figure and its queue is empty before the next round (a queue that fills up
 * would silently measure the cheaper drop path). Returns µs per span.
 */
export async function providerRound(provider, work, n, offset = 0) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) work(offset + i);
  await provider.forceFlush();
  return usSince(t0) / n;
}

/** Batch processor settings shared by every provider scenario and by the peers. */
export const BATCH_SETTINGS = { maxQueueSize: 1 << 16, maxExportBatchSize: 512, scheduledDelayMillis: 50 };

/** A span exporter that accepts everything and does nothing (`ExportResultCode.SUCCESS` is 0). */
export const noopSpanExporter = () => ({
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
  forceFlush: async () => {},
});

/** `123456` → `123 k`, `1234567` → `1.23 M`: figures readable at a glance. */
export function rate(x) {
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(x >= 1e5 ? 0 : 1)} k`;
  return x.toFixed(1);
}

/** `ok` / `MISSED` against a lower bound, for the lines that carry a target. */
export const verdict = (value, atLeast) => (value >= atLeast ? 'met' : 'MISSED');
