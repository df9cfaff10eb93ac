import { SpanKind } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { PolicyError, PrivacySpanProcessor, definePolicy } from '../../../index';
import type { PolicyDocument } from '../../../index';

// Statements on real spans: the system named by the span's own db.system.name / db.system picks the
// statement family, for the statement attributes and for a span name that carries a statement.

const base: PolicyDocument = {
  version: 1,
  attributes: { allow: ['db.*', 'http.*'] },
  sanitizers: { statements: { attributes: ['db.query.text', 'db.statement'] }, spanName: true },
};

let provider: TracerProvider | undefined;
afterEach(async () => {
  await provider?.shutdown();
  provider = undefined;
});

function pipeline(doc: PolicyDocument = base) {
  const policy = definePolicy(doc);
  const exporter = new InMemorySpanExporter();
  provider = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
  });
  const tracer = provider.getTracer('statements');
  return {
    policy,
    run(name: string, attributes: Attributes, later?: Attributes) {
      exporter.reset();
      const s = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes });
      if (later) s.setAttributes(later);
      s.end();
      return exporter.getFinishedSpans()[0];
    },
  };
}

describe('statement attributes by the span’s database system', () => {
  it('reads the same text as the family of the system beside it', () => {
    const { run } = pipeline();
    const text = 'SET user:4711 jane';
    expect(run('x', { 'db.system.name': 'redis', 'db.query.text': text }).attributes['db.query.text']).toBe(
      'SET user:? ?',
    );
    expect(run('x', { 'db.system.name': 'postgresql', 'db.query.text': text }).attributes['db.query.text']).toBe(
      'SET user:? jane',
    );
    expect(run('x', { 'db.query.text': text }).attributes['db.query.text']).toBe('SET ? ?'); // no system: strictest
    // Served from the per-family caches: the same results again, in another order.
    expect(run('x', { 'db.query.text': text }).attributes['db.query.text']).toBe('SET ? ?');
    expect(run('x', { 'db.system.name': 'redis', 'db.query.text': text }).attributes['db.query.text']).toBe(
      'SET user:? ?',
    );
  });

  it('takes db.system.name over db.system, and db.system alone', () => {
    const { run } = pipeline();
    const both = run('x', {
      'db.system': 'postgresql',
      'db.system.name': 'mysql',
      'db.statement': 'SELECT "Jane Doe" FROM t',
    });
    expect(both.attributes['db.statement']).toBe('SELECT ? FROM t');
    const legacy = run('x', { 'db.system': 'mongodb', 'db.statement': '{"find":"users","filter":{"n":"jane"}}' });
    expect(legacy.attributes['db.statement']).toBe('{"find":"?","filter":{"n":"?"}}');
  });

  it('finds the system when the statement comes first in the map, and when it is set after the start', () => {
    const { run } = pipeline();
    const first = run('x', { 'db.query.text': '{"query":{"match":{"t":"jane"}}}', 'db.system.name': 'opensearch' });
    expect(first.attributes['db.query.text']).toBe('{"query":{"match":{"t":"?"}}}');
    const later = run('x', { 'db.system.name': 'memcached' }, { 'db.query.text': 'set s:1 0 0 4\r\njane' });
    expect(later.attributes['db.query.text']).toBe('set s:? 0 0 4');
  });

  it('sanitizers.sql (the older name) and systems overrides', () => {
    const { run } = pipeline({
      ...base,
      sanitizers: { sql: { attributes: ['db.statement'] }, statements: { systems: { 'acme-kv': 'redis' } } },
    });
    expect(run('x', { 'db.system': 'acme-kv', 'db.statement': 'SET k:1 jane' }).attributes['db.statement']).toBe(
      'SET k:? ?',
    );
    expect(run('x', { 'db.system': 'mysql', 'db.statement': "SELECT 'jane'" }).attributes['db.statement']).toBe(
      'SELECT ?',
    );
  });

  it('names the rule in explain/stats', () => {
    const { policy } = pipeline();
    expect(policy.sanitizer('traces').rules.decide('db.query.text').rule).toBe('allow "db.*" + statement sanitizer');
  });

  it('rejects an unknown family with a one-line error naming the path', () => {
    expect(() =>
      definePolicy({ version: 1, sanitizers: { statements: { systems: { x: 'cobol' as 'sql' } } } }),
    ).toThrowError(PolicyError);
    expect(() =>
      definePolicy({ version: 1, sanitizers: { statements: { systems: { x: 'cobol' as 'sql' } } } }),
    ).toThrowError(/sanitizers\.statements\.systems\.x: expected one of "sql", "mysql"/);
  });
});

describe('span names of database spans', () => {
  it('sanitizes a name carrying a statement by the span’s family, other names as before', () => {
    const { run } = pipeline();
    expect(run('SET user:4711 jane', { 'db.system.name': 'redis' }).name).toBe('SET user:? ?');
    expect(run('GET', { 'db.system.name': 'redis' }).name).toBe('GET');
    expect(run('find {"email":"jane@example.com"}', { 'db.system.name': 'mongodb' }).name).toBe('find {"email":"?"}');
    expect(run("SELECT * FROM t WHERE a = 'x'", { 'db.system.name': 'postgresql' }).name).toBe(
      'SELECT * FROM t WHERE a = ?',
    );
    expect(run('SELECT "Jane" FROM t', { 'db.system.name': 'mysql' }).name).toBe('SELECT ? FROM t');
    // Not a database span: the span-name sanitizer as before (SQL-looking names, URLs).
    expect(run('SET user:4711 jane', {}).name).toBe('SET user:? jane');
    expect(run('GET /users/4711', { 'http.request.method': 'GET' }).name).toBe('GET /users/{id}');
  });

  it('decides a name again at the end when the system was set or replaced after the start', () => {
    const { run } = pipeline();
    // At the start the name was read as SQL (the value kept); redis reads its arguments as values.
    expect(run('SET user:4711 jane', { 'db.system.name': 'postgresql' }).name).toBe('SET user:? jane');
    expect(run('SET user:4711 jane', { 'db.system.name': 'postgresql' }, { 'db.system.name': 'redis' }).name).toBe(
      'SET user:? ?',
    );
    expect(run('SET user:4711 jane', { 'db.system': 'postgresql' }, { 'db.system': 'redis' }).name).toBe(
      'SET user:? ?',
    );
    expect(run('SET user:4711 jane', {}, { 'db.system.name': 'redis' }).name).toBe('SET user:? ?');
  });

  it('leaves names alone without sanitizers.spanName', () => {
    const { run } = pipeline({ ...base, sanitizers: { statements: { attributes: ['db.query.text'] } } });
    expect(run('SET user:4711 jane', { 'db.system.name': 'redis' }).name).toBe('SET user:4711 jane');
  });
});
