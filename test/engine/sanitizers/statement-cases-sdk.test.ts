import { SpanKind } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../index';
import { privacyPipelines } from '../../assurance/helpers/outside-attack';
import { REDIS_CASES } from './testdata/redis-cases';
import { SQL_CASES } from './testdata/sql-cases';
import type { SqlDialectName } from './testdata/sql-cases';
import { STATEMENT_CASES } from './testdata/statement-cases';
import type { Family } from './testdata/statement-cases';
import { URL_CASES } from './testdata/url-cases';

// A representative subset of the hand-labeled cases (testdata/*-cases.ts) through real SDK providers with the default
// policy: a span attribute `db.query.text` beside the span's `db.system.name`, and `url.full`. The value detectors
// run after the sanitizers; the cases below hold nothing they change, so the exported value is the labeled one.

const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x5a).toString('base64')}`; // fake test key
const { tracerProvider, spans, exportedJson } = privacyPipelines(defaultPolicy());
afterAll(() => {
  if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
});

function exported(attributes: Record<string, string>, key: string): unknown {
  tracerProvider.getTracer('cases').startSpan('op', { kind: SpanKind.CLIENT, attributes }).end();
  const value = spans.getFinishedSpans()[0]?.attributes[key];
  exportedJson(); // resets
  return value;
}

const SQL_SYSTEM: Record<SqlDialectName, string | undefined> = {
  generic: 'postgresql',
  mysql: 'mysql',
  cql: 'cassandra',
  strict: undefined,
};
const FAMILY_SYSTEM: Record<Family, string | undefined> = {
  memcached: 'memcached',
  json: 'mongodb',
  cql: 'cassandra',
  unknown: undefined,
};

const pick = <T extends { rule: string }>(cases: readonly T[], rules: readonly string[]): T[] =>
  rules.map((rule) => {
    const found = cases.find((c) => c.rule === rule);
    if (found === undefined) throw new Error(`no case ${rule}`);
    return found;
  });

const sql = pick(SQL_CASES, [
  "'' at the end of a literal",
  "generic: '…\\' then a second literal",
  "MySQL: \\' is an escaped quote",
  'MySQL: \\" inside a double-quoted string',
  'tag of 65 characters (PostgreSQL has no tag length limit)',
  'nested: closes at the matching */',
  'MySQL: does not nest',
  'CQL: // comment then a newline',
  'exponent with sign',
  'identifier with 9 digits',
  'IN literals and ? placeholders',
  'VALUES: ended by the next word',
  'identifier-shaped, 129 characters: a value',
  'backtick e-mail',
]);
const redis = pick(REDIS_CASES, [
  'first key, then values and options',
  'numkeys of 7 digits is a value',
  'BITOP operation of 25 letters',
  'AUTH: a password that is an option word',
  'subcommand values: an option-like password',
  'dotted part of 41 letters masked',
  'note of 10 digits is no note',
]);
const others = pick(STATEMENT_CASES, [
  'data block is the next line only',
  'numeric field of 21 digits masked',
  'key segment with 9 digits masked',
  'regex in an array',
  'map literal keeps its shape',
  'no SQL start after 65 blanks: a command',
  'a { anywhere: a document, bare words are values',
]);
const urls = pick(URL_CASES, [
  'segment three digits after a letter',
  'segment hex of 12 with a digit',
  'segment with an encoded space',
  '9 segments: the ninth is the rest',
  'a name reading as a value is redacted whole',
]);

describe('hand-labeled statement and URL cases through real SDK providers (default policy)', () => {
  it.each(sql.map((c) => [c.rule, c] as const))('SQL: %s', (_rule, c) => {
    const system = SQL_SYSTEM[c.dialect ?? 'generic'];
    const attributes: Record<string, string> = { 'db.query.text': c.input };
    if (system !== undefined) attributes['db.system.name'] = system;
    expect(exported(attributes, 'db.query.text')).toBe(c.expected);
  });

  it.each(redis.map((c) => [c.rule, c] as const))('Redis: %s', (_rule, c) => {
    expect(exported({ 'db.system.name': 'redis', 'db.query.text': c.input }, 'db.query.text')).toBe(c.expected);
  });

  it.each(others.map((c) => [`${c.family}: ${c.rule}`, c] as const))('%s', (_rule, c) => {
    const system = FAMILY_SYSTEM[c.family];
    const attributes: Record<string, string> = { 'db.query.text': c.input };
    if (system !== undefined) attributes['db.system.name'] = system;
    expect(exported(attributes, 'db.query.text')).toBe(c.expected);
  });

  it.each(urls.map((c) => [c.rule, c] as const))('URL: %s', (_rule, c) => {
    const full = `https://shop.example${c.input}`;
    expect(exported({ 'url.full': full }, 'url.full')).toBe(`https://shop.example${c.expected}`);
  });
});
