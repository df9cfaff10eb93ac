import { trace, metrics, context, propagation, diag, logs } from '@opentelemetry/api';
const tr = trace.getTracer('tracer-jane.doe@example.com', '1.0-jane');
const names = ['GET /u/Jane%20Doe', 'connect jane-doe.example.org', 'user.jane@example.com.visits', 'card four one one one one one one one', 'GET /users/jane.doe@example.com/profile'];
for (const n of names) {
  const s = tr.startSpan(n, { attributes: {
    'user.jane@example.com.visits': 3,
    'server.address': 'jane-doe.example.org',
    'url.path': '/u/Jane%20Doe/settings',
    'url.full': 'https://jane-doe.example.org/u/Jane%20Doe?x=1',
    'http.route': '/u/Jane%20Doe',
    'db.query.text': "select * from u where email='jane.doe@example.com'",
    'network.peer.address': '203.0.113.7',
    'host.name': 'jane-doe-laptop',
    'exception.message': 'failed for jane.doe@example.com ssn 123-45-6789',
    'app.note': 'call jane at +1 202 555 0143',
    'error.type': 'jane.doe@example.com',
    'http.request.header.authorization': ['Bearer secrettoken123456'],
    'rpc.method': 'GetUser/jane.doe@example.com',
    'messaging.destination.name': 'queue-jane.doe@example.com',
    'code.function.name': 'handle_4111111111111111',
    'phone words': 'two zero two five five five zero one four three',
  }});
  s.addEvent('evt jane.doe@example.com', { 'k': 'AKIAIOSFODNN7EXAMPLE' });
  s.setStatus({ code: 2, message: 'no user jane.doe@example.com card 4111 1111 1111 1111' });
  s.recordException(new Error('boom for jane.doe@example.com 123-45-6789'));
  s.end();
}
const m = metrics.getMeter('meter-jane.doe@example.com');
const c = m.createCounter('visits.jane.doe@example.com', { description: 'desc jane.doe@example.com', unit: '{jane}' });
c.add(1, { 'user.email': 'jane.doe@example.com', 'server.address': 'jane-doe.example.org', 'http.route': '/u/Jane%20Doe' });
const h = m.createHistogram('lat');
tr.startActiveSpan('sampled', (sp) => { h.record(5, { 'url.path': '/u/Jane%20Doe' }); sp.end(); });
const g = m.createGauge('phone.gauge'); g.record(2025550143, { a: 'b' });
const lg = logs.getLogger('logger-jane.doe@example.com');
lg.emit({ body: 'login jane.doe@example.com from 203.0.113.7 AKIAIOSFODNN7EXAMPLE', severityText: 'INFO jane.doe@example.com', eventName: 'login.jane.doe@example.com', attributes: { 'user.email': 'jane.doe@example.com', 'url.path': '/u/Jane%20Doe', 'server.address': 'jane-doe.example.org' } });
lg.emit({ body: { msg: 'x', email: 'jane.doe@example.com', nested: { ssn: '123-45-6789' } } });
diag.error('diag jane.doe@example.com');
setTimeout(() => {}, 1500);
