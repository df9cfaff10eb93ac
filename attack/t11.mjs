import { trace } from '@opentelemetry/api';
const tr = trace.getTracer('attack11');
const qs = [
  'SELECT * FROM user_123456789',
  'SELECT * FROM t WHERE c = 1 AND cust_2025550143 = 2',
  'SELECT a FROM orders_2024 JOIN events_20240101 ON x',
  'SELECT * FROM tenant_4711.orders',
];
let i = 230;
for (const q of qs)
  for (const sys of ['postgresql', 'mongodb']) {
    const qq = sys === 'mongodb' ? `{"find":"users","filter":{"${q.split(' ').pop()}":1}}` : q;
    const s = tr.startSpan(qq, {
      attributes: { 'db.system.name': sys, 'db.query.text': qq, 'db.query.summary': qq, vec: 'v' + i++ },
    });
    s.end();
  }
const s = tr.startSpan('GET user_123456789.example.com', {
  attributes: { 'server.address': 'user-123456789.example.com', 'url.full': 'https://user-123456789.example.com/x' },
});
s.end();
await new Promise((r) => setTimeout(r, 300));
