import { trace, metrics, logs } from '@opentelemetry/api';
const E = 'jane.doe@example.com';
const tr = trace.getTracer('attack2', '4111-1111-1111-1111', { schemaUrl: 'https://example.com/' + E });
const sp = (name, fn, opts) => {
  const s = tr.startSpan(name, opts);
  fn(s);
  s.end();
};
// cache context: clean under one key, then under an address key
sp('v40', (s) => s.setAttributes({ 'thread.name': '3405803783', 'error.type': '0xCB007107' }));
sp('v41', (s) =>
  s.setAttributes({
    'server.address': '3405803783',
    'net.host.name': '0xCB007107',
    'dns.question.name': '0313.0.0161.07',
  }),
);
sp('v42', (s) => s.setAttributes({ 'server.address': '3405803783' }));
// log body maps with allowed keys
const lg = logs.getLogger('attack2-log');
lg.emit({
  body: { 'thread.name': E, 'error.type': ['x', E], 'feature_flag.result.value': { 'thread.name': E } },
  attributes: { vec: 'v43' },
});
lg.emit({
  body: 'v44',
  attributes: {
    vec: 'v44',
    'feature_flag.result.value': [[E]],
    'error.type': [{ 'thread.name': E }],
    'thread.name': [new Uint8Array(Buffer.from(E))],
  },
});
const m = metrics.getMeter('attack2-meter', '4111-1111-1111-1111', { schemaUrl: 'https://example.com/' + E });
const h2 = m.createHistogram('v45_lat', {
  advice: { explicitBucketBoundaries: [123456789, 2025550143, 4111111111111111] },
});
h2.record(1, {});
const g = m.createObservableGauge('v46_g', { unit: 'By' });
g.addCallback((r) => r.observe(4111111111111111, { 'error.type': 'x' }));
const g2 = m.createObservableGauge('v47_g');
g2.addCallback((r) => r.observe(12025550143, { 'error.type': 'x' }));
const c = m.createCounter('v48_c');
c.add(4111111111111111, { 'error.type': 'y' });
await new Promise((r) => setTimeout(r, 1200));
