/**
 * Hand-labeled cases for the statement families other than SQL and Redis (Memcached, MongoDB/DocumentDB and
 * Elasticsearch/OpenSearch through the shared JSON value masker, Cassandra CQL, and the strict fallback for unknown
 * systems), written from docs/statements.md and the sanitizers' comments, not from their output. Each rule has the
 * case at its edge and the nearest case on the other side.
 */
export type Family = 'memcached' | 'json' | 'cql' | 'unknown';

export interface StatementCase {
  readonly family: Family;
  readonly rule: string;
  readonly input: string;
  readonly expected: string;
}

const digits20 = '1'.repeat(20);
const digits21 = '1'.repeat(21);
const word24 = 'abcdefghijklmnopqrstuvwx';
const word25 = `${word24}y`;
const nested = (depth: number) => `${'['.repeat(depth)}1,2${']'.repeat(depth)}`;
const command32 = 'c'.repeat(32);
const command33 = 'c'.repeat(33);

export const STATEMENT_CASES: readonly StatementCase[] = [
  // Memcached: storage commands keep key shape and numeric fields, the next line (the data block) is removed.
  { family: 'memcached', rule: 'data block is the next line only', input: 'set k:1 0 0 5\nhello\nget k:1', expected: 'set k:? 0 0 5\nget k:?' },
  { family: 'memcached', rule: 'storage command in upper case', input: 'SET k:1 0 0 4\r\njane\r\n', expected: 'SET k:? 0 0 4' },
  { family: 'memcached', rule: 'an empty data block is removed', input: 'append k 0 0 0\r\n\r\nget k', expected: 'append k 0 0 0\nget k' },
  { family: 'memcached', rule: 'storage without its data line', input: 'prepend k 0 0 5', expected: 'prepend k 0 0 5' },
  { family: 'memcached', rule: 'a command word holding A and Z', input: 'GAT 60 k:1\nZAP k:1', expected: 'GAT 60 k:?\n? ?' },
  { family: 'memcached', rule: 'incr amount masked, noreply kept', input: 'incr k:1 x noreply', expected: 'incr k:? ? noreply' },
  { family: 'memcached', rule: 'storage field not digits', input: 'replace k 0 jane 5\r\nx', expected: 'replace k 0 ? 5' },
  { family: 'memcached', rule: 'numeric field of 20 digits kept', input: `add k 0 ${digits20} 1\r\nx`, expected: `add k 0 ${digits20} 1` },
  { family: 'memcached', rule: 'numeric field of 21 digits masked', input: `add k 0 ${digits21} 1\r\nx`, expected: 'add k 0 ? 1' },
  { family: 'memcached', rule: 'ms: data length kept, one-letter flags kept', input: 'ms k:1 5 I q\r\nhello', expected: 'ms k:? 5 I q' },
  { family: 'memcached', rule: 'ms: a number among the flags is a value', input: 'ms k:1 5 1234\r\nhello', expected: 'ms k:? 5 ?' },
  { family: 'memcached', rule: 'ms: a data length that is not digits', input: 'ms k:1 jane\r\nhello', expected: 'ms k:? ?' },
  { family: 'memcached', rule: 'gets: every argument a key', input: 'gets user:1 user:jane 42', expected: 'gets user:? user:jane ?' },
  { family: 'memcached', rule: 'gat: expiry kept, then keys', input: 'gat 300 k:1 k:2', expected: 'gat 300 k:? k:?' },
  { family: 'memcached', rule: 'gats: expiry not digits', input: 'gats jane k:1', expected: 'gats ? k:?' },
  { family: 'memcached', rule: 'delete: time and noreply kept', input: 'delete k:1 0 noreply', expected: 'delete k:? 0 noreply' },
  { family: 'memcached', rule: 'delete: a word is a value', input: 'delete k:1 jane', expected: 'delete k:? ?' },
  { family: 'memcached', rule: 'incr: amount masked, noreply kept', input: 'decr k:1 5 noreply', expected: 'decr k:? ? noreply' },
  { family: 'memcached', rule: 'mg: one-letter flags kept, token flags masked', input: 'mg k:1 v t Oopaque N30', expected: 'mg k:? v t ? ?' },
  { family: 'memcached', rule: 'mg: a two-letter flag is a token', input: 'mg k:1 Oa', expected: 'mg k:? ?' },
  { family: 'memcached', rule: 'touch: expiry and noreply kept', input: 'touch k:1 300 noreply', expected: 'touch k:? 300 noreply' },
  { family: 'memcached', rule: 'touch: a word is a value', input: 'touch k:1 jane', expected: 'touch k:? ?' },
  { family: 'memcached', rule: 'md, ma: key shape', input: 'md k:1 q\nma k:2 D5', expected: 'md k:? q\nma k:? ?' },
  { family: 'memcached', rule: 'unknown command: every argument', input: 'verbosity 1\nstats items', expected: 'verbosity ?\nstats ?' },
  { family: 'memcached', rule: 'command word of 24 letters', input: `${word24} jane`, expected: `${word24} ?` },
  { family: 'memcached', rule: 'command word of 25 letters', input: `${word25} jane`, expected: '? ?' },
  { family: 'memcached', rule: 'empty lines dropped', input: 'get a\n\nget b', expected: 'get a\nget b' },
  { family: 'memcached', rule: 'tab separated', input: 'get\tuser:1', expected: 'get user:?' },
  // JSON documents (MongoDB, Elasticsearch): keys kept, every value "?".
  { family: 'json', rule: 'true, false, null', input: '{"a":true,"b":false,"c":null}', expected: '{"a":"?","b":"?","c":"?"}' },
  { family: 'json', rule: 'signed and special numbers', input: '{"a":-Infinity,"b":+5,"c":-.5,"d":.25,"e":NaN}', expected: '{"a":"?","b":"?","c":"?","d":"?","e":"?"}' },
  { family: 'json', rule: 'exponent with a sign is one value', input: '{"a":1e+5,"b":2E-3}', expected: '{"a":"?","b":"?"}' },
  { family: 'json', rule: 'hex number', input: '{"a":0x1F}', expected: '{"a":"?"}' },
  { family: 'json', rule: 'key then blanks then colon', input: '{"email" :\t"jane@example.com"}', expected: '{"email" :\t"?"}' },
  { family: 'json', rule: 'single-quoted key and value', input: "{'email': 'jane@example.com'}", expected: "{'email': \"?\"}" },
  { family: 'json', rule: 'unquoted key', input: '{email: "jane@example.com"}', expected: '{email: "?"}' },
  { family: 'json', rule: 'numeric key kept (8 digits)', input: '{"12345678": 1}', expected: '{"12345678": "?"}' },
  { family: 'json', rule: 'numeric key masked (9 digits)', input: '{"123456789": 1}', expected: '{"?": "?"}' },
  { family: 'json', rule: 'unquoted numeric key (9 digits)', input: '{123456789: 1}', expected: '{?: "?"}' },
  { family: 'json', rule: 'key segment with 8 digits kept', input: '{"carts.20255501.qty":1}', expected: '{"carts.20255501.qty":"?"}' },
  { family: 'json', rule: 'key segment with 9 digits masked', input: '{"carts.202555014.qty":1}', expected: '{"carts.?.qty":"?"}' },
  { family: 'json', rule: 'unquoted key with 9 digits', input: '{customer_123456789: "x"}', expected: '{?: "?"}' },
  { family: 'json', rule: 'escaped quote in a value', input: '{"a":"jane \\"doe\\"","b":1}', expected: '{"a":"?","b":"?"}' },
  { family: 'json', rule: 'escaped quote then colon in a value', input: '{"a":"x\\":y"}', expected: '{"a":"?"}' },
  { family: 'json', rule: 'unterminated value', input: '{"a":"jane@exa', expected: '{"a":"?"' },
  { family: 'json', rule: 'regex after a colon', input: '{name: /^jane/i}', expected: '{name: "?"}' },
  { family: 'json', rule: 'regex with an escaped slash', input: '{p: /a\\/jane/}', expected: '{p: "?"}' },
  { family: 'json', rule: 'regex in an array', input: '{p: {$in: [/jane/, /doe/]}}', expected: '{p: {$in: ["?"]}}' },
  { family: 'json', rule: 'regex after a comma', input: 'db.c.find(1, /jane doe/i)', expected: 'db.c.find("?", "?")' },
  { family: 'json', rule: 'regex unterminated: to the end of the line', input: '{p: /jane doe\n}', expected: '{p: "?"\n}' },
  { family: 'json', rule: 'division after a value is no regex', input: '{a: 1 / 2}', expected: '{a: "?" / "?"}' },
  { family: 'json', rule: 'regex at the start', input: '/jane/ ', expected: '"?" ' },
  { family: 'json', rule: 'function argument', input: '{_id: ObjectId("5f1d7a2e9b1e8a3c4d5e6f70")}', expected: '{_id: ObjectId("?")}' },
  { family: 'json', rule: 'one value in an array', input: '{"a":[1]}', expected: '{"a":["?"]}' },
  { family: 'json', rule: 'empty array kept', input: '{"a":[]}', expected: '{"a":[]}' },
  { family: 'json', rule: 'array of values and an object', input: '[1, {"a": 2}]', expected: '["?", {"a": "?"}]' },
  { family: 'json', rule: 'arrays of arrays', input: '[[1,2],[3,4]]', expected: '[["?"],["?"]]' },
  { family: 'json', rule: 'array with a member chain is not all values', input: '[a.b, 2]', expected: '[a.b, "?"]' },
  { family: 'json', rule: '256 nested arrays: the innermost collapses', input: nested(256), expected: `${'['.repeat(256)}"?"${']'.repeat(256)}` },
  { family: 'json', rule: '257 nested arrays: the innermost is masked, not collapsed', input: nested(257), expected: `${'['.repeat(257)}"?","?"${']'.repeat(257)}` },
  { family: 'json', rule: 'NDJSON lines', input: '{"index":{"_id":"42"}}\n{"email":"jane@example.com"}', expected: '{"index":{"_id":"?"}}\n{"email":"?"}' },
  { family: 'json', rule: 'shell call: collection with 9 digits', input: 'db.user_123456789.find({a: 1})', expected: 'db.?.find({a: "?"})' },
  { family: 'json', rule: 'shell call: collection with 8 digits', input: 'db.user_12345678.find({a: 1})', expected: 'db.user_12345678.find({a: "?"})' },
  { family: 'json', rule: 'Elasticsearch query', input: '{"query":{"range":{"age":{"gte":30}}},"size":10}', expected: '{"query":{"range":{"age":{"gte":"?"}}},"size":"?"}' },
  // CQL: the SQL tokenizer with CQL's rules.
  { family: 'cql', rule: 'map literal keeps its shape', input: "UPDATE t SET m = {'jane': 1, 'doe': 2} WHERE id = ?", expected: 'UPDATE t SET m = {?: ?, ?: ?} WHERE id = ?' },
  { family: 'cql', rule: 'list literal keeps its shape', input: "INSERT INTO t (l) VALUES (['a', 'b'])", expected: 'INSERT INTO t (l) VALUES ([?, ?])' },
  { family: 'cql', rule: 'durations and blobs', input: 'SELECT * FROM t WHERE d > 1h30m AND b = 0xCAFE', expected: 'SELECT * FROM t WHERE d > ? AND b = ?' },
  { family: 'cql', rule: 'quoted identifier and named marker kept', input: 'SELECT "userName" FROM ks.t WHERE id = :id', expected: 'SELECT "userName" FROM ks.t WHERE id = :id' },
  { family: 'cql', rule: 'unquoted UUID', input: 'SELECT * FROM t WHERE id = 6ab09bec-e68e-48d9-a5f8-97e6fb4c9b47 AND x = 1', expected: 'SELECT * FROM t WHERE id = ? AND x = ?' },
  // The strict fallback for unknown systems.
  { family: 'unknown', rule: 'SQL start after 64 blanks', input: `${' '.repeat(64)}SELECT a FROM t WHERE b = 'jane'`, expected: 'SELECT a FROM t WHERE b = ?' },
  { family: 'unknown', rule: 'no SQL start after 65 blanks: a command', input: `${' '.repeat(65)}SELECT a FROM t WHERE b = 'jane'`, expected: 'SELECT ? ? ? ? ? ? ?' },
  { family: 'unknown', rule: 'DELETE then 16 blanks then FROM: SQL', input: `DELETE${' '.repeat(16)}FROM t WHERE id = 4711`, expected: `DELETE${' '.repeat(16)}FROM t WHERE id = ?` },
  { family: 'unknown', rule: 'DELETE then 17 blanks then FROM: a command', input: `DELETE${' '.repeat(17)}FROM t WHERE id = 4711`, expected: 'DELETE ? ? ? ? ? ?' },
  { family: 'unknown', rule: 'DELETE without FROM: a command', input: 'DELETE t 4711', expected: 'DELETE ? ?' },
  { family: 'unknown', rule: 'a word starting with SELECT is no SQL', input: 'SELECTED jane', expected: 'SELECTED ?' },
  { family: 'unknown', rule: 'SQL start in lower case, "…" a value, // comment', input: 'select "id" from t // jane', expected: 'select ? from t' },
  { family: 'unknown', rule: 'a { anywhere: a document, bare words are values', input: 'find users {"email":"jane@example.com"}', expected: '"?" "?" {"email":"?"}' },
  { family: 'unknown', rule: 'starts with [ after blanks: a document', input: '  [1, "jane"]', expected: '  ["?"]' },
  { family: 'unknown', rule: 'a [ later is no document', input: 'GET a[1] jane', expected: 'GET ? ?' },
  { family: 'unknown', rule: 'command word of 32 characters', input: `${command32} jane`, expected: `${command32} ?` },
  { family: 'unknown', rule: 'command word of 33 characters', input: `${command33} jane`, expected: '? ?' },
  { family: 'unknown', rule: 'command word with a dot inside', input: 'acme.put jane', expected: 'acme.put ?' },
  { family: 'unknown', rule: 'command word starting with a dot', input: '.put jane', expected: '? ?' },
  { family: 'unknown', rule: 'command word with a digit', input: 'put2 jane', expected: '? ?' },
  { family: 'unknown', rule: 'line breaks kept between arguments, CRLF read as one', input: 'put a\r\nb c\n\nd', expected: 'put ?\n? ?\n?' },
  { family: 'unknown', rule: 'a quoted argument with an escaped quote is one token', input: 'put "a \\" b" c', expected: 'put ? ?' },
  { family: 'unknown', rule: 'a single-quoted argument', input: "put 'jane doe' c", expected: 'put ? ?' },
];
