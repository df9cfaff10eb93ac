import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines } from './helpers/outside-attack';

// The eighteenth outside attack round: an unquoted password after `IDENTIFIED BY` (or a later `REPLACE`) that holds
// `-`, `.`, `/`, `+` or `#` kept all but its first SQL token in `db.query.text` and the database span name
// (`ALTER USER app IDENTIFIED BY hunter2#Fake` → `IDENTIFIED BY ?#Fake`, `Fake-Pass-Word` → `?-Pass-Word`). The
// whole word up to a blank, `;` or the end is the password now, also after `IDENTIFIED WITH plugin BY` and after
// `PASSWORD` in a statement that creates or alters a user, a role or a login. Sent through real SDK providers with the
// privacy processors and the DEFAULT policy; no part of a password may be exported, and look-alike statements
// (password columns, option words) are exported as written.
const pipelines = defaultPolicyPipelines();

/** A part of a password: `zq` and letters (no digit for the number rules; `zq` never occurs in ids). */
const part = fc
  .string({
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'),
    minLength: 3,
    maxLength: 8,
  })
  .map((s) => `zq${s}`);
/** A password of two to four parts joined by punctuation an unquoted password holds. */
const password = fc.tuple(
  fc.array(part, { minLength: 2, maxLength: 4 }),
  fc.constantFrom('-', '.', '/', '+', '#', '$', '!', '@', '%', '&', '*', ':', '~'),
);

const sqlForm = fc.constantFrom(
  (pw: string) => `ALTER USER app IDENTIFIED BY ${pw}`,
  (pw: string) => `alter user app identified by ${pw} account unlock`,
  (pw: string) => `CREATE USER app IDENTIFIED BY ${pw};`,
  (pw: string) => `ALTER USER app IDENTIFIED BY new${pw} REPLACE ${pw}`,
  (pw: string) => `CREATE DATABASE LINK l CONNECT TO app IDENTIFIED BY ${pw} USING 'orcl'`,
  (pw: string) => `ALTER USER app IDENTIFIED WITH caching_sha2_password BY ${pw}`,
  (pw: string) => `CREATE ROLE app LOGIN PASSWORD ${pw}`,
  (pw: string) => `ALTER LOGIN app WITH PASSWORD = ${pw}`,
);
const system = fc.constantFrom(
  'oracle',
  'oracle.db',
  'mysql',
  'mariadb',
  'postgresql',
  'microsoft.sql_server',
  'other_sql',
);
const statementKey = fc.constantFrom('db.query.text', 'db.statement');

interface Exported {
  json: string;
  name: string;
  attribute: string | undefined;
}

/** Sends `statement` under `key` of a database span named after it; the JSON, the span's name and the attribute. */
function exported(sys: string, key: string, statement: string): Exported {
  pipelines.tracerProvider
    .getTracer('attack')
    .startSpan(statement, { attributes: { 'db.system.name': sys, [key]: statement } })
    .end();
  const json = pipelines.exportedJson();
  const traces = JSON.parse(json.split('\n')[0]) as {
    resourceSpans: {
      scopeSpans: { spans: { name: string; attributes: { key: string; value: { stringValue?: string } }[] }[] }[];
    }[];
  };
  const span = traces.resourceSpans[0].scopeSpans[0].spans[0];
  return { json, name: span.name, attribute: span.attributes.find((a) => a.key === key)?.value.stringValue };
}

describe('outside attack round 18: bare passwords with punctuation in database statements', () => {
  it('no part of the password is exported, whatever the system, the attribute or the span name', () => {
    fc.assert(
      fc.property(system, statementKey, sqlForm, password, (sys, key, form, [parts, sep]) => {
        const statement = form(parts.join(sep));
        const { json } = exported(sys, key, statement);
        for (const p of parts) expect(json, `${sys} ${key}: ${statement}`).not.toContain(p);
      }),
      { numRuns: 150 },
    );
  });

  it('the attacker’s statements: the password is one `?`', () => {
    for (const [statement, want] of [
      ['ALTER USER app IDENTIFIED BY hunter2#Fake', 'ALTER USER app IDENTIFIED BY ?'],
      ['ALTER USER app IDENTIFIED BY hunter2-Fake-9x', 'ALTER USER app IDENTIFIED BY ?'],
      [
        "CREATE DATABASE LINK l CONNECT TO app IDENTIFIED BY Fake-Pass-Word USING 'db'",
        'CREATE DATABASE LINK l CONNECT TO app IDENTIFIED BY ? USING ?',
      ],
      ['ALTER USER app IDENTIFIED BY new-Secret-pw REPLACE old-Secret-pw', 'ALTER USER app IDENTIFIED BY ? REPLACE ?'],
    ]) {
      const { name, attribute } = exported('oracle', 'db.query.text', statement);
      expect(attribute).toBe(want);
      expect(name).toBe(want);
    }
  });

  it('look-alike statements are exported as written', () => {
    for (const statement of [
      'SELECT password FROM users WHERE id = ?',
      'UPDATE users SET password = ? WHERE id = ?',
      'ALTER TABLE users ADD password text',
      'ALTER USER app PASSWORD EXPIRE',
      'CREATE USER app WITH PASSWORD NULL',
      'SELECT identified, by FROM t',
    ])
      for (const sys of ['oracle', 'mysql', 'postgresql'])
        expect(exported(sys, 'db.query.text', statement).attribute, `${sys}: ${statement}`).toBe(statement);
  });
});
