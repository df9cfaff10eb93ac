import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sanitizeCql } from '../../../engine/sanitizers/cql-sanitizer';
import { sanitizeElasticsearch } from '../../../engine/sanitizers/elasticsearch-sanitizer';
import { maskJsonValues } from '../../../engine/sanitizers/json-values';
import { sanitizeMemcached } from '../../../engine/sanitizers/memcached-sanitizer';
import { sanitizeMongoDb } from '../../../engine/sanitizers/mongodb-sanitizer';
import { keyShape, sanitizeRedis } from '../../../engine/sanitizers/redis-sanitizer';
import { MYSQL, sanitizeSql } from '../../../engine/sanitizers/sql-sanitizer';
import {
  MAX_STATEMENT_LENGTH,
  TRUNCATED,
  createFamilyResolver,
  sanitizeStatement,
  sanitizeStatementSpanName,
  statementFamilies,
} from '../../../engine/sanitizers/statement-sanitizer';
import { sanitizeUnknownStatement } from '../../../engine/sanitizers/unknown-statement-sanitizer';

describe('SQL dialects', () => {
  it.each<[string, string, string]>([
    ['PostgreSQL nested comment', 'SELECT a /* x /* jane@example.com */ 4711 */ FROM t', 'SELECT a FROM t'],
    ['nested comment unterminated: to the end', 'SELECT a /* x /* y */ jane@example.com', 'SELECT a'],
    ['three levels', 'SELECT /* a /* b /* c */ d */ e */ 1', 'SELECT ?'],
    ['comment then literal', "/* a */ SELECT 'x' /* b */", 'SELECT ?'],
  ])('generic SQL (nested comments): %s', (_name, input, expected) => {
    expect(sanitizeSql(input)).toBe(expected);
  });

  it.each<[string, string, string]>([
    ['double-quoted select item', 'SELECT "Jane Doe" AS n', 'SELECT ? AS n'],
    ['identifier-shaped value', 'SELECT * FROM t WHERE a = b OR "jane"', 'SELECT * FROM t WHERE a = b OR ?'],
    ['comments do not nest', 'SELECT a /* x /* y */ , "jane" FROM t', 'SELECT a , ? FROM t'],
    [
      'backticks stay identifiers',
      'SELECT `name` FROM `users` WHERE `id` = 1',
      'SELECT `name` FROM `users` WHERE `id` = ?',
    ],
  ])('MySQL/MariaDB: %s', (_name, input, expected) => {
    expect(sanitizeSql(input, MYSQL)).toBe(expected);
  });

  it('keeps PostgreSQL double-quoted identifiers in generic SQL', () => {
    expect(sanitizeSql('SELECT "id" FROM "users" WHERE "email" = $1')).toBe(
      'SELECT "id" FROM "users" WHERE "email" = $1',
    );
  });

  it('reads [brackets] as identifiers only when they hold an identifier', () => {
    expect(sanitizeSql('SELECT [Order Details].[Qty] FROM [Order Details]')).toBe(
      'SELECT [Order Details].[Qty] FROM [Order Details]',
    );
    expect(sanitizeSql("SELECT ARRAY[1, 2, 'x']")).toBe('SELECT ARRAY[?, ?, ?]');
  });
});

describe('sanitizeCql', () => {
  it.each<[string, string, string]>([
    [
      'unquoted UUID and // comment',
      "SELECT * FROM ks.users WHERE id = 123e4567-e89b-12d3-a456-426655440000 AND n = 'x' // jane",
      'SELECT * FROM ks.users WHERE id = ? AND n = ?',
    ],
    [
      'collections, blobs, TTL',
      "INSERT INTO t (a, m, l) VALUES (0xCAFE, {'k': 1}, [1, 2]) USING TTL 86400",
      'INSERT INTO t (a, m, l) VALUES (?, {?: ?}, [?, ?]) USING TTL ?',
    ],
    [
      'durations and quoted identifiers',
      'UPDATE t SET d = 1h30m WHERE "Name" = \'x\'',
      'UPDATE t SET d = ? WHERE "Name" = ?',
    ],
    ['bind markers kept', 'SELECT * FROM t WHERE id = ? AND k = :key', 'SELECT * FROM t WHERE id = ? AND k = :key'],
    ['IN list', "SELECT * FROM t WHERE id IN ('a', 'b')", 'SELECT * FROM t WHERE id IN (?)'],
  ])('%s', (_name, input, expected) => {
    expect(sanitizeCql(input)).toBe(expected);
  });
});

describe('sanitizeRedis', () => {
  it.each<[string, string, string]>([
    ['SET with options', 'SET user:4711 jane EX 60 NX', 'SET user:? ? EX ? NX'],
    ['GET', 'GET session:abc123', 'GET session:?'],
    ['lower-case command', 'set user:1 x', 'set user:? ?'],
    ['HSET fields and values', 'HSET profile:{jane@example.com} name "Jane Doe" age 30', 'HSET profile:{?} ? ? ? ?'],
    ['MSET pairs', 'MSET a:1 x b:2 y', 'MSET a:? ? b:? ?'],
    ['DEL keys', 'DEL cart:1 cart:2 wishlist', 'DEL cart:? cart:? wishlist'],
    ['RENAME two keys', 'RENAME tmp:9 user:9', 'RENAME tmp:? user:?'],
    ['BLPOP keys then timeout', 'BLPOP queue:a queue:b 5', 'BLPOP queue:a queue:b ?'],
    ['EVAL script, numkeys, keys, args', 'EVAL "return 1" 2 k:1 k:2 jane', 'EVAL ? 2 k:? k:? ?'],
    [
      'ZUNIONSTORE dest numkeys keys',
      'ZUNIONSTORE out 2 zs:1 zs:2 WEIGHTS 1 2',
      'ZUNIONSTORE out 2 zs:? zs:? WEIGHTS ? ?',
    ],
    ['BITOP operation', 'BITOP AND dest:1 a:1 b:2', 'BITOP AND dest:? a:? b:?'],
    ['AUTH masked whole', 'AUTH default s3cret-pass', 'AUTH ? ?'],
    ['CONFIG subcommand', 'CONFIG SET requirepass hunter2', 'CONFIG SET ? ?'],
    ['unknown command', 'FOO.BAR secret 42', 'FOO.BAR ? ?'],
    ['not a command', 'jane@example.com secret', '? ?'],
    ['instrumentation note kept', 'set user:123 [1 other arguments]', 'set user:? [1 other arguments]'],
    ['pipeline', 'MULTI\nSET a:1 v\nINCRBY c:2 5\nEXEC', 'MULTI\nSET a:? ?\nINCRBY c:? ?\nEXEC'],
    ['quoted key', 'GET "user:42"', 'GET "user:?"'],
  ])('%s', (_name, input, expected) => {
    expect(sanitizeRedis(input)).toBe(expected);
  });

  it('keyShape keeps word segments and masks the rest', () => {
    expect(keyShape('app:user:4711:profile')).toBe('app:user:?:profile');
    expect(keyShape('rate-limit/203.0.113.9')).toBe('rate-limit/?');
    expect(keyShape('user:jane.doe@example.com:settings')).toBe('user:?:settings');
    expect(keyShape('cache.users:v')).toBe('cache.users:v');
    expect(keyShape('bull:email:wait')).toBe('bull:email:wait');
    expect(keyShape('tok_ab12CD34')).toBe('?');
  });
});

describe('sanitizeMemcached', () => {
  it.each<[string, string, string]>([
    ['storage command: data block removed', 'set session:42 0 60 5\r\nhello\r\n', 'set session:? 0 60 5'],
    ['get several keys', 'get user:1 user:2 config', 'get user:? user:? config'],
    ['incr amount masked', 'incr counter:7 5', 'incr counter:? ?'],
    ['touch expiry kept', 'touch k:1 300', 'touch k:? 300'],
    ['cas', 'cas k:1 0 0 3 99 noreply\r\nabc\r\n', 'cas k:? 0 0 3 99 noreply'],
    ['meta set and get', 'ms k:1 5 T60 Oopaque\r\nhello\r\nmg k:1 v', 'ms k:? 5 ? ?\nmg k:? v'],
    ['not a command', 'jane@example.com', '?'],
  ])('%s', (_name, input, expected) => {
    expect(sanitizeMemcached(input)).toBe(expected);
  });
});

describe('sanitizeRedis: subcommands', () => {
  // Real subcommands of the commands read as `COMMAND SUBCOMMAND value…`, DEBUG SET-DISABLE-DENY-SCRIPTS has 24 characters.
  const subcommands: [string, string][] = [
    ['CONFIG', 'GET'],
    ['CLIENT', 'SETNAME'],
    ['CLUSTER', 'COUNT-FAILURE-REPORTS'],
    ['CLUSTER', 'SET-CONFIG-EPOCH'],
    ['COMMAND', 'GETKEYSANDFLAGS'],
    ['XGROUP', 'CREATECONSUMER'],
    ['DEBUG', 'SET-ACTIVE-EXPIRE'],
    ['DEBUG', 'SET-DISABLE-DENY-SCRIPTS'],
    ['OBJECT', 'ENCODING'],
  ];
  const anyCase = (s: string) =>
    fc
      .array(fc.boolean(), { minLength: s.length, maxLength: s.length })
      .map((up) => [...s].map((c, i) => (up[i] ? c : c.toLowerCase())).join(''));

  it('keeps the command and its subcommand in any case, masks the values after them', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...subcommands).chain(([c, s]) => fc.tuple(anyCase(c), anyCase(s))),
        fc.array(fc.stringMatching(/^[a-z0-9:.@-]{1,12}$/), { maxLength: 3 }),
        ([command, sub], values) => {
          const statement = [command, sub, ...values].join(' ');
          expect(sanitizeRedis(statement)).toBe([command, sub, ...values.map(() => '?')].join(' '));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('sanitizeMemcached: meta set flags', () => {
  it('keeps a one-letter flag, masks a flag with a token and a bare number (it may be a value)', () => {
    const letter = fc.constantFrom(...'bcfIkOqsStTvx');
    const flag = fc.oneof(
      letter.map((f) => [f, f] as const),
      fc.tuple(letter, fc.stringMatching(/^[0-9A-Za-z]{1,12}$/)).map(([f, v]) => [f + v, '?'] as const),
      fc.stringMatching(/^[0-9]{1,12}$/).map((v) => [v, '?'] as const),
    );
    fc.assert(
      fc.property(fc.array(flag, { minLength: 1, maxLength: 6 }), fc.nat({ max: 99 }), (flags, len) => {
        const line = `ms user:4711 ${len} ${flags.map(([f]) => f).join(' ')}`;
        const want = `ms user:? ${len} ${flags.map(([, w]) => w).join(' ')}`;
        expect(sanitizeMemcached(`${line}\r\nhello\r\n`)).toBe(want);
      }),
      { numRuns: 200 },
    );
  });
});

describe('JSON families (MongoDB, Elasticsearch/OpenSearch)', () => {
  it.each<[string, string, string]>([
    [
      'find with operators',
      '{"find":"users","filter":{"email":"jane@example.com","age":{"$gt":30},"tags":{"$in":["a","b",3]}}}',
      '{"find":"?","filter":{"email":"?","age":{"$gt":"?"},"tags":{"$in":["?"]}}}',
    ],
    [
      'shell syntax',
      `db.users.find({name: 'x', _id: ObjectId("5f1d"), re: /jo.*/i, ok: true, n: null})`,
      'db.users.find({name: "?", _id: ObjectId("?"), re: "?", ok: "?", n: "?"})',
    ],
    ['nested arrays collapse only when all values', '[1,[2,3],{"a":[4]}]', '["?",["?"],{"a":["?"]}]'],
    ['escaped quotes', '{"a":"x\\"y","b":-1.5e3}', '{"a":"?","b":"?"}'],
  ])('MongoDB: %s', (_name, input, expected) => {
    expect(sanitizeMongoDb(input)).toBe(expected);
  });

  it.each<[string, string, string]>([
    [
      'bool query with range',
      '{"query":{"bool":{"must":[{"match":{"user.email":"jane@example.com"}},{"range":{"age":{"gte":18}}}]}}}',
      '{"query":{"bool":{"must":[{"match":{"user.email":"?"}},{"range":{"age":{"gte":"?"}}}]}}}',
    ],
    [
      'NDJSON bulk',
      '{"index":{"_index":"users","_id":"42"}}\n{"name":"Jane","phone":"+1 202 555 0143"}',
      '{"index":{"_index":"?","_id":"?"}}\n{"name":"?","phone":"?"}',
    ],
    [
      'query_string',
      '{"query":{"query_string":{"query":"email:jane@example.com"}}}',
      '{"query":{"query_string":{"query":"?"}}}',
    ],
  ])('Elasticsearch: %s', (_name, input, expected) => {
    expect(sanitizeElasticsearch(input)).toBe(expected);
  });

  it('keeps white space and layout', () => {
    expect(maskJsonValues('{\n  "a": 1,\n  "b": [ "x" ]\n}')).toBe('{\n  "a": "?",\n  "b": [ "?" ]\n}');
  });
});

describe('sanitizeUnknownStatement (strictest fallback)', () => {
  it.each<[string, string, string]>([
    ['SQL: every "…" a value', 'SELECT "Jane Doe", id FROM t WHERE x = 1', 'SELECT ?, id FROM t WHERE x = ?'],
    ['SQL: nested comments', 'SELECT a /* x /* y */ jane@example.com */ FROM t', 'SELECT a FROM t'],
    ['command: every argument', 'SET user:123 john', 'SET ? ?'],
    ['memcached data line', 'set mykey 0 60 5\r\nsecret\r\n', 'set ? ? ? ?\n?'],
    ['REPLACE without INTO is a command', 'replace k 0 0 5\r\nvalue', 'replace ? ? ? ?\n?'],
    ['DELETE FROM is SQL', 'delete from t where id=5', 'delete from t where id=?'],
    ['JSON', '{"a": "b", "n": [1, 2]}', '{"a": "?", "n": ["?"]}'],
    ['shell call', 'db.users.find({a: "x"})', 'db.users.find({a: "?"})'],
    ['first word not a command', 'jane@example.com hello', '? ?'],
    ['quoted arguments are one token', 'CALLX "a b c" d', 'CALLX ? ?'],
  ])('%s', (_name, input, expected) => {
    expect(sanitizeUnknownStatement(input)).toBe(expected);
  });
});

describe('families by database system', () => {
  const resolve = createFamilyResolver({ tidb: 'mysql', 'My-KV': 'redis' });
  it.each<[unknown, string]>([
    ['postgresql', 'sql'],
    ['microsoft.sql_server', 'sql'],
    ['mssql', 'sql'],
    ['oracle.db', 'sql'],
    ['mysql', 'mysql'],
    ['MariaDB', 'mysql'],
    ['cassandra', 'cql'],
    ['redis', 'redis'],
    ['valkey', 'redis'],
    ['memcached', 'memcached'],
    ['mongodb', 'mongodb'],
    ['documentdb', 'mongodb'],
    ['elasticsearch', 'elasticsearch'],
    ['opensearch', 'elasticsearch'],
    ['tidb', 'mysql'],
    ['couchbase', 'mysql'],
    ['gcp.bigquery', 'mysql'],
    ['azure.cosmosdb', 'mysql'],
    ['my-kv', 'redis'],
    ['neo4j', 'unknown'],
    ['', 'unknown'],
    [undefined, 'unknown'],
    [42, 'unknown'],
    ['x'.repeat(65), 'unknown'],
  ])('%s → %s', (system, family) => {
    expect(resolve(system)).toBe(family);
  });

  it('every family has a sanitizer, and a statement is read by its family', () => {
    for (const f of statementFamilies) expect(typeof sanitizeStatement('GET a:1 b', f)).toBe('string');
    expect(sanitizeStatement('SET user:1 jane', 'redis')).toBe('SET user:? ?');
    expect(sanitizeStatement('SET user:1 jane', 'sql')).toBe('SET user:? jane'); // SQL reads an identifier
    expect(sanitizeStatement('SET user:1 jane', 'unknown')).toBe('SET ? ?');
  });

  it('bounds the length: the part beyond MAX_STATEMENT_LENGTH is not kept', () => {
    const long = `SELECT * FROM t WHERE a = 1 ${'AND b = 2 '.repeat(MAX_STATEMENT_LENGTH / 10)}AND secret = jane`;
    const out = sanitizeStatement(long, 'sql');
    expect(out.endsWith(TRUNCATED)).toBe(true);
    expect(out).not.toContain('jane');
    expect(out.length).toBeLessThanOrEqual(MAX_STATEMENT_LENGTH + TRUNCATED.length);
  });
});

describe('span names of database spans', () => {
  it.each<[string, Parameters<typeof sanitizeStatementSpanName>[1], string | undefined]>([
    ['SELECT * FROM users WHERE id = 42', 'mysql', 'SELECT * FROM users WHERE id = ?'],
    ['SELECT shop.orders', 'sql', 'SELECT shop.orders'],
    ['SET user:4711 jane', 'redis', 'SET user:? ?'],
    ['GET', 'redis', undefined],
    ['redis-GET', 'redis', undefined],
    ['get mykey', 'memcached', 'get mykey'],
    ['set k 0 0 5\r\nsecret', 'memcached', 'set k 0 0 5'],
    ['find {"email":"jane@example.com"}', 'mongodb', 'find {"email":"?"}'],
    ['mongodb.find', 'mongodb', undefined],
    ['search [{"q":"x"}]', 'elasticsearch', 'search [{"q":"?"}]'],
    ['SET user:1 jane', 'unknown', 'SET ? ?'],
    ['query users', 'unknown', undefined],
  ])('%s (%s)', (name, family, expected) => {
    expect(sanitizeStatementSpanName(name, family)).toBe(expected);
  });
});

describe('linear time on adversarial input', () => {
  const inputs: [string, string][] = [
    ['nested comment openers', '/*'.repeat(200_000)],
    ['unterminated quotes', '"\'"'.repeat(150_000)],
    ['deep JSON arrays', '['.repeat(300_000)],
    ['JSON keys without values', '{"a":'.repeat(100_000)],
    ['Redis arguments', 'SET k '.concat('x '.repeat(250_000))],
    ['memcached lines', 'set k 0 0 1\r\nx\r\n'.repeat(40_000)],
    ['UUID look-alikes', '123e4567-e89b-12d3-a456-42665544000 '.repeat(15_000)],
  ];
  it.each(inputs)('%s', (_name, input) => {
    for (const f of statementFamilies) {
      const start = performance.now();
      expect(typeof sanitizeStatement(input, f)).toBe('string');
      expect(typeof sanitizeStatementSpanName(input, f) !== 'number').toBe(true);
      expect(performance.now() - start).toBeLessThan(2000);
    }
  });
});

describe('properties', () => {
  /** `masked` is `original` with every leaf value `"?"` and arrays of values collapsed to `["?"]`. */
  function expectMasked(original: unknown, masked: unknown): void {
    if (Array.isArray(original)) {
      expect(Array.isArray(masked)).toBe(true);
      const m = masked as unknown[];
      const allValues = original.every((e) => e === null || typeof e !== 'object');
      if (allValues && original.length > 1) expect(m).toEqual(['?']);
      else {
        expect(m.length).toBe(original.length);
        original.forEach((e, i) => expectMasked(e, m[i]));
      }
    } else if (original !== null && typeof original === 'object') {
      const o = original as Record<string, unknown>;
      const m = masked as Record<string, unknown>;
      expect(Object.keys(m)).toEqual(Object.keys(o));
      for (const k of Object.keys(o)) expectMasked(o[k], m[k]);
    } else expect(masked).toBe('?');
  }

  it('JSON: the result is JSON with the same keys and every value "?" (MongoDB, Elasticsearch)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        const out = sanitizeMongoDb(text);
        expectMasked(value, JSON.parse(out));
      }),
      { numRuns: 300 },
    );
  });

  it('Redis: no value argument of a key-then-values command survives; unknown systems keep only the command', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9@._-]{1,12}$/);
    fc.assert(
      fc.property(
        fc.constantFrom('SET', 'HSET', 'LPUSH', 'SADD', 'APPEND', 'PUBLISH'),
        token,
        fc.array(token, { minLength: 1, maxLength: 5 }),
        (cmd, key, args) => {
          const values = args.map((a) => `v${a}`); // never an option word
          const out = sanitizeRedis(`${cmd} ${key} ${values.join(' ')}`).split(' ');
          expect(out[0]).toBe(cmd);
          expect(out.slice(2)).toEqual(values.map(() => '?'));
          expect(sanitizeUnknownStatement(`${cmd} ${key} ${values.join(' ')}`)).toBe(
            [cmd, ...Array<string>(values.length + 1).fill('?')].join(' '),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
