// Shared helpers of the benchmark scenarios (bench/scenarios/*.mjs). No package imports here, so the
// child processes under bench/peers/ (which run another OpenTelemetry SDK line) can load it too.
//
// Scenario contract: a file bench/scenarios/<name>.mjs exports
//   export default async function ({ quick }) { ...; return ['<one line with figures and a ratio>', ...]; }
// `quick` (npm run bench -- --quick) means "prove it still runs": few iterations, no meaningful figures.
// Throughput figures use the steady-state method (second half of this file); micro-benchmarks
// (`measure`) and scenario 6 use medians over rounds after a warm-up. Every ratio is against a baseline
// measured in the same run, interleaved with it.

import { setImmediate } from 'node:timers';

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
 * The span of scenario 6's export rounds: `startSpan` with 3 attributes → `setAttributes` with
 * {@link httpAttributes} → `end`. Works with any `@opentelemetry/api` tracer (SDK 2.x or 3.x).
 */
export const spanWork = (tracer, users) => (i) => {
  const span = tracer.startSpan('GET /users/:id/orders', { attributes: START_ATTRIBUTES });
  span.setAttributes(httpAttributes(i, users));
  span.end();
};

/** Batch processor settings of scenario 6's export rounds (a large queue, flushed per round; not the steady-state method). */
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

// ---------------------------------------------------------------------------------------------------
// Steady-state method (scenarios 2, 3, 7, 9 and the metrics rows). What a service does, not a burst:
// - the pipeline has the SDK's DEFAULT batch settings (queue 2 048, batches of 512, 5 s timer) and an
//   exporter that does nothing but completes asynchronously (setImmediate), like a network export;
// - the driver yields to the event loop (setImmediate) every YIELD_EVERY requests, so the batch
//   processor exports while requests are handled and spans do not pile up until a final flush; a
//   round ends with `forceFlush()` inside the timed region (a few hundred spans at most), and the
//   exporter's count proves nothing was dropped (a full queue would measure the cheaper drop path);
// - every request builds its strings at request time by concatenation (user id, e-mail, URL path and
//   query, client address, SQL literals, exception message): fresh string objects V8 has never hashed,
//   whose content repeats only when the user comes back (users cycle over 1 000 or 100 000);
// - variants run in interleaved rounds whose order alternates and rotates (A B C, C B A, B C A, A C B, …), after warm-up rounds;
//   each round's ratio is taken against the baseline's round next to it; the figure is the median and
//   interquartile range of those per-round ratios, over three repeats; the baseline runs twice (two
//   separate pipelines), and their ratio is the A/A control: a run whose A/A median is outside
//   1.00 ± 0.05 is reported as noisy.
// ---------------------------------------------------------------------------------------------------

/** Requests between two yields to the event loop (two spans each: below one 512-span export batch). */
export const YIELD_EVERY = 200;

/** Rounds, repeats and warm-up rounds of the steady-state method; a quick run only proves it runs. */
export const steadyPlan = (quick) =>
  quick ? { rounds: 3, repeats: 1, warmup: 1 } : { rounds: 30, repeats: 3, warmup: 3 };

/** Lets the event loop turn once (timers, I/O, the exporter's completions) before the driver goes on. */
export const yieldToLoop = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A span exporter that does nothing but completes asynchronously (on the next turn of the event loop, as
 * a network export would), counts what it was given and keeps the first request's spans for checks.
 */
export function asyncNoopExporter() {
  const exporter = {
    exported: 0,
    sample: undefined,
    export(spans, done) {
      exporter.exported += spans.length;
      if (exporter.sample === undefined && spans.length >= 2) exporter.sample = spans.slice(0, 2);
      setImmediate(done, { code: 0 });
    },
    shutdown: async () => {},
    forceFlush: async () => {},
  };
  return exporter;
}

const STACK_TAIL =
  '\n    at findOrders (/srv/shop/orders/repository.js:88:13)' +
  '\n    at async handleOrders (/srv/shop/orders/routes.js:41:20)' +
  '\n    at async Layer.handle (/srv/shop/node_modules/router/lib/layer.js:152:17)';

/**
 * The unit of the steady-state method: one HTTP request's telemetry through `tracer` (any
 * `@opentelemetry/api` 1.x tracer; `api` is that line's `@opentelemetry/api` module, for the parent context).
 * A server span with 10 attributes at `startSpan` and 10 more set after it (20 in all: method, URL, path,
 * query, client address, user agent, user id, e-mail, credential headers, sizes…), a child database span
 * whose statement holds the user's id and e-mail as literals, one exception event (type, message with the
 * e-mail, stack trace) and the error status with the message. Request `i` belongs to user `i % users`;
 * every string is built here, per request (never pre-built), and all identities are fake.
 */
export const requestWork = (api, tracer, users) => (i) => {
  const u = i % users;
  const userId = 'fake-user-' + u;
  const email = 'fake' + u + '@example.com';
  const path = '/users/' + u + '/orders';
  const query = 'page=' + (u % 7) + '&token=fake' + u;
  const server = tracer.startSpan('GET /users/:id/orders', {
    kind: 1, // SpanKind.SERVER
    attributes: {
      'http.request.method': 'GET',
      'url.scheme': 'https',
      'url.full': 'https://shop.example' + path + '?' + query,
      'url.path': path,
      'url.query': query,
      'server.address': 'shop.example',
      'server.port': 443,
      'client.address': '198.51.' + ((u >> 8) & 255) + '.' + (u & 255),
      'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) Fake/' + (u % 50),
      'network.protocol.version': '1.1',
    },
  });
  server.setAttributes({
    'http.route': '/users/:id/orders',
    'user.id': userId,
    'app.customer_email': email,
    'http.request.header.authorization': 'Bearer fake-' + u,
    'http.request.header.cookie': 'sid=fake-' + u,
    'http.request.body.size': 512,
    'http.response.body.size': 2048,
    'thread.id': 7,
    'code.function.name': 'handleOrders',
  });
  const db = tracer.startSpan(
    'SELECT shop.orders',
    {
      kind: 2, // SpanKind.CLIENT
      attributes: {
        'db.system.name': 'postgresql',
        'db.namespace': 'shop',
        'db.collection.name': 'orders',
        'db.operation.name': 'SELECT',
        'db.query.text':
          "SELECT id, total FROM orders WHERE user_id = '" + userId + "' AND email = '" + email + "' LIMIT 20",
        'server.address': 'db.shop.example',
        'server.port': 5432,
        'network.peer.address': '192.0.2.' + (u % 250),
      },
    },
    api.trace.setSpan(api.ROOT_CONTEXT, server),
  );
  db.end();
  const message = 'no open order for ' + email + ' (' + userId + ')';
  server.addEvent('exception', {
    'exception.type': 'OrderLookupError',
    'exception.message': message,
    'exception.stacktrace': 'OrderLookupError: ' + message + STACK_TAIL,
  });
  server.setAttribute('http.response.status_code', 404);
  server.setStatus({ code: 2, message }); // SpanStatusCode.ERROR
  server.end();
};

/** Scenario 9's log body: the user's e-mail and id, built per record. */
export const scenarioLogBody = (i, u, userId) =>
  'order lookup failed for fake' + u + '@example.com (' + userId + ') after ' + (i % 97) + ' ms';

/**
 * The unit of scenario 9 (bench/scenarios/09-logs.mjs): one ERROR record through `logger` (any SDK logs line) whose
 * body is `body(i, u, userId)` and whose attributes are a user id, a route, a path and a client address, all strings
 * built per record for user `i % users`.
 */
export const logRecordWork =
  (logger, users, body = scenarioLogBody, contextOf = undefined) =>
  (i) => {
    const u = i % users;
    const userId = 'fake-user-' + u;
    const record = {
      severityNumber: 17, // ERROR
      severityText: 'ERROR',
      body: body(i, u, userId),
      attributes: {
        'user.id': userId,
        'http.route': '/users/:id/orders',
        'url.path': '/users/' + u + '/orders',
        'client.address': '198.51.' + ((u >> 8) & 255) + '.' + (u & 255),
        'code.function.name': 'handleOrders',
      },
    };
    if (contextOf !== undefined) record.context = contextOf(i);
    logger.emit(record);
  };

/**
 * For {@link logRecordWork}'s `contextOf`: the records of one request are emitted in its span, a new one (fresh ids,
 * sampled, no trace state) every `perSpan` records — as a server's log lines inside its request spans.
 */
export function requestSpanContexts(api, perSpan) {
  let context;
  return (i) => {
    if (context === undefined || i % perSpan === 0) {
      const id = (i + 1).toString(16).padStart(16, '0');
      context = api.trace.setSpanContext(api.ROOT_CONTEXT, {
        traceId: '4bf92f3577b34da6' + id,
        spanId: id,
        traceFlags: 1,
      });
    }
    return context;
  };
}

/**
 * {@link asyncNoopExporter} whose `export` first runs `encode` on the batch (e.g. an OTLP serializer's
 * `serializeRequest`: what an OTLP exporter does before sending), and throws if it encoded nothing.
 */
export function encodingExporter(encode) {
  const exporter = asyncNoopExporter();
  const complete = exporter.export;
  exporter.export = (items, done) => {
    if (encode(items) === undefined) throw new Error('bench: a batch was not encoded');
    complete(items, done);
  };
  return exporter;
}

/** Spans one {@link requestWork} request produces. */
export const SPANS_PER_REQUEST = 2;

/**
 * One steady-state round: `n` units of `work` (from `offset` on), yielding to the event loop every
 * {@link YIELD_EVERY}, then `flush()`; all of it timed. Returns µs per unit.
 */
export async function steadyRound(work, flush, n, offset) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    work(offset + i);
    if ((i + 1) % YIELD_EVERY === 0) await yieldToLoop();
  }
  await flush();
  return usSince(t0) / n;
}

/**
 * A steady-state pipeline for the rounds: `work` and `flush` as for {@link steadyRound}, `exported()` the
 * count its exporter saw. The round checks that the count grew by `perUnit` per unit (nothing dropped).
 * Returns the round function for {@link steadyRounds}.
 */
export function roundOf({ work, flush, exported, perUnit = SPANS_PER_REQUEST }, n) {
  let offset = 0; // user ids keep cycling across rounds instead of restarting
  return async () => {
    const before = exported();
    const us = await steadyRound(work, flush, n, offset);
    offset += n;
    const got = exported() - before;
    if (got !== n * perUnit) {
      throw new Error(`a round exported ${got} items instead of ${n * perUnit}: the queue overflowed (items dropped)`);
    }
    return us;
  };
}

/**
 * Runs `variants` (name → async round function returning its cost) in interleaved rounds: `warmup`
 * rounds of each, then per repeat one more warm-up round each and `rounds` rounds in alternating, rotating
 * order (A B C, C B A, B C A, A C B, …), so that every variant takes every position in a round equally often. Returns, per variant name, its costs per repeat (`costs[name][repeat][round]`).
 */
export async function steadyRounds(variants, { rounds, repeats, warmup }) {
  const names = Object.keys(variants);
  const costs = Object.fromEntries(names.map((name) => [name, []]));
  for (let w = 0; w < warmup; w++) for (const name of names) await variants[name]();
  for (let rep = 0; rep < repeats; rep++) {
    for (const name of names) await variants[name]();
    for (const name of names) costs[name].push([]);
    for (let r = 0; r < rounds; r++) {
      // Rotated as well as reversed: with three or more variants, reversing alone keeps some of them
      // always in the middle of a round and others at its ends (an A/A pair so placed read 0.90-0.94).
      const rotated = names.map((_, k) => names[(k + Math.floor(r / 2)) % names.length]);
      const order = r % 2 === 0 ? rotated : rotated.reverse();
      for (const name of order) costs[name][rep].push(await variants[name]());
    }
  }
  return costs;
}

/** The `q`-quantile (0…1) of a list, linear between neighbours. */
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (at - lo);
}

/**
 * Per-round comparison of two variants' costs (`costs[repeat][round]` each): `f(a, b)` per round pair
 * (e.g. `(base, x) => base / x` for a throughput ratio), then the median and interquartile range over
 * all rounds of all repeats, and the median of each repeat.
 */
export function perRound(aCosts, bCosts, f) {
  const perRepeat = aCosts.map((rounds, rep) => rounds.map((a, r) => f(a, bCosts[rep][r])));
  const all = perRepeat.flat();
  return {
    median: quantile(all, 0.5),
    q1: quantile(all, 0.25),
    q3: quantile(all, 0.75),
    repeats: perRepeat.map((xs) => quantile(xs, 0.5)),
  };
}

/** `0.71 (IQR 0.68–0.74; repeats 0.70 / 0.71 / 0.72)`: a {@link perRound} summary in one phrase. */
export const summary = (s, digits = 2) =>
  `${s.median.toFixed(digits)} (IQR ${s.q1.toFixed(digits)}–${s.q3.toFixed(digits)}; repeats ${s.repeats.map((x) => x.toFixed(digits)).join(' / ')})`;

/** Throughput ratio of `variant` to `base` per round (base cost / variant cost). */
export const throughputRatio = (base, variant) => base / variant;

/**
 * The A/A control line: the two baseline pipelines' per-round ratio, and whether the run was quiet
 * enough (median within 1.00 ± 0.05) for the other ratios of the same rounds to mean something.
 */
export function aaLine(label, costs, a, b) {
  const s = perRound(costs[a], costs[b], throughputRatio);
  const quiet = Math.abs(s.median - 1) <= 0.05;
  return {
    quiet,
    line: `${label} A/A control (${a} vs ${b}, same pipeline twice): ${summary(s)} — ${quiet ? 'quiet (within 1.00 ± 0.05)' : 'NOISY (outside 1.00 ± 0.05): the ratios of these rounds are unreliable'}`,
  };
}

/** Median cost of a variant over all its rounds, as throughput per second of the unit. */
export const perSecond = (costs) => 1e6 / quantile(costs.flat(), 0.5);

/** Every string an exported span holds: attributes, event attributes, status message. */
const stringsOf = (span) => [
  ...Object.values(span.attributes),
  ...span.events.flatMap((e) => Object.values(e.attributes ?? {})),
  span.status.message ?? '',
];

/** Throws unless the first exported request (db span, server span) shows the policy's work. */
export function checkRequest(spans, where, userIdLooksRight) {
  if (!spans) throw new Error(`${where}: nothing exported`);
  const server = spans.find((s) => s.name === 'GET /users/:id/orders');
  const db = spans.find((s) => s.name !== 'GET /users/:id/orders');
  if (!server || !db) throw new Error(`${where}: the first batch does not hold one whole request`);
  if (!userIdLooksRight(String(server.attributes['user.id'])))
    throw new Error(`${where}: unexpected user.id ${server.attributes['user.id']}`);
  const leak = [...stringsOf(server), ...stringsOf(db)].find((v) => /@example\.com|fake-user-/.test(String(v)));
  if (leak !== undefined) throw new Error(`${where}: a raw identity was exported: ${leak}`);
  if ('http.request.header.authorization' in server.attributes) throw new Error(`${where}: kept a credential header`);
}

/**
 * The 16 exact keys scenario 3's key-only policy and the peers (autotel, ADOT) redact: equal work. One list for the
 * scenario's peer worker and the A/B and profiling tools.
 */
export const KEY_ONLY_KEYS = [
  'user.id',
  'enduser.id',
  'session.id',
  'user.email',
  'app.customer_email',
  'client.address',
  'network.peer.address',
  'url.full',
  'url.query',
  'http.target',
  'http.request.header.authorization',
  'http.request.header.cookie',
  'user_agent.original',
  'db.query.text',
  'exception.message',
  'exception.stacktrace',
];
