import { trace, logs, metrics } from '@opentelemetry/api';
const E = 'jane.doe@example.com';
const tr = trace.getTracer('attack10');
for (let k = 0; k < 3; k++) {
  const s = tr.startSpan('v220', {
    attributes: {
      [E]: 'x',
      ['app.' + E]: 'y',
      'user.jane.doe': 'z',
      'thread.name': E,
      AKIAIOSFODNN7EXAMPLE: 1,
      'app.4111 1111 1111 1111': 2,
    },
  });
  s.setAttribute('user.email', E);
  s.end();
}
logs.getLogger('a10').emit({ body: 'v221', attributes: { [E]: 'x', 'log.4111-1111-1111-1111': 1 } });
const m = metrics.getMeter('a10m');
m.createCounter('v222_c').add(1, { [E]: 'x', 'error.type': 'y' });
await new Promise((r) => setTimeout(r, 1500));
