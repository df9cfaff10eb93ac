import { SpanKind } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, definePolicy } from '../../../index';
import type { PolicyDocument } from '../../../index';
import { sanitizeStatement } from '../../../engine/sanitizers/statement-sanitizer';
import type { StatementFamily } from '../../../engine/sanitizers/statement-sanitizer';
import { createUrlSanitizer } from '../../../engine/sanitizers/url-sanitizer';

// The OpenTelemetry Collector contrib redaction processor's public test cases for URL and DB
// sanitizing (processor/redactionprocessor: processor_test.go, processor_spanname_test.go,
// internal/db/db_test.go, internal/db/obfuscators_test.go, internal/db/spanname_test.go,
// internal/url/sanitizer_test.go, internal/url/spanname_test.go), each named after its upstream test.
// The outcome asserted is the privacy one: every value the Collector removes from its input is
// absent from ours (we may mask more, and write `?`/`{id}` where it writes `?`/`*`). `removed` lists
// those values, read off the upstream expectations; an empty list means the Collector keeps the input
// as it is (e.g. no db.system, span kinds it skips), and we only check that nothing fails.
// URL cases run through our URL sanitizer with its defaults (query, matrix and fragment values redacted
// unless kept; paths cut after 8 segments), span names and log bodies through the real processors.

/** Whether `literal` survives in `output` as a token of its own (not as part of a longer word). */
function survives(output: string, literal: string): boolean {
  let from = 0;
  for (;;) {
    const at = output.indexOf(literal, from);
    if (at === -1) return false;
    const before = at > 0 ? output[at - 1] : '';
    const after = output[at + literal.length] ?? '';
    if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) return true;
    from = at + 1;
  }
}

function expectRemoved(output: string, removed: readonly string[]): void {
  expect(typeof output).toBe('string');
  expect(removed.filter((literal) => survives(output, literal))).toEqual([]);
}

/** The policy that plays the Collector's configuration: every key allowed, the sanitizers on. */
const policyDoc: PolicyDocument = {
  version: 1,
  attributes: { allow: ['*'] },
  values: { detectors: 'all' },
  sanitizers: {
    url: { attributes: ['http.url', 'url', 'request_url', 'http.target'] },
    statements: { attributes: ['db.statement', 'db.query.text'] },
    spanName: true,
  },
};
const policy = definePolicy(policyDoc);
const spanExporter = new InMemorySpanExporter();
const tracerProvider = new TracerProvider({
  spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: spanExporter }) })],
});
const tracer = tracerProvider.getTracer('collector-redaction-port');
const logExporter = new InMemoryLogRecordExporter();
const loggerProvider = new LoggerProvider({
  processors: [
    new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: logExporter }) }),
  ],
});
const logger = loggerProvider.getLogger('collector-redaction-port');
afterAll(async () => {
  await tracerProvider.shutdown();
  await loggerProvider.shutdown();
});

/** One real span through `PrivacySpanProcessor`: its exported name and attributes. */
function span(name: string, attributes: Attributes = {}, kind: SpanKind = SpanKind.CLIENT) {
  spanExporter.reset();
  tracer.startSpan(name, { kind, attributes }).end();
  const [out] = spanExporter.getFinishedSpans();
  return { name: out.name, attributes: out.attributes };
}

/** One real log record through `PrivacyLogRecordProcessor`: its exported attributes and body. */
async function logRecord(attributes: Attributes, body?: unknown) {
  logExporter.reset();
  logger.emit({ attributes, body: body as string });
  await loggerProvider.forceFlush();
  const [out] = logExporter.getFinishedLogRecords();
  return { attributes: out.attributes, body: out.body };
}

const url = createUrlSanitizer();

interface StatementCase {
  readonly upstream: string;
  readonly input: string;
  readonly family: StatementFamily;
  readonly removed: readonly string[];
}

describe('internal/db: statements through the statement sanitizer of their family', () => {
  const cases: StatementCase[] = [
    // TestObfuscate runs every enabled obfuscator in turn, with no system: our `unknown` reading.
    {
      upstream: 'TestObfuscate/sql query',
      input: 'SELECT * FROM users WHERE id = 123',
      family: 'unknown',
      removed: ['123'],
    },
    {
      upstream: 'TestObfuscate/redis command',
      input: 'SET user:123 john',
      family: 'unknown',
      removed: ['123', 'john'],
    },
    {
      upstream: 'TestObfuscateWithSystem/sql system',
      input: 'SELECT * FROM users WHERE id = 1',
      family: 'mysql',
      removed: ['1'],
    },
    {
      upstream: 'TestObfuscateWithSystem/redis system',
      input: 'SET user:1 top-secret',
      family: 'redis',
      removed: ['top-secret'],
    },
    {
      upstream: 'TestObfuscateWithSystem/memcached system',
      input: 'set mykey 0 60 5\r\nsecret\r\n',
      family: 'memcached',
      removed: ['secret'],
    },
    {
      upstream: 'TestObfuscateWithSystem/mongodb system',
      input: '{"find":"users","filter":{"name":"john"}}',
      family: 'mongodb',
      removed: ['users', 'john'],
    },
    {
      upstream: 'TestObfuscateWithSystem/opensearch system',
      input: '{"query":{"match":{"title":"secret"}}}',
      family: 'elasticsearch',
      removed: ['secret'],
    },
    {
      upstream: 'TestObfuscateWithSystem/elasticsearch system',
      input: '{"query":{"match":{"title":"secret"}}}',
      family: 'elasticsearch',
      removed: ['secret'],
    },
    {
      upstream: 'TestObfuscateWithSystem/missing system leaves value unchanged',
      input: 'SELECT * FROM users WHERE id = 1',
      family: 'unknown',
      removed: [],
    },
    {
      upstream: 'TestObfuscateWithSystem/unknown system leaves unchanged',
      input: 'SET key value',
      family: 'unknown',
      removed: [],
    },
    {
      upstream: 'TestObfuscateWithNoObfuscators',
      input: 'SELECT * FROM users WHERE id = 1',
      family: 'mysql',
      removed: [],
    },
    {
      upstream: 'TestZeroValueObfuscatorObfuscate',
      input: 'SELECT * FROM users WHERE id = 123',
      family: 'unknown',
      removed: [],
    },
    {
      upstream: 'TestSQLObfuscator/simple select',
      input: 'SELECT * FROM users WHERE id = 123',
      family: 'sql',
      removed: ['123'],
    },
    {
      upstream: 'TestSQLObfuscator/insert statement',
      input: "INSERT INTO users (name, age) VALUES ('John', 30)",
      family: 'sql',
      removed: ['John', '30'],
    },
    { upstream: 'TestRedisObfuscator/set command', input: 'SET user:123 john', family: 'redis', removed: ['john'] },
    { upstream: 'TestRedisObfuscator/get command', input: 'GET user:123', family: 'redis', removed: [] },
    {
      upstream: 'TestRedisObfuscatorWithValkeyConfig/valkey command',
      input: 'SET user:123 john',
      family: 'redis',
      removed: ['john'],
    },
    { upstream: 'TestMemcachedObfuscator/set command', input: 'set mykey 0 60 5', family: 'memcached', removed: [] },
    { upstream: 'TestMemcachedObfuscator/get command', input: 'get mykey', family: 'memcached', removed: [] },
    {
      upstream: 'TestMongoObfuscator/find command',
      input: '{"find": "users", "filter": {"age": 30}}',
      family: 'mongodb',
      removed: [],
    },
    { upstream: 'TestMongoObfuscator/non-json value', input: '/foo/{bar}', family: 'mongodb', removed: [] },
    {
      upstream: 'TestOpenSearchObfuscator/search query',
      input: '{"query": {"match": {"title": "test"}}}',
      family: 'elasticsearch',
      removed: ['test'],
    },
    { upstream: 'TestOpenSearchObfuscator/non-json value', input: '/foo/bar', family: 'elasticsearch', removed: [] },
    {
      upstream: 'TestElasticsearchObfuscator/search query',
      input: '{"query": {"match": {"title": "test"}}}',
      family: 'elasticsearch',
      removed: ['test'],
    },
    {
      upstream: 'TestElasticsearchObfuscator/non-json value',
      input: '/svc/resource',
      family: 'elasticsearch',
      removed: [],
    },
  ];
  it.each(cases)('$upstream', ({ input, family, removed }) => {
    expectRemoved(sanitizeStatement(input, family), removed);
  });
});

interface AttributeCase {
  readonly upstream: string;
  readonly attributes: Attributes;
  readonly key: string;
  readonly removed: readonly string[];
}

describe('internal/db TestObfuscateAttribute and processor_test DB cases: attributes of real spans', () => {
  const cases: AttributeCase[] = [
    {
      upstream: 'TestObfuscateAttribute/sql statement',
      attributes: { 'db.system': 'mysql', 'db.statement': 'SELECT * FROM users WHERE id = 123' },
      key: 'db.statement',
      removed: ['123'],
    },
    {
      upstream: 'TestObfuscateAttribute/sql statement with mariadb system',
      attributes: { 'db.system': 'mariadb', 'db.statement': 'UPDATE accounts SET balance = 10 WHERE id = 7' },
      key: 'db.statement',
      removed: ['10', '7'],
    },
    {
      upstream: 'TestObfuscateAttribute/non-db attribute',
      attributes: { 'db.system': 'mysql', 'other.field': 'SELECT * FROM users' },
      key: 'other.field',
      removed: [],
    },
    {
      upstream: 'TestObfuscateAttribute/missing db.system leaves attribute unchanged',
      attributes: { 'db.statement': 'SET user:123 john' },
      key: 'db.statement',
      removed: [],
    },
    {
      upstream: 'TestObfuscateAttribute/missing db.system with fallback obfuscates sequentially',
      attributes: { 'db.statement': 'SET user:123 john' },
      key: 'db.statement',
      removed: ['123', 'john'],
    },
    {
      upstream: 'TestObfuscateAttribute/no specific attributes',
      attributes: { 'db.system': 'mysql', 'db.statement': 'SELECT * FROM users' },
      key: 'db.statement',
      removed: [],
    },
    {
      upstream: 'TestObfuscateAttribute/redis system selects redis obfuscator',
      attributes: { 'db.system': 'redis', 'db.statement': 'SET user:123 john' },
      key: 'db.statement',
      removed: ['john'],
    },
    {
      upstream: 'TestObfuscateAttribute/valkey system uses valkey obfuscator',
      attributes: { 'db.system': 'valkey', 'db.statement': 'SET key value' },
      key: 'db.statement',
      removed: ['value'],
    },
    {
      upstream: 'TestObfuscateAttribute/mismatched system leaves attribute unchanged',
      attributes: { 'db.system': 'cassandra', 'db.statement': 'SET user:123 john' },
      key: 'db.statement',
      removed: [],
    },
    {
      upstream: 'TestDBObfuscationUsesDBSystemForAttributes (mysql span)',
      attributes: {
        'db.system': 'mysql',
        'db.statement': "SELECT id, email FROM users WHERE id = 42 AND email = 'foo@example.com'",
      },
      key: 'db.statement',
      removed: ['42', 'foo@example.com'],
    },
    {
      upstream: 'TestDBObfuscationUsesDBSystemForAttributes (redis span)',
      attributes: { 'db.system': 'redis', 'db.statement': 'SET user:12345 my-secret' },
      key: 'db.statement',
      removed: ['my-secret'],
    },
    {
      upstream: 'TestDBObfuscationUsesDBSystemNameForAttributes',
      attributes: {
        'db.system.name': 'postgresql',
        'db.statement': "SELECT email FROM users WHERE email = 'foo@bar.com'",
      },
      key: 'db.statement',
      removed: ['foo@bar.com'],
    },
    {
      upstream: 'TestDBObfuscationAttributesWithoutDBSystemDoesNothing (sql span)',
      attributes: { 'db.statement': 'SELECT id FROM accounts WHERE id = 42' },
      key: 'db.statement',
      removed: [],
    },
    {
      upstream: 'TestDBObfuscationAttributesWithoutDBSystemDoesNothing (redis span)',
      attributes: { 'db.statement': 'SET user:999 secret' },
      key: 'db.statement',
      removed: [],
    },
  ];
  it.each(cases)('$upstream', ({ attributes, key, removed }) => {
    const out = span('db', attributes).attributes[key];
    expectRemoved(String(out), removed);
  });

  it('TestLogAttributesObfuscationWithoutDBSystem', async () => {
    const out = await logRecord({ 'db.statement': 'SELECT password FROM users WHERE id = 42' });
    expectRemoved(String(out.attributes['db.statement']), ['42']);
  });

  it('TestMetricAttributesDBObfuscationWithSystem', () => {
    const out = policy.sanitizer('metrics').sanitize({
      'db.system': 'mysql',
      'db.statement': 'SELECT id FROM accounts WHERE id = 42',
    });
    expectRemoved(String(out['db.statement']), ['42']);
  });

  it('TestMetricAttributesDBObfuscationWithoutSystem', () => {
    const out = policy.sanitizer('metrics').sanitize({ 'db.statement': 'SELECT id FROM accounts WHERE id = 42' });
    expectRemoved(String(out['db.statement']), []);
  });
});

interface SpanNameCase {
  readonly upstream: string;
  readonly name: string;
  readonly attributes?: Attributes;
  readonly kind?: SpanKind;
  readonly removed: readonly string[];
}

describe('span names through real spans (processor_spanname_test, internal/db/spanname_test, internal/url/spanname_test)', () => {
  const mysql = { 'db.system': 'mysql' };
  const cases: SpanNameCase[] = [
    { upstream: 'TestURLSanitizationSpanName/url_enabled_client_span', name: '/users/123/profile', removed: ['123'] },
    {
      upstream: 'TestURLSanitizationSpanName/url_enabled_non_client_server',
      name: '/users/123/profile',
      kind: SpanKind.INTERNAL,
      removed: [],
    },
    {
      upstream: 'TestURLSanitizationSpanName/url_and_db_sanitizers_enabled_without_db_system',
      name: '/payments/123/details',
      removed: ['123'],
    },
    {
      upstream: 'TestURLSanitizationSpanName/url_and_db_sanitizers_enabled_with_db_system',
      name: 'SELECT balance FROM accounts WHERE id = 7',
      attributes: mysql,
      removed: ['7'],
    },
    {
      upstream: 'TestURLSanitizationSpanName/url_enabled_with_query_string',
      name: 'GET /orders/123?sql=SELECT+1',
      removed: ['123', 'SELECT+1'],
    },
    {
      upstream: 'TestURLSanitizationSpanNameWithBlockedValues/span name with blocked value should not be sanitized',
      name: '/users/4111111111111111/profile',
      kind: SpanKind.INTERNAL,
      removed: [],
    },
    {
      upstream:
        'TestURLSanitizationSpanNameWithBlockedValues/span name with service identifiers should be sanitized when allowed',
      name: 'payments-dev-sql-adapter-queue /api/process/123',
      kind: SpanKind.SERVER,
      removed: ['123'],
    },
    {
      upstream: 'TestURLSanitizationSpanNameWithBlockedValues/span name with secret pattern should not be sanitized',
      name: 'payments-service /api/secret-123/process',
      kind: SpanKind.INTERNAL,
      removed: [],
    },
    {
      upstream:
        'TestURLSanitizationSpanNameWithBlockedValues/span name without slash should not be sanitized even when URL sanitization enabled',
      name: 'us-west2-inventory-dev-catalog-sql-adapter-queue process',
      removed: [],
    },
    {
      upstream:
        'TestURLSanitizationSpanNameWithBlockedValues/span name with slash should be sanitized when conditions met',
      name: 'GET /api/v1/payments/123',
      removed: ['123'],
    },
    {
      upstream: 'TestDBSpanNameUntouchedWhenDBSystemMissing',
      name: 'SELECT count(*) FROM orders WHERE customer_id = 42',
      removed: [],
    },
    {
      upstream: 'TestSpanNameURLAndDBSanitizationCombined',
      name: 'GET /orders/123/lines/456?sql=SELECT+1',
      attributes: mysql,
      removed: ['123', '456', 'SELECT+1'],
    },
    { upstream: 'TestSpanNameAllSanitizerCombinations/url_span', name: '/orders/123/detail', removed: ['123'] },
    {
      upstream: 'TestSpanNameAllSanitizerCombinations/sql_span',
      name: 'SELECT * FROM accounts WHERE id = 42',
      attributes: mysql,
      removed: ['42'],
    },
    {
      upstream: 'TestSpanNameAllSanitizerCombinations/redis_span',
      name: 'SET user:123 secret',
      attributes: { 'db.system': 'redis' },
      removed: ['secret'],
    },
    {
      upstream: 'TestSpanNameAllSanitizerCombinations/memcached_span',
      name: 'set key 0 60 5\r\nmysecret\r\n',
      attributes: { 'db.system': 'memcached' },
      removed: ['mysecret'],
    },
    {
      upstream: 'TestSpanNameAllSanitizerCombinations/mongo_span',
      name: '{"find":"users","filter":{"name":"john"}}',
      attributes: { 'db.system': 'mongodb' },
      removed: ['users', 'john'],
    },
    {
      upstream: 'TestSpanNameAllSanitizerCombinations/opensearch_span',
      name: '{"query":{"match":{"title":"secret"}}}',
      attributes: { 'db.system': 'opensearch' },
      removed: ['secret'],
    },
    {
      upstream: 'TestSpanNameAllSanitizerCombinations/elasticsearch_span',
      name: '{"query":{"match":{"title":"secret"}}}',
      attributes: { 'db.system': 'elasticsearch' },
      removed: ['secret'],
    },
    {
      upstream: 'TestSpanNameAllSanitizerCombinations/query_string_span',
      name: 'GET /reports/7?sql=SELECT+1',
      removed: ['7', 'SELECT+1'],
    },
    {
      upstream: 'TestSpanNameAllSanitizerCombinations/valkey_span',
      name: 'GET key:123',
      attributes: { 'db.system': 'valkey' },
      removed: [],
    },
    {
      upstream: 'TestAllDBSystemsSpanName/mysql_with_db.system',
      name: 'SELECT * FROM users WHERE id = 123',
      attributes: mysql,
      removed: ['123'],
    },
    {
      upstream: 'TestAllDBSystemsSpanName/mysql_with_db.system.name',
      name: 'SELECT * FROM payments WHERE account_id = 123',
      attributes: { 'db.system.name': 'mysql' },
      removed: ['123'],
    },
    {
      upstream: 'TestAllDBSystemsSpanName/redis',
      name: 'SET user:12345 my-secret',
      attributes: { 'db.system': 'redis' },
      removed: ['my-secret'],
    },
    {
      upstream: 'TestAllDBSystemsSpanName/postgresql',
      name: 'SELECT * FROM users WHERE id = 42',
      attributes: { 'db.system': 'postgresql' },
      removed: ['42'],
    },
    {
      upstream: 'TestAllDBSystemsSpanName/mariadb',
      name: 'UPDATE accounts SET balance = 100 WHERE id = 7',
      attributes: { 'db.system': 'mariadb' },
      removed: ['100', '7'],
    },
    {
      upstream: 'TestAllDBSystemsSpanName/sqlite',
      name: 'DELETE FROM sessions WHERE expired < 1234567890',
      attributes: { 'db.system': 'sqlite' },
      removed: ['1234567890'],
    },
    {
      upstream: 'TestAllDBSystemsSpanName/mongodb',
      name: '{"find":"users","filter":{"name":"john","age":30}}',
      attributes: { 'db.system': 'mongodb' },
      removed: ['users', 'john', '30'],
    },
    {
      upstream: 'TestAllDBSystemsSpanName/elasticsearch',
      name: '{"query":{"match":{"title":"secret-document"}}}',
      attributes: { 'db.system': 'elasticsearch' },
      removed: ['secret-document'],
    },
    {
      upstream: 'TestAllDBSystemsSpanName/opensearch',
      name: '{"query":{"term":{"user_id":"12345"}}}',
      attributes: { 'db.system': 'opensearch' },
      removed: ['12345'],
    },
    {
      upstream: 'TestAllDBSystemsSpanName/memcached',
      name: 'set mykey 0 3600 11\r\nsecret-data\r\n',
      attributes: { 'db.system': 'memcached' },
      removed: ['secret-data'],
    },
    {
      upstream: 'TestValkeySpanNameObfuscation',
      name: 'SET user:123 secret-value',
      attributes: { 'db.system': 'valkey' },
      removed: ['secret-value'],
    },
    {
      upstream: 'TestSpanKindFiltering/client',
      name: 'SELECT * FROM users WHERE id = 42',
      attributes: mysql,
      removed: ['42'],
    },
    {
      upstream: 'TestSpanKindFiltering/server',
      name: 'SELECT * FROM users WHERE id = 42',
      attributes: mysql,
      kind: SpanKind.SERVER,
      removed: ['42'],
    },
    {
      upstream: 'TestSpanKindFiltering/internal',
      name: 'SELECT * FROM users WHERE id = 42',
      attributes: mysql,
      kind: SpanKind.INTERNAL,
      removed: ['42'],
    },
    {
      upstream: 'TestSpanKindFiltering/producer',
      name: 'SELECT * FROM users WHERE id = 42',
      attributes: mysql,
      kind: SpanKind.PRODUCER,
      removed: [],
    },
    {
      upstream: 'TestSpanKindFiltering/consumer',
      name: 'SELECT * FROM users WHERE id = 42',
      attributes: mysql,
      kind: SpanKind.CONSUMER,
      removed: [],
    },
    { upstream: 'TestSpanNameEdgeCases/empty_span_name', name: '', removed: [] },
    { upstream: 'TestSpanNameEdgeCases/only_numbers', name: '12345', removed: [] },
    { upstream: 'TestSpanNameEdgeCases/only_slash', name: '/', removed: [] },
    {
      upstream: 'TestSpanNameEdgeCases/unicode_in_url',
      name: '/users/测试/profile',
      removed: ['测试'],
    },
    {
      upstream: 'TestSpanNameEdgeCases/special_chars_in_url',
      name: '/api/v1/items/@special/data',
      removed: ['@special'],
    },
    {
      upstream: 'TestSpanNameEdgeCases/very_long_span_name',
      name: `/api/${'segment/'.repeat(100)}end`,
      removed: ['end'],
    },
    { upstream: 'TestSpanNameEdgeCases/whitespace_only', name: '   ', removed: [] },
    {
      upstream: 'TestSpanNameEdgeCases/sql_with_newlines',
      name: 'SELECT *\nFROM users\nWHERE id = 42',
      attributes: mysql,
      removed: ['42'],
    },
    {
      upstream: 'TestSpanNameEdgeCases/url_with_fragment',
      name: 'GET /page/123#section',
      removed: ['123', 'section'],
    },
    {
      upstream: 'TestSpanNameEdgeCases/mixed_slashes',
      name: '/v1/api\\path/123',
      removed: ['api', 'path', '123'],
    },
    {
      upstream: 'TestSpanNameEdgeCases/no_sanitization_without_db_system',
      name: 'SELECT * FROM users WHERE id = 42',
      removed: [],
    },
    { upstream: 'TestSpanNameEdgeCases/json_like_but_not_db', name: '{"message":"hello"}', removed: [] },
    {
      upstream: 'TestSpanNameEdgeCases/span_name_without_slash_sanitized_to_asterisk',
      name: 'okey-dokey-0',
      attributes: { 'http.method': 'GET' },
      kind: SpanKind.SERVER,
      removed: [],
    },
    {
      upstream: 'TestSpanNameEdgeCases/span_name_without_slash_sanitized_to_asterisk_client',
      name: 'simple-operation-123',
      attributes: { 'http.request.method': 'POST' },
      removed: [],
    },
    { upstream: 'TestSanitizeSpanNameFlag/URL/default behavior', name: '/users/123/profile', removed: ['123'] },
    {
      upstream: 'TestSanitizeSpanNameFlag/DB/default behavior',
      name: 'SELECT * FROM users WHERE id = 123',
      attributes: mysql,
      removed: ['123'],
    },
    { upstream: 'db TestSanitizeSpanNameRequiresDBSystem', name: 'SELECT 1', removed: [] },
    {
      upstream: 'db TestSanitizeSpanNameWithDBSystemName',
      name: 'SELECT * FROM users WHERE id = 42',
      attributes: { 'db.system.name': 'mysql', 'db.statement': 'SELECT * FROM users WHERE id = 42' },
      removed: ['42'],
    },
    {
      upstream: 'db TestSanitizeSpanNameUnsupportedSpanKinds/producer',
      name: 'SELECT * FROM users WHERE id = 42',
      attributes: mysql,
      kind: SpanKind.PRODUCER,
      removed: [],
    },
    { upstream: 'db TestSanitizeSpanNameUnchanged', name: 'SHOW TABLES', attributes: mysql, removed: [] },
    {
      upstream: 'db TestSanitizeSpanNameServerKind',
      name: 'SELECT * FROM users WHERE id = 42',
      attributes: mysql,
      kind: SpanKind.SERVER,
      removed: ['42'],
    },
    {
      upstream: 'db TestSanitizeSpanNameInternalKind',
      name: 'SELECT * FROM users WHERE id = 42',
      attributes: mysql,
      kind: SpanKind.INTERNAL,
      removed: ['42'],
    },
    {
      upstream: 'url TestShouldSanitizeSpanRequiresClientOrServer',
      name: '/users/123',
      kind: SpanKind.INTERNAL,
      removed: [],
    },
    { upstream: 'url TestSanitizeSpanName', name: '/payments/12345/detail', removed: ['12345'] },
    { upstream: 'url TestSanitizeSpanNameNoHTTPAttributesNoSlash', name: 'operation-name', removed: [] },
    {
      upstream: 'url TestSanitizeSpanNameWithHTTPAttributesNoSlash',
      name: 'operation-123',
      attributes: { 'http.method': 'GET' },
      kind: SpanKind.SERVER,
      removed: [],
    },
    { upstream: 'url TestSanitizeSpanNameUnchanged', name: '/users/profile', removed: [] },
    {
      upstream: 'url TestSanitizeSpanNameFullyRedacted/single numeric segment becomes asterisk - keep original',
      name: '/123',
      removed: [],
    },
    {
      upstream: 'url TestSanitizeSpanNameFullyRedacted/two numeric segments become asterisks - keep original',
      name: '/123/456',
      removed: [],
    },
    {
      upstream: 'url TestSanitizeSpanNameFullyRedacted/partial redaction is applied',
      name: '/payments/12345',
      removed: ['12345'],
    },
    {
      upstream: 'url TestSanitizeSpanNameFullyRedacted/mixed pattern with non-asterisk segment is applied',
      name: '/payments/12345/detail',
      removed: ['12345'],
    },
    {
      upstream: 'url TestSanitizeSpanNameFullyRedacted/unchanged name returns false',
      name: '/payments/users',
      removed: [],
    },
    { upstream: 'url TestSanitizeSpanNameFullyRedacted/single slash is valid literal', name: '/', removed: [] },
  ];
  it.each(cases)('$upstream', ({ name, attributes, kind, removed }) => {
    expectRemoved(span(name, attributes, kind).name, removed);
  });
});

describe('URL attributes and values (processor_test URL cases, internal/url/sanitizer_test)', () => {
  const sanitizeCases: { upstream: string; input: string; removed: string[] }[] = [
    {
      upstream: 'TestURLSanitizer_SanitizeURL/url with uuid',
      input: '/api/users/123e4567-e89b-12d3-a456-426614174000',
      removed: ['123e4567-e89b-12d3-a456-426614174000'],
    },
    { upstream: 'TestURLSanitizer_SanitizeURL/url with numeric id', input: '/api/users/12345', removed: ['12345'] },
    {
      upstream: 'TestURLSanitizer_SanitizeURL/url with multiple ids',
      input: '/api/users/123/posts/456',
      removed: ['123', '456'],
    },
    { upstream: 'TestURLSanitizer_SanitizeURL/simple path', input: '/api/users', removed: [] },
    {
      upstream: 'TestURLSanitizer_SanitizeURL/url with query params',
      input: '/api/users?id=123&name=john',
      removed: ['123', 'john'],
    },
    { upstream: 'TestURLSanitizer_SanitizeURL/empty url', input: '', removed: [] },
  ];
  it.each(sanitizeCases)('$upstream', ({ input, removed }) => {
    expectRemoved(url(input), removed);
  });

  it('TestURLSanitizationEnabled (spans and log records)', async () => {
    const attributes = {
      'http.url': '/users/2',
      url: '/products/1/org/3',
      request_url: '/v1/products/22',
      other_field: '/not/sanitized/123',
    };
    for (const out of [span('s', attributes).attributes, (await logRecord(attributes)).attributes]) {
      expectRemoved(String(out['http.url']), ['2']);
      expectRemoved(String(out.url), ['1', '3']);
      expectRemoved(String(out.request_url), ['22']);
    }
  });

  it('TestURLSanitizationWithBlockedValues', () => {
    const out = span('s', { 'http.url': '/v1/products/2', credit_card: '4111111111111111' }).attributes;
    expectRemoved(String(out['http.url']), ['2']);
    expectRemoved(String(out.credit_card), ['4111111111111111']);
  });

  it('TestURLSanitizationAttributeFiltering', () => {
    const out = span('s', { 'http.url': '/users/2', other_url: '/users/3' }).attributes;
    expectRemoved(String(out['http.url']), ['2']);
  });

  it('TestURLSanitizationDisabled', () => {
    const out = span('s', { 'http.url': '/v1/products/123', url: '/users/456/profile' }).attributes;
    expect(typeof out['http.url']).toBe('string');
  });

  // A log body is free text: its URL-like words get the URL rules (`sanitizers.url.logBody`, on with URL attributes).
  it('TestURLSanitizationInLogBody', async () => {
    const out = await logRecord({}, '/users/2');
    expect(out.body).toBe('/users/{id}');
    expectRemoved(String(out.body), ['2']);
  });

  it('TestURLSanitizationComplexLogBody', async () => {
    const out = await logRecord({}, { message: '/users/2', url: '/products/1/org/3' });
    const body = out.body as Record<string, unknown>;
    expect(body).toEqual({ message: '/users/{id}', url: '/products/{id}/org/{id}' });
    expectRemoved(`${String(body.message)} ${String(body.url)}`, ['2', '1', '3']);
  });
});
