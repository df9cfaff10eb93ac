import { trace, metrics } from '@opentelemetry/api';
const m = metrics.getMeter('m');
const h = m.createHistogram('http.server.request.duration', { unit: 's' });
const c = m.createCounter('app.requests');
const g = m.createGauge('app.g'); const u = m.createUpDownCounter('app.ud');
trace.getTracer('t').startActiveSpan('sp', (sp) => {
  const a = { 'http.request.method': 'GET', 'user.email': 'jane.doe@example.com', 'enduser.id': 'jane-0001', 'client.address': '203.0.113.7', 'app.secret': 'AKIAIOSFODNN7EXAMPLE', 'http.route': '/u/123-45-6789', 'user.full_name': 'Jane Doe' };
  h.record(0.5, a); c.add(1, a); g.record(1, a); u.add(1, a);
  sp.end();
});
setTimeout(() => {}, 1500);
