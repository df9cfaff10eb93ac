import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskJsonValues } from '../../../engine/sanitizers/json-values';
import {
  MAX_STATEMENT_LENGTH,
  TRUNCATED,
  createFamilyResolver,
  sanitizeStatement,
  sanitizeStatementSpanName,
  statementFamilies,
} from '../../../engine/sanitizers/statement-sanitizer';
import type { StatementFamily } from '../../../engine/sanitizers/statement-sanitizer';
import { sanitizeUnknownStatement } from '../../../engine/sanitizers/unknown-statement-sanitizer';

// Independent oracle: the OpenTelemetry semantic conventions' `db.system.name` and deprecated `db.system` values, and
// the systems docs/statements.md names, classified by the language their statements are written in (written from
// those lists, not from the library's tables). Systems whose statements are no SQL, CQL, Redis, memcached or JSON
// command documents are `unknown` (the strict reading).
const SYSTEMS: Record<StatementFamily, string[]> = {
  sql: [
    'postgresql',
    'other_sql',
    'microsoft.sql_server',
    'mssql',
    'mssqlcompact',
    'oracle',
    'oracle.db',
    'sqlite',
    'db2',
    'ibm.db2',
    'h2',
    'h2database',
    'hsqldb',
    'derby',
    'clickhouse',
    'cockroachdb',
    'trino',
    'presto',
    'redshift',
    'aws.redshift',
    'sap.hana',
    'hanadb',
    'sap.maxdb',
    'maxdb',
    'teradata',
    'firebird',
    'firebirdsql',
    'informix',
    'ibm.informix',
    'netezza',
    'ibm.netezza',
    'ingres',
    'actian.ingres',
    'intersystems.cache',
    'cache',
    'intersystems_cache',
    'spanner',
    'gcp.spanner',
    'vertica',
    'sybase',
    'pervasive',
    'edb',
    'interbase',
    'filemaker',
    'progress',
    'cloudscape',
    'pointbase',
    'firstsql',
    'instantdb',
    'snowflake',
    'duckdb',
    'yugabytedb',
    'greenplum',
    'timescaledb',
    'athena',
    'aws.athena',
  ],
  mysql: [
    'mysql',
    'mariadb',
    'tidb',
    'singlestore',
    'couchbase',
    'hive',
    'bigquery',
    'gcp.bigquery',
    'databricks',
    'cosmosdb',
    'azure.cosmosdb',
  ],
  cql: ['cassandra', 'scylladb'],
  redis: ['redis', 'valkey'],
  memcached: ['memcached'],
  mongodb: ['mongodb', 'documentdb', 'aws.documentdb'],
  elasticsearch: ['elasticsearch', 'opensearch'],
  unknown: [
    'neo4j',
    'couchdb',
    'dynamodb',
    'aws.dynamodb',
    'hbase',
    'geode',
    'influxdb',
    'adabas',
    'coldfusion',
    'riak',
    'sql',
    'unknown',
    'memcache',
    'redis ',
    ' mysql',
    'postgres',
  ],
};

describe('families by database system: every documented and semantic-conventions system', () => {
  const resolve = createFamilyResolver();
  const rows = Object.entries(SYSTEMS).flatMap(([family, names]) => names.map((n) => [n, family] as const));

  it.each(rows)('%s → %s (as written, upper-cased, and with a letter appended)', (system, family) => {
    expect(resolve(system)).toBe(family);
    expect(resolve(system.toUpperCase())).toBe(family);
    expect(resolve(`${system}x`)).toBe('unknown');
  });

  it('the policy map re-maps a known system (checked first), in any case; the exact spelling wins', () => {
    const own = createFamilyResolver({ postgresql: 'mysql', Cassandra: 'unknown', ACME: 'redis', acme: 'mongodb' });
    expect(own('postgresql')).toBe('mysql');
    expect(own('PostgreSQL')).toBe('mysql');
    expect(own('cassandra')).toBe('unknown');
    expect(own('ACME')).toBe('redis');
    expect(own('acme')).toBe('mongodb');
    expect(own('Acme')).toBe('mongodb');
    expect(own('mysql')).toBe('mysql');
  });

  it('an empty system and one longer than 64 characters are unknown, also when the policy maps them', () => {
    const a64 = `acme.${'k'.repeat(59)}`;
    const a65 = `${a64}v`;
    const own = createFamilyResolver({ '': 'redis', [a64]: 'redis', [a65]: 'redis' });
    expect(own('')).toBe('unknown');
    expect(own(a64)).toBe('redis');
    expect(own(a65)).toBe('unknown');
  });
});

/** No lone surrogate half (what `String.prototype.isWellFormed` checks; not in this project's TypeScript lib). */
const wellFormed = (s: string): boolean =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('statement length: the cut at MAX_STATEMENT_LENGTH', () => {
  const body = (n: number): string => `SELECT ${'a'.repeat(n - 7)}`; // one identifier, kept as written

  it('a statement of exactly MAX_STATEMENT_LENGTH is whole; one character more is cut there', () => {
    expect(sanitizeStatement(body(MAX_STATEMENT_LENGTH), 'sql')).toBe(body(MAX_STATEMENT_LENGTH));
    expect(sanitizeStatement(body(MAX_STATEMENT_LENGTH + 1), 'sql')).toBe(`${body(65536)} [truncated]`); // as documented
    expect(sanitizeStatement(body(MAX_STATEMENT_LENGTH + 100), 'unknown')).toBe(body(MAX_STATEMENT_LENGTH) + TRUNCATED);
  });

  it('a surrogate pair across the cut is left out whole (no lone half), one that ends at the cut is kept', () => {
    for (const pair of ['\u{10000}', '\u{1F600}', '\u{10FFFF}']) {
      const straddling = `${body(MAX_STATEMENT_LENGTH - 1)}${pair}bb`;
      const out = sanitizeStatement(straddling, 'sql');
      expect(out).toBe(body(MAX_STATEMENT_LENGTH - 1) + TRUNCATED);
      expect(wellFormed(out)).toBe(true);
    }
    const ending = `${body(MAX_STATEMENT_LENGTH - 2)}\u{1F600}bb`;
    expect(sanitizeStatement(ending, 'sql')).toBe(`${body(MAX_STATEMENT_LENGTH - 2)}\u{1F600}${TRUNCATED}`);
  });

  it('a span name holding a document: read up to MAX_STATEMENT_LENGTH characters after its first brace', () => {
    const doc = (n: number, tail: string): string => `{"a":${'1'.repeat(n - 5 - tail.length)}${tail}`;
    const exact = `find ${doc(MAX_STATEMENT_LENGTH, '}\uD83D')}`; // ends in a lone high half: nothing after it to split
    expect(sanitizeStatementSpanName(exact, 'mongodb')).toBe(`find ${maskJsonValues(exact.slice(5))}`);
    const straddling = `find ${doc(MAX_STATEMENT_LENGTH, '\uD83D')}\uDE00}`;
    const out = sanitizeStatementSpanName(straddling, 'mongodb')!;
    expect(out).toBe(`find ${maskJsonValues(straddling.slice(5, 5 + MAX_STATEMENT_LENGTH - 1))}`);
    expect(wellFormed(out)).toBe(true);
  });

  it('a value that is not a string comes back as it is, never an exception', () => {
    for (const f of statementFamilies) {
      expect(sanitizeStatement(42 as unknown as string, f)).toBe(42);
      expect(sanitizeStatementSpanName(42 as unknown as string, f)).toBe(undefined);
      expect(sanitizeStatementSpanName('', f)).toBe(undefined);
    }
    expect(sanitizeUnknownStatement(null as unknown as string)).toBe(null);
  });
});

describe('span names by family: which names carry a statement', () => {
  it.each<[string, StatementFamily, string | undefined]>([
    // CQL names are read by the CQL rules (a brace or bracket in them is a collection, not a document)
    [
      "SELECT * FROM t WHERE tags CONTAINS 'vip' AND n IN [1, 2]",
      'cql',
      'SELECT * FROM t WHERE tags CONTAINS ? AND n IN [?, ?]',
    ],
    [
      "UPDATE users SET prefs = {'theme': 'dark'} WHERE nick = 'sunny'",
      'cql',
      'UPDATE users SET prefs = {?: ?} WHERE nick = ?',
    ],
    ["SELECT * FROM t WHERE k = 'sunny' -- x {", 'cql', 'SELECT * FROM t WHERE k = ?'],
    ['SELECT shop.orders', 'cql', 'SELECT shop.orders'],
    ['cassandra.query', 'cql', undefined],
    // Redis: a command with arguments, any command (not only memcached-like words)
    ['HSET user:4711 email jane', 'redis', 'HSET user:? ? ?'],
    ['ZADD board 10 sunny', 'redis', 'ZADD board ? ?'],
    ['checkout cart', 'redis', undefined],
    ['ms foo 2', 'redis', undefined],
    // documents: words with a number glued into them before the document are values
    ['db.user_123456789.find({})', 'mongodb', 'db.?.find({})'],
    ['SELECT orders', 'mongodb', undefined],
    ['DELETE sessions', 'elasticsearch', undefined],
    // SQL names start with a statement word, after at most 16 blanks
    ['pg query: SELECT 1', 'sql', undefined],
    ['  SELECT * FROM t WHERE id = 42', 'mysql', 'SELECT * FROM t WHERE id = ?'],
    ['memcached.get user:42', 'memcached', undefined],
  ])('%s (%s)', (name, family, expected) => {
    expect(sanitizeStatementSpanName(name, family)).toBe(expected);
  });
});

describe('unknown statements: REPLACE INTO and DELETE FROM start SQL with 1 to 16 blanks between the words', () => {
  it.each([1, 2, 16])('%i blanks: read as SQL', (k) => {
    expect(sanitizeUnknownStatement(`REPLACE${' '.repeat(k)}INTO t VALUES ('jane')`)).toBe(
      `REPLACE${' '.repeat(k)}INTO t VALUES (?)`,
    );
    expect(sanitizeUnknownStatement(`DELETE${'\t'.repeat(k)}FROM t WHERE a = 'jane'`)).toBe(
      `DELETE${'\t'.repeat(k)}FROM t WHERE a = ?`,
    );
  });
  it('17 blanks: a command', () => {
    expect(sanitizeUnknownStatement(`REPLACE${' '.repeat(17)}INTO t VALUES ('jane')`)).toBe('REPLACE ? ? ? ?');
  });
});

describe('memcached span names: a command of the text protocol with an argument', () => {
  // protocol.txt: storage, retrieval, deletion, arithmetic and touch commands, and the meta commands mg ms md ma mn
  // (`me`, meta debug, is not read as a statement: its name goes through the span-name rules)
  const commands = 'get gets gat gats set add replace append prepend cas delete incr decr touch mg ms md ma mn';
  it('every command, in any case, with an argument; no other m… word', () => {
    for (const cmd of commands.split(' ')) {
      expect(sanitizeStatementSpanName(`${cmd} k`, 'memcached')?.startsWith(`${cmd} `), cmd).toBe(true);
      expect(sanitizeStatementSpanName(`${cmd.toUpperCase()} k`, 'memcached') !== undefined, cmd).toBe(true);
      expect(sanitizeStatementSpanName(cmd, 'memcached'), cmd).toBe(undefined);
    }
    for (let c = 97; c <= 122; c++) {
      const word = `m${String.fromCharCode(c)}`;
      if (!commands.split(' ').includes(word))
        expect(sanitizeStatementSpanName(`${word} k`, 'memcached'), word).toBe(undefined);
    }
  });
});

// The command reading of the strict sanitizer: white space is the ASCII set (tab, line feed, vertical tab, form feed,
// carriage return, space); a first word is kept when made of ASCII letters, `_`, and `.` after its first character.
describe('unknown statements read as commands: every code unit as separator and as a command letter', () => {
  const isAsciiSpace = (c: number): boolean => c === 9 || c === 10 || c === 11 || c === 12 || c === 13 || c === 32;
  const isLineBreak = (c: number): boolean => c === 10 || c === 13;
  const units = Array.from({ length: 0x180 }, (_, c) => c).concat([0xa0, 0x2028, 0x3000, 0xfeff]);

  it('between two words', () => {
    for (const c of units) {
      if (c === 34 || c === 39 || c === 123 || c === 91) continue; // quotes group; a brace or bracket is a document
      const ch = String.fromCharCode(c);
      const want = isAsciiSpace(c) ? `GET${isLineBreak(c) ? '\n' : ' '}?` : '?';
      expect(sanitizeUnknownStatement(`GET${ch}k9`), `U+${c.toString(16)}`).toBe(want);
    }
  });

  it('inside a first word', () => {
    const commandChar = (c: number, first: boolean): boolean =>
      /^[A-Za-z_]$/.test(String.fromCharCode(c)) || (c === 46 && !first);
    for (const c of units) {
      if (isAsciiSpace(c) || c === 34 || c === 39 || c === 123 || c === 91) continue;
      const ch = String.fromCharCode(c);
      expect(sanitizeUnknownStatement(`ge${ch}t x`), `U+${c.toString(16)}`).toBe(
        commandChar(c, false) ? `ge${ch}t ?` : '? ?',
      );
      if (c !== 45 && c !== 47 && c !== 35)
        // `--`, `//`, `#` do not start a statement word here but keep the test simple
        expect(sanitizeUnknownStatement(`${ch}get x`), `U+${c.toString(16)} first`).toBe(
          commandChar(c, true) ? `${ch}get ?` : '? ?',
        );
    }
  });

  it('a command alone, quoted arguments (also unterminated or glued together)', () => {
    expect(sanitizeUnknownStatement('PING')).toBe('PING');
    expect(sanitizeUnknownStatement('GET k9')).toBe('GET ?');
    expect(sanitizeUnknownStatement("GET 'jane")).toBe('GET ?');
    expect(sanitizeUnknownStatement('GET "jane doe')).toBe('GET ?');
    expect(sanitizeUnknownStatement(`GET 'a''b' "c"d`)).toBe('GET ?? ??');
    expect(sanitizeUnknownStatement(`GET 'it\\'s jane' x`)).toBe('GET ? ?');
  });

  it('line breaks are kept between arguments, also with blanks after them', () => {
    expect(sanitizeUnknownStatement('GET a\n b')).toBe('GET ?\n?');
    expect(sanitizeUnknownStatement('GET a \r\n\t b')).toBe('GET ?\n?');
    expect(sanitizeUnknownStatement('GET a\rb')).toBe('GET ?\n?');
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(' ', '\t', '\n', '\r', '\f', '\v'), { minLength: 1, maxLength: 6 }),
        (seps) => {
          const sep = seps.join('');
          const want = /[\n\r]/.test(sep) ? '\n' : ' ';
          expect(sanitizeUnknownStatement(`PING a${sep}b`)).toBe(`PING ?${want}?`);
        },
      ),
      { numRuns: 200 },
    );
  });
});
