import { SpanKind } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines } from '../../assurance/helpers/outside-attack';

// Span names of database spans through a real TracerProvider and PrivacySpanProcessor with the default policy: the
// family of the span's `db.system.name` decides how a name carrying a statement is read (docs/statements.md, "Span
// names"). A family read by the wrong rules leaks: a CQL name read as a document keeps its string literals.
const { tracerProvider, spans, exportedJson } = defaultPolicyPipelines();

function exportedName(name: string, system: string): string {
  tracerProvider
    .getTracer('db')
    .startSpan(name, { kind: SpanKind.CLIENT, attributes: { 'db.system.name': system } })
    .end();
  const out = spans.getFinishedSpans()[0]!.name;
  exportedJson(); // resets
  return out;
}

describe('span names of database spans, by the family of their system', () => {
  it.each<[string, string, string]>([
    [
      'cassandra',
      "SELECT * FROM t WHERE tags CONTAINS 'vip' AND n IN [1, 2]",
      'SELECT * FROM t WHERE tags CONTAINS ? AND n IN [?, ?]',
    ],
    [
      'scylladb',
      "UPDATE users SET prefs = {'theme': 'dark'} WHERE nick = 'sunny'",
      'UPDATE users SET prefs = {?: ?} WHERE nick = ?',
    ],
    ['cassandra', "SELECT * FROM t WHERE k = 'sunny' -- x {", 'SELECT * FROM t WHERE k = ?'],
    ['cassandra', "UPDATE t SET m = m + {'nick': 'sunny'} WHERE id = 7", 'UPDATE t SET m = m + {?: ?} WHERE id = ?'],
    ['redis', 'HSET user:4711 email jane', 'HSET user:? ? ?'],
    ['valkey', 'ZADD board 10 sunny', 'ZADD board ? ?'],
    ['redis', 'checkout cart', 'checkout cart'],
    ['mongodb', 'db.user_123456789.find({"nick":"sunny"})', 'db.?.find({"nick":"?"})'],
    ['mongodb', 'SELECT orders', 'SELECT orders'],
    ['opensearch', 'DELETE sessions', 'DELETE sessions'],
  ])('%s: %s', (system, name, expected) => {
    expect(exportedName(name, system)).toBe(expected);
  });
});

// A second outside attack round: statements that carry a password kept their password as a database span's name under
// every system (`CONNECT TO db USER app USING …` read as HTTP's `CONNECT host:port`, `CREATE USER`/`ALTER LOGIN` not
// read as SQL), and as the name of a span with no system.
describe('span names holding a password statement, under every family and without a system', () => {
  const PASSWORD = 'Tr0ub4dor-Zq7x';
  const statements = [
    `CONNECT TO sample USER app USING '${PASSWORD}'`,
    `CONNECT TO sample USER app USING ${PASSWORD}`,
    `connect to sample user app using ${PASSWORD}`,
    `CREATE USER app IDENTIFIED BY ${PASSWORD}`,
    `ALTER USER app IDENTIFIED BY '${PASSWORD}'`,
    `ALTER LOGIN sa WITH PASSWORD = N'${PASSWORD}'`,
    `CREATE ROLE app LOGIN PASSWORD '${PASSWORD}'`,
  ];
  const systems = ['db2', 'postgresql', 'mysql', 'mssql', 'oracle', 'cassandra', 'redis', 'mongodb', 'opensearch', ''];
  it.each(systems)('system %j: no part of the password is exported', (system) => {
    for (const name of statements) {
      tracerProvider
        .getTracer('db')
        .startSpan(name, { kind: SpanKind.CLIENT, attributes: system === '' ? {} : { 'db.system.name': system } })
        .end();
      const json = exportedJson();
      for (const part of ['Tr0ub4dor', 'Zq7x']) expect(json, `${system}: ${name}`).not.toContain(part);
    }
  });

  it("HTTP's CONNECT keeps its authority", () => {
    expect(exportedName('CONNECT example.com:443', '')).toBe('CONNECT example.com:443');
  });
});
