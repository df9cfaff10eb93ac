import { trace } from '@opentelemetry/api';
const tr = trace.getTracer('attack7');
const stmts = [
  ['mysql', 'SELECT * FROM u WHERE email = "jane.doe" AND n = "123456789"'],
  ['postgresql', 'SELECT * FROM u WHERE x = $$jane.doe$$ AND y = $q$2025550143$q$'],
  ['postgresql', "SELECT * FROM u WHERE x = E'jane\\'s.doe' AND y = U&'\\0031\\0032\\0033456789'"],
  [
    'postgresql',
    "SELECT * FROM u WHERE x = B'1010' AND y = X'6a616e652e646f65' AND z = 0x75BCD15 AND w = 1.23456789e8",
  ],
  [
    'mysql',
    "SELECT * FROM u WHERE x = 0x6a616e652e646f65 AND y = _utf8mb4'jane.doe' AND z = N'jane.doe' AND w = x'6a616e65'",
  ],
  ['oracle', "SELECT * FROM u WHERE x = q'[jane.doe]' AND y = nq'{jane.doe}'"],
  ['postgresql', 'SELECT * FROM u WHERE id IN (123456789, 2025550143) LIMIT 2025550143 OFFSET 123456789'],
  ['postgresql', "SELECT 'jane.doe' -- jane.doe\n FROM t /* jane.doe 2025550143 */"],
  ['postgresql', 'SELECT * FROM "jane.doe" WHERE "123456789" = 1'],
  ['mysql', 'SELECT * FROM `jane.doe` WHERE `2025550143` = 1'],
  ['mssql', 'SELECT * FROM [jane.doe] WHERE [2025550143] = 1'],
  ['postgresql', 'SELECT * FROM u WHERE x = -123456789 AND y = +2025550143 AND z = 1_2345_6789'],
  ['postgresql', 'INSERT INTO u VALUES (jane.doe, 2025550143)'],
  ['postgresql', "SELECT * FROM u WHERE x = 'jane''s doe' || 'jane.doe'"],
  ['postgresql', "SELECT * FROM u WHERE x = 'unterminated jane.doe 2025550143"],
  ['postgresql', "PREPARE p AS SELECT 1; EXECUTE p('jane.doe', 2025550143)"],
  ['postgresql', 'SELECT * FROM u WHERE x = :name AND y = @jane_doe AND z = $1'],
  ['postgresql', "SET app.user = 'jane.doe'; SHOW jane.doe"],
  ['postgresql', "SELECT 2025550143::text, '123456789'::int, array[123456789]"],
  ['postgresql', "SELECT * FROM u WHERE j @> '{\"email\":\"jane.doe\"}' AND k ->> 'jane.doe' = 'x'"],
  ['mongodb', '{"find":"users","filter":{"email":"jane.doe","phone":2025550143,"$where":"this.name == \'jane.doe\'"}}'],
  ['mongodb', '{"jane.doe": 1, "2025550143": "x"}'],
  ['redis', 'HSET user jane.doe 2025550143'],
  ['redis', "EVAL \"return redis.call('get', 'jane.doe')\" 0"],
  ['cassandra', "SELECT * FROM u WHERE x = 'jane.doe' AND y = 2025550143 AND z = 0x6a616e65"],
  ['elasticsearch', '{"query":{"match":{"email":"jane.doe"}},"size":2025550143}'],
  ['memcached', 'set jane.doe 0 0 10'],
  ['clickhouse', "SELECT * FROM u WHERE x = 'jane.doe' AND y = 2025550143"],
  ['other_sql', "SELECT * FROM u WHERE x = 'jane.doe' AND y = 2025550143"],
  [undefined, "SELECT * FROM u WHERE x = 'jane.doe' AND y = 2025550143"],
];
let i = 140;
for (const [sys, q] of stmts) {
  const attributes = { 'db.query.text': q, 'db.statement': q, 'db.query.summary': q };
  if (sys) attributes['db.system.name'] = sys;
  const s = tr.startSpan('v' + i++, { attributes });
  s.end();
}
await new Promise((r) => setTimeout(r, 300));
