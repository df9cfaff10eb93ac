/**
 * Statement sanitizers by family: the database system named by a span's or record's
 * `db.system.name` (or the older `db.system`) picks how a statement in `db.query.text`/`db.statement`
 * (and a span name carrying one) is read. A system it does not know, or none, gets the strictest
 * reading (`sanitizeUnknownStatement`).
 */
import { hasIdentifierDigits } from '../identifier-digits';
import { sanitizeCql } from './cql-sanitizer';
import { sanitizeElasticsearch } from './elasticsearch-sanitizer';
import { maskJsonValues } from './json-values';
import { sanitizeMemcached } from './memcached-sanitizer';
import { sanitizeMongoDb } from './mongodb-sanitizer';
import { isRedisCommand, sanitizeRedis } from './redis-sanitizer';
import { GENERIC_SQL, MYSQL, sanitizeSql } from './sql-sanitizer';
import { sanitizeUnknownStatement } from './unknown-statement-sanitizer';

/** The statement families, as named in `sanitizers.statements.systems`. */
export const statementFamilies = [
  'sql',
  'mysql',
  'cql',
  'redis',
  'memcached',
  'mongodb',
  'elasticsearch',
  'unknown',
] as const;

/** One statement family: how statements of a database system are read. */
export type StatementFamily = (typeof statementFamilies)[number];

/** Statements longer than this are sanitized up to it; the rest is replaced by `TRUNCATED`. */
export const MAX_STATEMENT_LENGTH = 65536;

/** Appended in place of the part of a statement beyond `MAX_STATEMENT_LENGTH`. */
export const TRUNCATED = ' [truncated]';

/** The attribute keys naming a span's or record's database system, newest first. */
export const DB_SYSTEM_KEYS = ['db.system.name', 'db.system'] as const;

const SQL_SYSTEMS =
  'postgresql other_sql microsoft.sql_server mssql mssqlcompact oracle oracle.db sqlite db2 ibm.db2 h2 h2database ' +
  'hsqldb derby clickhouse cockroachdb trino presto redshift aws.redshift sap.hana hanadb sap.maxdb maxdb teradata ' +
  'firebird firebirdsql informix ibm.informix netezza ibm.netezza ingres actian.ingres intersystems.cache cache ' +
  'intersystems_cache spanner gcp.spanner vertica sybase pervasive edb interbase filemaker progress cloudscape ' +
  'pointbase firstsql instantdb snowflake duckdb yugabytedb greenplum timescaledb athena aws.athena';

/** SQL dialects where `"…"` is a string literal (backticks quote identifiers): read like MySQL. */
const DOUBLE_QUOTED_STRING_SYSTEMS =
  'mysql mariadb tidb singlestore couchbase hive bigquery gcp.bigquery databricks cosmosdb azure.cosmosdb';

/** Known database systems (semantic conventions values, current and older) and their family. */
const FAMILY_BY_SYSTEM: ReadonlyMap<string, StatementFamily> = new Map<string, StatementFamily>([
  ...SQL_SYSTEMS.split(' ').map((s): [string, StatementFamily] => [s, 'sql']),
  ...DOUBLE_QUOTED_STRING_SYSTEMS.split(' ').map((s): [string, StatementFamily] => [s, 'mysql']),
  ['cassandra', 'cql'],
  ['scylladb', 'cql'],
  ['redis', 'redis'],
  ['valkey', 'redis'],
  ['memcached', 'memcached'],
  ['mongodb', 'mongodb'],
  ['documentdb', 'mongodb'],
  ['aws.documentdb', 'mongodb'],
  ['elasticsearch', 'elasticsearch'],
  ['opensearch', 'elasticsearch'],
]);

/**
 * Resolves a database system (the value of `db.system.name`/`db.system`) to its family: first the
 * policy's own `systems` map, then the known systems (exact, then lower-cased); anything else,
 * including a missing or non-string value, is `unknown`.
 */
export function createFamilyResolver(
  systems: Readonly<Record<string, StatementFamily>> = {},
): (system: unknown) => StatementFamily {
  const own = new Map<string, StatementFamily>();
  for (const name of Object.keys(systems)) {
    own.set(name, systems[name]);
    own.set(name.toLowerCase(), systems[name]);
  }
  return (system) => {
    if (typeof system !== 'string' || system.length === 0 || system.length > 64) return 'unknown';
    const f = own.get(system) ?? FAMILY_BY_SYSTEM.get(system);
    if (f !== undefined) return f;
    const lower = system.toLowerCase();
    return own.get(lower) ?? FAMILY_BY_SYSTEM.get(lower) ?? 'unknown';
  };
}

/** The sanitizer of each family. */
const SANITIZERS: Readonly<Record<StatementFamily, (statement: string) => string>> = {
  sql: (s) => sanitizeSql(s, GENERIC_SQL),
  mysql: (s) => sanitizeSql(s, MYSQL),
  cql: sanitizeCql,
  redis: sanitizeRedis,
  memcached: sanitizeMemcached,
  mongodb: sanitizeMongoDb,
  elasticsearch: sanitizeElasticsearch,
  unknown: sanitizeUnknownStatement,
};

/**
 * Sanitizes one statement as its family reads it (`family` from `createFamilyResolver`). Statements
 * longer than `MAX_STATEMENT_LENGTH` are sanitized up to it and end with `TRUNCATED`. Never throws.
 */
export function sanitizeStatement(statement: string, family: StatementFamily): string {
  if (typeof statement !== 'string') return statement;
  const sanitize = SANITIZERS[family] ?? sanitizeUnknownStatement;
  if (statement.length <= MAX_STATEMENT_LENGTH) return sanitize(statement);
  return sanitize(statement.slice(0, wholeCharacterEnd(statement, MAX_STATEMENT_LENGTH))) + TRUNCATED;
}

/** `end`, or one less when it would split a surrogate pair (a lone half is no valid UTF-8 on the wire). */
function wholeCharacterEnd(text: string, end: number): number {
  const last = text.charCodeAt(end - 1);
  return last >= 0xd800 && last <= 0xdbff && end < text.length ? end - 1 : end;
}

/** The words of `text` (letters, digits, `_`, `$`) with a number glued into them (`hasIdentifierDigits`) written `?`. */
function wordsWithoutNumbers(text: string): string {
  return hasIdentifierDigits(text) ? text.replace(/[\w$]+/g, (w) => (hasIdentifierDigits(w) ? '?' : w)) : text;
}

/** First words of SQL statements (a span name of a SQL-family span starting with one carries a statement). */
const SQL_NAME =
  /^\s{0,16}(?:SELECT|INSERT|UPDATE|DELETE|WITH|MERGE|CALL|EXEC|EXECUTE|REPLACE|UPSERT|VALUES|SHOW|SET|DECLARE|TRUNCATE|CREATE|ALTER|DROP|BEGIN|USE)\b/i;

/** Memcached commands that start a span name carrying a statement. */
const MEMCACHED_NAME = /^(?:get|gets|gat|gats|set|add|replace|append|prepend|cas|delete|incr|decr|touch|m[gsdan]) \S/i;

/**
 * The span name of a database span (one whose attributes name a system) when it carries a
 * statement, sanitized as the family reads it: SQL-like names for the SQL families and `unknown`
 * (strict), a Redis/Valkey command with arguments (`SET user:4711 jane` → `SET user:? ?`), a memcached
 * command with arguments, or a name holding a JSON document (`find {"email":"…"}`: the text before
 * the first `{` is kept, the document's values masked). `undefined` when the name carries no
 * statement (e.g. `SELECT shop.orders`, `GET`, `mongodb.find`): the caller sanitizes it as any name.
 */
export function sanitizeStatementSpanName(name: string, family: StatementFamily): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return undefined;
  switch (family) {
    case 'sql':
    case 'mysql':
    case 'cql':
      return SQL_NAME.test(name) ? sanitizeStatement(name, family) : undefined;
    case 'redis': {
      const space = name.indexOf(' ');
      return space > 0 && isRedisCommand(name.slice(0, space)) ? sanitizeStatement(name, family) : undefined;
    }
    case 'memcached':
      return MEMCACHED_NAME.test(name) ? sanitizeStatement(name, family) : undefined;
    default: {
      if (family === 'unknown' && SQL_NAME.test(name)) return sanitizeStatement(name, family);
      const brace = name.search(/[{[]/);
      if (brace === -1) return undefined;
      return (
        wordsWithoutNumbers(name.slice(0, brace)) +
        maskJsonValues(name.slice(brace, wholeCharacterEnd(name, brace + MAX_STATEMENT_LENGTH)))
      );
    }
  }
}
