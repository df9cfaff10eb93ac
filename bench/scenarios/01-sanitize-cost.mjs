// 1. Sanitize cost per span, measured on the unit the benchmark issue describes: one HTTP request's
// telemetry, i.e. a server span (the 20 attributes of bench/lib.mjs httpAttributes: method, route,
// status, url.full with a query string, user agent, client address, user id, an email in a custom
// attribute, credential headers…, three of them given at startSpan as HTTP instrumentations do), a
// child database span (db.system.name, db.namespace, db.query.text with literals — a fake user id and
// email —, server.address…) and one exception event on the server span (exception.type, a message
// holding a fake email, a stack trace), with the error status and its message.
//
// How it is measured, and why:
// - Through the library's real span path, not by calling the attribute sanitizer on a flat object:
//   real SDK 3.x spans from a `TracerProvider` whose only processor does nothing, with and without
//   `PrivacySpanProcessor` (default policy) in front of it, in interleaved rounds. The figure is what
//   the privacy layer adds per request: the median over rounds of (with − without), each pair of
//   rounds run back to back. The processor sanitizes eagerly (start attributes in onStart; the rest,
//   events, status and resource in place in onEnding), so a downstream processor that reads nothing
//   does not let any of its work be skipped. The totals of both pipelines are printed too.
// - The floor the issue asks for: a plain copy of the same attributes (the three objects: server span,
//   db span, exception event), and the ratio of the added cost to it.
// - Inputs are prepared before timing (building the attribute objects is in no figure). The headline
//   cycles over 4 096 requests of 4 096 distinct fake users: pseudonyms and the 1 000 distinct url.full
//   values repeat within the caches, but the SQL statements (literals differ per user, as real ones do)
//   come back only after 4 096 others, so the statement is tokenized and rewritten again on most
//   requests (its rewritten form is the same for every user, so scanning it hits the clean-value cache).
//   A second privacy pipeline (its own policy instance, so its own caches) cycles over 1 000 users,
//   where every value repeats: what a request costs when the caches hit (values with findings, such as
//   an exception message the policy keeps, are scanned every time by design).
// - The earlier figure (the server span's 20 attributes through `policy.sanitizer('traces').sanitize`,
//   against a copy of them) is kept as a second line, comparable with earlier bench/RESULTS.md rows.
// After the rounds, one request goes through the privacy pipeline into a capturing processor and the
// result is checked (pseudonym, no email anywhere, no header, SQL literals gone), so the figure cannot
// come from a pipeline that silently stopped redacting. All identities are fake (fake-user-N, @example.com).
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { defaultPolicy, PrivacySpanProcessor } from 'otel-privacy';
import { httpAttributes, interleavedRounds, measure, median, roundsFor, START_ATTRIBUTES, usSince } from '../lib.mjs';

const PREPARED = 4096; // prepared requests, one per fake user (a power of two: `i & (PREPARED - 1)` cycles over them)

/** The child database span's attributes for user `u` (8 keys; the statement carries literals). */
const dbAttributes = (u) => ({
  'db.system.name': 'postgresql',
  'db.namespace': 'shop',
  'db.collection.name': 'orders',
  'db.operation.name': 'SELECT',
  'db.query.text': `SELECT id, total FROM orders WHERE user_id = 'fake-user-${u}' AND email = 'fake${u}@example.com' ORDER BY created_at DESC LIMIT 20`,
  'server.address': 'db.shop.example',
  'server.port': 5432,
  'network.peer.address': `192.0.2.${u % 250}`,
});

/** The exception event's attributes for user `u` (what `recordException` records). */
const exceptionAttributes = (u) => ({
  'exception.type': 'OrderLookupError',
  'exception.message': `no open order for fake${u}@example.com (fake-user-${u})`,
  'exception.stacktrace': [
    `OrderLookupError: no open order for fake${u}@example.com (fake-user-${u})`,
    '    at findOrders (/srv/shop/orders/repository.js:88:13)',
    '    at async handleOrders (/srv/shop/orders/routes.js:41:20)',
    '    at async Layer.handle (/srv/shop/node_modules/router/lib/layer.js:152:17)',
  ].join('\n'),
});

const requests = Array.from({ length: PREPARED }, (_, u) => {
  const server = httpAttributes(u);
  const exception = exceptionAttributes(u);
  return {
    server,
    db: dbAttributes(u),
    exception,
    status: { code: SpanStatusCode.ERROR, message: exception['exception.message'] },
  };
});
const attributeCount = (r) => Object.keys(r.server).length + Object.keys(r.db).length + Object.keys(r.exception).length;

/** Prepared request `k`'s telemetry through `tracer`: server span, child db span, exception event, error status. */
function request(tracer, k) {
  const r = requests[k];
  const server = tracer.startSpan('GET /users/:id/orders', { kind: SpanKind.SERVER, attributes: START_ATTRIBUTES });
  server.setAttributes(r.server);
  const db = tracer.startSpan(
    'SELECT shop.orders',
    { kind: SpanKind.CLIENT, attributes: r.db },
    trace.setSpan(ROOT_CONTEXT, server),
  );
  db.end();
  server.addEvent('exception', r.exception);
  server.setStatus(r.status);
  server.end();
}

/** A span processor that does nothing (or, with `into`, keeps every ended span there). */
const downstream = (into) => ({
  onStart() {},
  onEnd(span) {
    into?.push(span);
  },
  forceFlush: async () => {},
  shutdown: async () => {},
});

/** Throws unless the privacy pipeline's output for one request shows the default policy's work. */
function checkRedacted(policy) {
  const ended = [];
  const provider = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: downstream(ended) })],
  });
  request(provider.getTracer('bench'), 7);
  const server = ended.find((s) => s.kind === SpanKind.SERVER);
  const db = ended.find((s) => s.kind === SpanKind.CLIENT);
  const problems = [];
  if (!server || !db) problems.push(`${ended.length} spans ended, expected the server and the db span`);
  else {
    if (!/^k0:/.test(String(server.attributes['user.id'])))
      problems.push(`user.id is ${server.attributes['user.id']}, not a k0: pseudonym`);
    if ('http.request.header.authorization' in server.attributes) problems.push('the authorization header was kept');
    if (server.events.length !== 1) problems.push(`${server.events.length} events on the server span`);
    const text = JSON.stringify([server.attributes, server.events, server.status, db.attributes]);
    for (const leak of ['@example.com', 'fake-user-7', 'OrderLookupError: no open'])
      if (text.includes(leak)) problems.push(`"${leak}" is still in the output`);
  }
  if (problems.length > 0)
    throw new Error(
      `scenario 1: the privacy pipeline did not redact as the default policy says: ${problems.join('; ')}`,
    );
}

let sink; // keeps the copies observable, so the floor loop is not optimized away

export default async function ({ quick }) {
  const policy = defaultPolicy();
  const rounds = roundsFor(quick);

  // the unit of the issue: a request's spans and event through real SDK spans
  const bare = new TracerProvider({ spanProcessors: [downstream()] });
  const priv = new TracerProvider({ spanProcessors: [new PrivacySpanProcessor({ policy, next: downstream() })] });
  const warm = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy: defaultPolicy(), next: downstream() })],
  });
  const perRound = quick ? 2_000 : 30_000;
  const timed = (provider, users) => {
    const tracer = provider.getTracer('bench');
    let next = 0; // users keep cycling across rounds instead of restarting at 0
    return () => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < perRound; i++) request(tracer, next++ % users);
      return usSince(t0) / perRound;
    };
  };
  const costs = await interleavedRounds(
    { bare: timed(bare, PREPARED), privacy: timed(priv, PREPARED), warm: timed(warm, 1000) },
    rounds,
  );
  const addedBy = (name) => median(costs[name].map((us, r) => us - costs.bare[r]));
  const added = addedBy('privacy');
  const n = quick ? 20_000 : 200_000;
  const copyFloor = measure(
    (i) => {
      const r = requests[i & (PREPARED - 1)];
      sink = [{ ...r.server }, { ...r.db }, { ...r.exception }];
    },
    n,
    rounds,
  );
  checkRedacted(policy);
  await Promise.all([bare.shutdown(), priv.shutdown(), warm.shutdown()]);

  // the earlier figure: the server span's 20 attributes through the sanitizer alone
  const sanitizer = policy.sanitizer('traces');
  const floor20 = measure((i) => (sink = { ...requests[i & (PREPARED - 1)].server }), n, rounds);
  const ours20 = measure((i) => (sink = sanitizer.sanitize(requests[i & (PREPARED - 1)].server)), n, rounds);
  if (sink === undefined) throw new Error('unreachable');

  return [
    `1 sanitize cost per request (server span 20 attrs + child db span 8 attrs + exception event 3 attrs + error status, default policy, real SDK 3.x spans): PrivacySpanProcessor adds ${added.toFixed(2)} µs/request with 4 096 distinct users (SDK alone ${median(costs.bare).toFixed(2)} µs, with it ${median(costs.privacy).toFixed(2)} µs), ${addedBy('warm').toFixed(2)} µs when 1 000 users repeat (caches hit); plain copy of the same ${attributeCount(requests[0])} attributes ${copyFloor.toFixed(2)} µs; ratio ${(added / copyFloor).toFixed(1)}x the copy`,
    `1 sanitize cost per span (20 attrs, default policy): ${ours20.toFixed(2)} µs/span; plain copy ${floor20.toFixed(2)} µs; ratio ${(ours20 / floor20).toFixed(1)}x the copy`,
  ];
}
