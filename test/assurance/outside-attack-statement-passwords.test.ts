import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines } from './helpers/outside-attack';

// Passwords that database instrumentation records on its own, sent by an outside tester through real SDK providers
// with the real privacy processors and the default policy, in every statement attribute and the span name. Each form
// was exported before its fix: Oracle's `IDENTIFIED BY pw` (a bare word or a quoted identifier, which SQL keeps),
// SQL*Plus `CONNECT user/pw@db`, Redis `MIGRATE … AUTH pw`, and any Redis command with a password in
// `db.query.summary` (read as SQL only, where bare words are kept).
const pipelines = defaultPolicyPipelines();

/** A password of letters, as a bare word (no digit for the number rules, no quote for the literal rules). */
const password = fc
  .string({
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_'),
    minLength: 6,
    maxLength: 16,
  })
  .map((s) => `zq${s}`);
const sqlForm = fc.constantFrom(
  (pw: string) => `ALTER USER app IDENTIFIED BY ${pw}`,
  (pw: string) => `CREATE USER app IDENTIFIED BY ${pw} DEFAULT TABLESPACE users`,
  (pw: string) => `alter user app identified by "${pw}" replace ${pw}old`,
  (pw: string) => `ALTER USER app IDENTIFIED BY /* rotated */ ${pw}`,
  (pw: string) => `CREATE DATABASE LINK l CONNECT TO u IDENTIFIED BY ${pw} USING 'orcl'`,
  (pw: string) => `CONNECT app/${pw}@orcl`,
  (pw: string) => `SELECT 1 FROM dual;\nconn app/${pw} as sysdba`,
);
const redisForm = fc.constantFrom(
  (pw: string) => `AUTH default ${pw}`,
  (pw: string) => `AUTH ${pw}`,
  (pw: string) => `HELLO 3 AUTH default ${pw}`,
  (pw: string) => `MIGRATE host 6379 key 0 5000 AUTH ${pw}`,
  (pw: string) => `MIGRATE host 6379 key 0 5000 COPY AUTH2 default ${pw}`,
  (pw: string) => `CONFIG SET requirepass ${pw}`,
  (pw: string) => `CONFIG SET masterauth ${pw}`,
  (pw: string) => `ACL SETUSER app on >${pw}`,
);
const statementKey = fc.constantFrom('db.query.text', 'db.statement', 'db.query.summary');

/** Sends `statement` under `key` of a database span named after it; what was exported. */
function exported(system: string, key: string, statement: string): string {
  pipelines.tracerProvider
    .getTracer('attack')
    .startSpan(statement, { attributes: { 'db.system.name': system, [key]: statement } })
    .end();
  return pipelines.exportedJson();
}

describe('passwords in database statements', () => {
  it('SQL: IDENTIFIED BY and SQL*Plus CONNECT are not exported, whatever the attribute or the span name', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('oracle.db', 'oracle', 'postgresql', 'other_sql'),
        statementKey,
        sqlForm,
        password,
        (system, key, form, pw) => {
          const statement = form(pw);
          expect(exported(system, key, statement), `${system} ${key}: ${statement}`).not.toContain(pw);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('Redis/Valkey: AUTH, HELLO, MIGRATE, CONFIG SET and ACL passwords are not exported, also in db.query.summary', () => {
    fc.assert(
      fc.property(fc.constantFrom('redis', 'valkey'), statementKey, redisForm, password, (system, key, form, pw) => {
        const statement = form(pw);
        expect(exported(system, key, statement), `${system} ${key}: ${statement}`).not.toContain(pw);
      }),
      { numRuns: 120 },
    );
  });

  it('a summary of operation and target words keeps them', () => {
    const json = exported('redis', 'db.query.summary', 'HGETALL');
    expect(json).toContain('"HGETALL"');
    expect(exported('oracle.db', 'db.query.summary', 'SELECT orders')).toContain('"SELECT orders"');
  });
});
