import { trace, metrics, logs } from '@opentelemetry/api';
const E = 'jane.doe@example.com';
const m = metrics.getMeter('m', E, { schemaUrl: 'https://s/' + E, attributes: { 'app.x': E } });
const c = m.createCounter('app_counter', { unit: E, description: 'd ' + E }); c.add(1);
const t = trace.getTracer('t', E, { schemaUrl: 'https://s/' + E }); const s = t.startSpan('s'); s.end();
logs.getLogger('l', E, { schemaUrl: 'https://s/' + E }).emit({ body: 'x', eventName: 'ev.' + E });
const ob = m.createObservableGauge('app_obs', { unit: '4111 1111 1111 1111' }); ob.addCallback((r) => r.observe(1, { 'app.x': E }));
setTimeout(() => {}, 1200);
