import { trace, logs } from '@opentelemetry/api';
const tr = trace.getTracer('attack4');
const names = [
  "SELECT * FROM users WHERE name = 'Jane Doe'",
  'HGET user:jane doe',
  'find users {"name":"Jane Doe"}',
  'GET /u/Jane%20Doe',
];
let i = 80;
for (const n of names)
  for (const sys of [undefined, 'postgresql', 'redis', 'mongodb', 'other_sql']) {
    const s = tr.startSpan(n, { attributes: sys ? { 'db.system.name': sys, vec: 'v' + i } : { vec: 'v' + i } });
    s.end();
    i++;
  }
// log with a span context carrying digits
const lg = logs.getLogger('a4');
lg.emit({ body: 'v99' });
await new Promise((r) => setTimeout(r, 300));
