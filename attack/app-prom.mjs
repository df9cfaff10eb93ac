import { trace, metrics } from '@opentelemetry/api';
const m = metrics.getMeter('meter-jane.doe@example.com', '1.0-Jane');
const c = m.createCounter('app_counter', { description: 'for jane.doe@example.com 4111 1111 1111 1111' , unit: 'jane'});
c.add(1, { 'app.who': 'jane.doe@example.com', 'user.email': 'jane.doe@example.com', 'http.route': '/u/jane.doe@example.com', 'server.address': 'jane-doe.example.org' });
const g = m.createGauge('phone_gauge'); g.record(2025550143, { 'http.request.method': 'GET' });
const h = m.createHistogram('user_card'); h.record(4111111111111111);
trace.getTracer('t').startActiveSpan('sp', (sp) => { h.record(5, { 'app.who': 'jane.doe@example.com' }); sp.end(); });
setTimeout(async () => { const r = await fetch('http://127.0.0.1:' + process.env.OTEL_EXPORTER_PROMETHEUS_PORT + '/metrics'); console.log(await r.text()); process.exit(0); }, 1500);
