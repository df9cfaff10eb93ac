import { trace } from '@opentelemetry/api';
const tr = trace.getTracer('attack8');
const stmts = [
  [
    'mongodb',
    '{"update":"users","updates":[{"q":{"_id":1},"u":{"$set":{"phones.2025550143":true,"ssn_123456789":1,"cards.4111111111111111":1}}}]}',
  ],
  ['mongodb', 'db.users.updateOne({_id: 1}, {$set: {"by_ssn.123456789": 1, "203.0.113.7": 2, "ip_203_0_113_7": 3}})'],
  ['mongodb', '{"find":"users","filter":{"contacts.2025550143.name":{"$exists":true}},"projection":{"jane.doe":1}}'],
  ['elasticsearch', '{"query":{"term":{"user.123456789":"x"}},"aggs":{"by_2025550143":{"terms":{"field":"f"}}}}'],
  ['elasticsearch', '{"index":{"_index":"orders","_id":"123456789"}}\n{"customer_2025550143":"x"}'],
  ['postgresql', 'SELECT * FROM user_123456789 JOIN t2025550143 ON a = b'],
  ['postgresql', 'SELECT col_2025550143 AS "p2025550143" FROM t'],
  ['cassandra', 'SELECT * FROM ks.user_123456789 WHERE k = 1'],
  ['redis', 'GET cache.2025550143'],
  ['redis', 'GET user_123456789'],
  ['redis', 'GET user-2025550143:x'],
  ['redis', 'HGET h 2025550143'],
  ['memcached', 'get user_123456789 user-2025550143 u.2025550143'],
];
let i = 180;
for (const [sys, q] of stmts) {
  const attributes = { 'db.query.text': q, 'db.system.name': sys };
  const s = tr.startSpan('v' + i++, { attributes });
  s.end();
}
await new Promise((r) => setTimeout(r, 300));
