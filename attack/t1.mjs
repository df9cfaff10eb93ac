import { trace, metrics, ROOT_CONTEXT, SpanKind, logs } from '@opentelemetry/api';

const E = 'jane.doe@example.com',
  P = '+1 202 555 0143',
  C = '4111 1111 1111 1111',
  S = '123-45-6789',
  IP = '203.0.113.7',
  K = 'AKIAIOSFODNN7EXAMPLE',
  B = 'Bearer s3cr3tT0k3nABCDEF123456';
const tr = trace.getTracer('attack', '1.0.0');
const sp = (name, fn, opts) => {
  const s = tr.startSpan(name, opts);
  fn(s);
  s.end();
};
// span names
sp('v1 ' + E, () => {});
sp('v2', (s) => s.updateName('v2 ' + P));
{
  const s = tr.startSpan('v3');
  s.end();
  s.updateName('v3 ' + C);
  s.setAttribute('db.system', E);
  s.addEvent(E);
  s.setStatus({ code: 2, message: E });
}
sp('v4', (s) => s.setStatus({ code: 2, message: 'failed for ' + E + ' ' + S }));
sp('v5', (s) => s.addEvent('v5 evt ' + E, { 'error.type': P, 'exception.type': C }));
sp('v6', (s) => s.recordException({ name: E, message: S, stack: C }));
sp('v7', (s) => s.recordException('string exc ' + E));
sp('v8', (s) => {
  const e = new Error('boom ' + E);
  e.name = 'Err' + K;
  e.code = S;
  s.recordException(e);
});
sp('v9', (s) => s.recordException({ code: E, name: 'X' }));
sp('v10', (s) =>
  s.addLink({
    context: {
      traceId: '41111111111111110000000000000000',
      spanId: '2025550143000000',
      traceFlags: 1,
      traceState: undefined,
    },
    attributes: { 'error.type': E, vec: 'v10l' },
  }),
);
sp('v11', () => {}, {
  links: [
    {
      context: {
        traceId: 'ab'.repeat(16),
        spanId: 'cd'.repeat(8),
        traceFlags: 1,
        traceState: {
          get: () => E,
          serialize: () => 'jane=' + 'doe',
          set() {
            return this;
          },
          unset() {
            return this;
          },
        },
      },
      attributes: { 'thread.name': E },
    },
  ],
});
// parent with tracestate
{
  const parent = trace.wrapSpanContext({
    traceId: 'ab'.repeat(16),
    spanId: 'cd'.repeat(8),
    traceFlags: 1,
    isRemote: true,
    traceState: {
      get: () => undefined,
      serialize: () => 'email=jane.doe@example.com,ot=th:0',
      set() {
        return this;
      },
      unset() {
        return this;
      },
    },
  });
  const s = tr.startSpan('v12', {}, trace.setSpan(ROOT_CONTEXT, parent));
  s.end();
}
// allowed keys with values
sp('v13', (s) =>
  s.setAttributes({
    'thread.name': E,
    'error.type': P,
    'exception.type': C,
    'code.function.name': S,
    'server.address': IP,
    'peer.service': K,
    'feature_flag.result.value': B,
  }),
);
sp('v14', (s) =>
  s.setAttributes({
    'kafka.offset': 4111111111111111,
    'process.pid': 2025550143,
    'thread.id': 123456789,
    'jsonrpc.request.id': '4111111111111111',
    'file.size': 12025550143,
  }),
);
sp('v15', (s) =>
  s.setAttributes({
    'aws.dynamodb.table_names': ['jane.doe', 'example.com'],
    'aws.dynamodb.attributes_to_get': ['4111', '1111', '1111', '1111'],
    'container.image.tags': [E],
  }),
);
sp('v16', (s) =>
  s.setAttributes({
    'client.address': IP,
    'network.peer.address': '::ffff:' + IP,
    'source.address': IP + ':443',
    'http.client_ip': 'for=' + IP,
  }),
);
sp('v17', (s) => {
  s.end();
  s.setAttribute('thread.name', E);
});
sp('v18', (s) =>
  s.setAttributes({
    'url.full': 'https://jane.doe@example.com/' + S + '/x',
    'http.route': '/u/' + E,
    'url.path': '/c/' + C.replace(/ /g, ''),
    'url.query': 'q=' + E,
  }),
);
sp('v19', (s) =>
  s.setAttributes({
    'db.system.name': 'postgresql',
    'db.query.text': "SELECT * FROM u WHERE email='" + E + "'",
    'db.query.summary': 'SELECT ' + E,
    'db.collection.name': E,
  }),
);
sp('v20', (s) => s.setAttributes({ 'db.system.name': 'redis', 'db.query.text': 'SET user:' + E + ' 1' }));
sp('v21', () => {}, { kind: SpanKind.SERVER, attributes: { 'thread.name': E } });
// logs
const lg = logs.getLogger('attack-log', '1.0', { scopeAttributes: { a: E } });
lg.emit({ body: 'v22 ' + E, severityText: E, attributes: { vec: 'v22' } });
lg.emit({ body: { vec: 'v23', [E]: 1, nested: { [P]: C } }, attributes: { vec: 'v23' } });
lg.emit({ body: 'v24', eventName: E, attributes: { vec: 'v24', 'exception.type': E, 'exception.message': E } });
lg.emit({ body: new Uint8Array(Buffer.from(E)), attributes: { vec: 'v25' } });
lg.emit({ body: 'v26', attributes: { vec: 'v26', 'feature_flag.result.value': { [E]: 'x', k: [P, { [C]: S }] } } });
lg.emit({ body: ['v27', E, P], attributes: { vec: 'v27' } });
lg.emit({
  body: 'v28',
  severityText: 'INFO',
  attributes: { vec: 'v28', 'thread.name': new Uint8Array(Buffer.from(E)) },
});
lg.emit({ body: 4111111111111111, attributes: { vec: 'v29' } });
lg.emit({ body: 12025550143, attributes: { vec: 'v30' } });
// metrics
const m = metrics.getMeter('attack-meter-' + E, '1.' + C);
const c1 = m.createCounter('v31_orders', { description: 'orders for ' + E + ' ' + P, unit: '{' + E + '}' });
c1.add(1, { 'thread.name': E, 'error.type': P, 'http.response.status_code': 4111111111111111 });
c1.add(1, { [E]: 'x' });
const h = m.createHistogram('v32_lat', {
  advice: { explicitBucketBoundaries: [4111, 1111, 1111, 1111].map((x, i) => x + i * 10000) },
});
h.record(5, { 'error.type': 'x' });
const h2 = m.createHistogram('v33_lat', {
  advice: { explicitBucketBoundaries: [2025550143, 4111111111111111, 123456789] },
});
h2.record(4111111111111111, {});
const g = m.createObservableGauge('v34_g', { description: 'gauge' });
g.addCallback((r) => r.observe(4111111111111111, { 'thread.name': E }));
const up = m.createUpDownCounter('v35_' + 'janedoe_examplecom');
up.add(1);
await new Promise((r) => setTimeout(r, 1500));
