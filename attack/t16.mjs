import { trace, logs } from '@opentelemetry/api';
const E = 'jane.doe@example.com';
const flip = (clean, n = 1) => {
  let c = 0;
  return () => (c++ < n ? clean : E);
};
const lg = logs.getLogger('a16');
// array with a getter element
for (const n of [1, 2, 3, 5]) {
  const arr = ['v290', 'x'];
  const g = flip('clean', n);
  Object.defineProperty(arr, 1, { get: g, enumerable: true, configurable: true });
  lg.emit({ body: arr, attributes: { vec: 'v290_' + n } });
}
// Proxy array body
for (const n of [1, 2, 3, 5, 8]) {
  const g = flip('clean', n);
  const p = new Proxy(['v291', 'clean'], {
    get(t, k, r) {
      if (k === '1') return g();
      return Reflect.get(t, k, r);
    },
    getOwnPropertyDescriptor(t, k) {
      if (k === '1') return { value: g(), writable: true, enumerable: true, configurable: true };
      return Reflect.getOwnPropertyDescriptor(t, k);
    },
  });
  lg.emit({ body: p, attributes: { vec: 'v291_' + n } });
}
// Proxy map body / attribute map value
for (const n of [1, 2, 3, 5]) {
  const g = flip('clean', n);
  const obj = new Proxy(
    { 'thread.name': 'clean' },
    {
      get(t, k, r) {
        if (k === 'thread.name') return g();
        return Reflect.get(t, k, r);
      },
    },
  );
  lg.emit({
    body: 'v292',
    attributes: {
      vec: 'v292_' + n,
      'feature_flag.result.value': obj,
      'aws.dynamodb.table_names': new Proxy(['clean'], {
        get(t, k, r) {
          if (k === '0') return g();
          return Reflect.get(t, k, r);
        },
      }),
    },
  });
}
/** `attributes` whose `thread.name` reads `g()` each time (through a property get or its descriptor). */
const flippingThreadName = (attributes, g) =>
  new Proxy(attributes, {
    get(t, k, r) {
      if (k === 'thread.name') return g();
      return Reflect.get(t, k, r);
    },
    getOwnPropertyDescriptor(t, k) {
      const d = Reflect.getOwnPropertyDescriptor(t, k);
      if (k === 'thread.name') d.value = g();
      return d;
    },
  });
// attributes object itself as a proxy
for (const n of [1, 2, 3, 5]) {
  const g = flip('clean', n);
  lg.emit({ body: 'v293', attributes: flippingThreadName({ vec: 'v293_' + n, 'thread.name': 'clean' }, g) });
}
const tr = trace.getTracer('a16');
for (const n of [1, 2, 3, 5]) {
  const g = flip('clean', n);
  const arr = new Proxy(['clean'], {
    get(t, k, r) {
      if (k === '0') return g();
      return Reflect.get(t, k, r);
    },
  });
  const s = tr.startSpan('v294_' + n, { attributes: { 'aws.dynamodb.table_names': arr } });
  s.end();
}
// span name via object with toString? (SDK requires string) ; status message getter
for (const n of [1, 2, 3]) {
  const g = flip('clean', n);
  const s = tr.startSpan('v295_' + n);
  const st = { code: 2 };
  Object.defineProperty(st, 'message', { get: g, enumerable: true });
  s.setStatus(st);
  s.end();
}
// log record: emit with body a getter-based object of type string? body string is primitive.
// event attributes with proxies
for (const n of [1, 2, 3]) {
  const g = flip('clean', n);
  const s = tr.startSpan('v296_' + n);
  s.addEvent('e', flippingThreadName({ 'thread.name': 'clean' }, g));
  s.end();
}
await new Promise((r) => setTimeout(r, 800));
