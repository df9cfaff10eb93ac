import { trace, logs, metrics } from '@opentelemetry/api';
const E = 'jane.doe@example.com';
const tr = trace.getTracer('attack6');
const arr = ['clean'];
const s = tr.startSpan('v130', { attributes: { 'aws.dynamodb.table_names': arr } });
s.end();
try {
  arr[0] = E;
  arr.push(E);
} catch (e) {
  console.log('arr frozen', e.message);
}
const lg = logs.getLogger('a6');
const body = { 'thread.name': 'clean', list: ['clean'] };
const attrs = { vec: 'v131', 'aws.dynamodb.table_names': ['clean'], 'feature_flag.result.value': { k: 'clean' } };
lg.emit({ body, attributes: attrs });
try {
  body['thread.name'] = E;
  body.list[0] = E;
  attrs['aws.dynamodb.table_names'][0] = E;
  attrs['feature_flag.result.value'].k = E;
} catch (e) {
  console.log('body frozen', e.message);
}
const buf = new Uint8Array(Buffer.from('clean-bytes-value-here'));
lg.emit({ body: buf, attributes: { vec: 'v132' } });
buf.set(Buffer.from(E));
const attrBuf = new Uint8Array(Buffer.from('clean-bytes-value-here'));
lg.emit({ body: 'v133', attributes: { vec: 'v133', 'thread.name': attrBuf } });
attrBuf.set(Buffer.from(E));
// metric attributes object mutated after add
const m = metrics.getMeter('a6m');
const c = m.createCounter('v134_c');
const mattrs = { 'error.type': 'clean' };
c.add(1, mattrs);
mattrs['error.type'] = E;
const g = m.createObservableGauge('v135_g');
const garr = ['clean'];
g.addCallback((r) => {
  r.observe(1, { 'aws.dynamodb.table_names': garr });
});
setTimeout(() => {
  garr[0] = E;
}, 100);
await new Promise((r) => setTimeout(r, 1500));
