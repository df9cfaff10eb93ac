// otel-privacy demo: a tracer provider with the default policy, spans carrying obviously fake
// personal data, and a before/after report of what the application recorded versus what would be
// exported. Run with `npm run demo`.
import { randomBytes } from 'node:crypto';
import { SpanStatusCode } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { PrivacySpanProcessor, defaultPolicy } from 'otel-privacy';

if (!process.env.OTEL_PRIVACY_HMAC_KEY) {
  // A throwaway key for the demo only. Real services load one from a secret store (otel-privacy keygen).
  process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${randomBytes(32).toString('base64')}`;
  console.log('demo: OTEL_PRIVACY_HMAC_KEY not set, using a random throwaway key\n');
}

const policy = defaultPolicy();

// "Before": a recorder registered ahead of the privacy processor keeps what the app wrote (the
// initial attributes, and every setAttribute after the start) for the report.
const recorded = [];
const raw = new WeakMap();
const recorder = {
  onStart(span) {
    const attributes = { ...span.attributes };
    raw.set(span, attributes);
    const setAttribute = span.setAttribute.bind(span);
    span.setAttribute = (key, value) => {
      attributes[key] = value;
      return setAttribute(key, value);
    };
  },
  onEnding(span) {
    recorded.push({ name: span.name, attributes: raw.get(span), events: span.events.map((e) => ({ name: e.name, attributes: { ...e.attributes } })), status: { ...span.status } });
  },
  onEnd() {},
  forceFlush: async () => {},
  shutdown: async () => {},
};
const exporter = new InMemorySpanExporter();
const resource = resourceFromAttributes({ 'service.name': 'demo-shop', 'host.name': 'laptop-of-jane-doe', 'process.command_line': 'node shop.js --db-password=hunter2' });
const provider = new TracerProvider({
  resource,
  spanProcessors: [recorder, new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
});
const tracer = provider.getTracer('demo');

const checkout = tracer.startSpan('POST /checkout', {
  attributes: {
    'http.request.method': 'POST',
    'http.route': '/checkout',
    'url.full': 'https://shop.example/checkout?email=jane.doe@example.com&token=fake-token-123',
    'client.address': '203.0.113.45',
    'user_agent.original': 'Mozilla/5.0 (Jane Doe laptop)',
    'http.request.header.authorization': 'Bearer fake.jwt.token',
    'user.id': 'jane-doe-0001',
    'user.email': 'jane.doe@example.com',
    'app.card_number': '4111 1111 1111 1111',
  },
});
checkout.setAttribute('http.response.status_code', 402);
checkout.recordException(new Error('card 4111 1111 1111 1111 of jane.doe@example.com declined'));
checkout.setStatus({ code: SpanStatusCode.ERROR, message: 'payment declined for jane.doe@example.com' });
checkout.end();

const query = tracer.startSpan('SELECT shop.users', {
  attributes: { 'db.system.name': 'postgresql', 'db.namespace': 'shop', 'db.query.text': "SELECT * FROM users WHERE email = 'jane.doe@example.com'", 'session.id': 'fake-session-42' },
});
query.end();

await provider.forceFlush();

const show = (v) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
const rules = policy.sanitizer('traces').rules;
console.log(`policy: ${policy.name} (hash ${policy.hash})\n`);
const exported = exporter.getFinishedSpans();
for (const [i, before] of recorded.entries()) {
  const after = exported[i];
  console.log(`span "${before.name}"`);
  const keys = [...new Set([...Object.keys(before.attributes), ...Object.keys(after.attributes)])];
  const width = Math.max(...keys.map((k) => k.length));
  for (const key of keys) {
    console.log(`  ${key.padEnd(width)}  ${show(before.attributes[key]).slice(0, 60).padEnd(60)} -> ${show(after.attributes[key]).padEnd(34)} [${rules.decide(key).rule}]`);
  }
  for (const [j, e] of before.events.entries()) console.log(`  event ${e.name}: ${show(e.attributes).slice(0, 110)}…\n    -> ${show(after.events[j]?.attributes)}`);
  console.log(`  status: ${show(before.status)} -> ${show(after.status)}\n`);
}
console.log(`resource: ${show(resource.attributes)}`);
console.log(`       -> ${show(exported[0].resource.attributes)}\n`);

const leaked = ['jane.doe@example.com', 'jane-doe-0001', '4111 1111 1111 1111', 'hunter2', '203.0.113.45', 'laptop-of-jane-doe', 'fake-token-123', 'fake-session-42'].filter((v) =>
  JSON.stringify(exported.map((s) => ({ n: s.name, a: s.attributes, e: s.events, st: s.status, r: s.resource.attributes }))).includes(v),
);
const counts = {};
for (const r of policy.ruleStats()) counts[r.action] = (counts[r.action] ?? 0) + r.count;
console.log(`values decided: ${Object.entries(counts).map(([a, n]) => `${a} ${n}`).join(', ')}`);
console.log(leaked.length === 0 ? 'fake identities leaked: 0' : `LEAKED: ${leaked.join(', ')}`);
await provider.shutdown();
process.exitCode = leaked.length === 0 ? 0 : 1;
