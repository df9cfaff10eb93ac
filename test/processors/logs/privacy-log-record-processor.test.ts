import { createHmac } from 'node:crypto';
import { SeverityNumber, TraceFlags, context, trace } from '@opentelemetry/api';
import type { AnyValue } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchLogRecordProcessor,
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import type { LogRecordProcessor, ReadWriteLogRecord, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POLICY_HASH_ATTRIBUTE, definePolicy } from '../../../index';
import type { Policy } from '../../../index';
import { PrivacyLogRecordProcessor } from '../../../processors/logs/privacy-log-record-processor';

const KEY_A = 'fake-hmac-key-A-for-tests-0123456789abcdef';

beforeEach(() => {
  process.env.TEST_LOG_HMAC = KEY_A;
});
afterEach(() => {
  delete process.env.TEST_LOG_HMAC;
});

const pseudonym = (v: string) =>
  `k1:${createHmac('sha256', KEY_A).update(v).digest().subarray(0, 16).toString('base64url')}`;

type Doc = Parameters<typeof definePolicy>[0];

function makePolicy(logs: Doc['logs'] = {}, extra: Partial<Doc> = {}): Policy {
  return definePolicy({
    version: 1,
    keys: { hmac: { id: 'k1', env: 'TEST_LOG_HMAC' } },
    attributes: {
      allow: [
        'http.route',
        'log.body.order',
        'log.body.order.id',
        'log.body.order.total',
        'log.body.user',
        'log.body.items',
        'log.body.tags',
        'log.body.level',
      ],
      hash: ['user.id', 'log.body.user.id'],
      drop: ['*password*'],
    },
    resource: { allow: ['service.name'], hash: ['host.name'] },
    logs,
    ...extra,
  });
}

const rawResource = () =>
  resourceFromAttributes({
    'service.name': 'fake-shop',
    'host.name': 'fake-host-01',
    'process.command_line': 'node app.js --password=hunter2',
  });

function pipeline(policy: Policy, downstream: 'simple' | 'batch' = 'batch') {
  const exporter = new InMemoryLogRecordExporter();
  const next =
    downstream === 'simple'
      ? new SimpleLogRecordProcessor({ exporter })
      : new BatchLogRecordProcessor({ exporter, scheduledDelayMillis: 10 });
  const privacy = new PrivacyLogRecordProcessor({ policy, next });
  const provider = new LoggerProvider({ resource: rawResource(), processors: [privacy] });
  const logger = provider.getLogger('fake-scope');
  const records = async (): Promise<ReadableLogRecord[]> => {
    await provider.forceFlush();
    return exporter.getFinishedLogRecords();
  };
  return { provider, exporter, logger, privacy, records };
}

/** Emits one record with `body` and returns what was exported. */
async function emitBody(policy: Policy, body: AnyValue): Promise<ReadableLogRecord> {
  const { logger, records, provider } = pipeline(policy);
  logger.emit({ severityNumber: SeverityNumber.INFO, body });
  const [r] = await records();
  await provider.shutdown();
  return r;
}

describe('PrivacyLogRecordProcessor: attributes, resource, untouched fields', () => {
  it('sanitizes attributes by the logs rules, keeps event name, severity and span context, sanitizes the resource', async () => {
    const { logger, records, provider } = pipeline(makePolicy());
    const spanContext = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    };
    logger.emit({
      eventName: 'fake.checkout',
      severityNumber: SeverityNumber.WARN,
      severityText: 'WARN',
      context: trace.setSpanContext(context.active(), spanContext),
      attributes: {
        'http.route': '/cart',
        'user.id': 'fake-user-7',
        'db.password': 'hunter2',
        'app.note': 'fake note',
      },
    });
    const [r] = await records();
    expect(r.attributes).toEqual({ 'http.route': '/cart', 'user.id': pseudonym('fake-user-7') });
    expect(r.eventName).toBe('fake.checkout');
    expect(r.severityNumber).toBe(SeverityNumber.WARN);
    expect(r.severityText).toBe('WARN');
    expect(r.spanContext?.traceId).toBe(spanContext.traceId);
    expect(r.resource.attributes).toEqual({
      'service.name': 'fake-shop',
      'host.name': pseudonym('fake-host-01'),
      [POLICY_HASH_ATTRIBUTE]: expect.any(String),
    });
    expect(r.instrumentationScope.name).toBe('fake-scope');
    await provider.shutdown();
  });

  it('sanitizes attributes set from an exception and applies per-scope blocks', async () => {
    const policy = makePolicy({}, { scopes: { 'fake-scope': { attributes: { allow: ['exception.type'] } } } });
    const { logger, records, provider } = pipeline(policy, 'simple');
    logger.emit({
      severityNumber: SeverityNumber.ERROR,
      exception: new TypeError('fake failure for fake.person@example.com'),
    });
    provider.getLogger('other-scope').emit({ severityNumber: SeverityNumber.ERROR, exception: new TypeError('x') });
    const out = await records();
    expect(out.map((r) => r.attributes)).toEqual([{ 'exception.type': 'TypeError' }, {}]);
    await provider.shutdown();
  });

  it('forwards to every processor of an array, only sanitized', async () => {
    const a = new InMemoryLogRecordExporter();
    const b = new InMemoryLogRecordExporter();
    const privacy = new PrivacyLogRecordProcessor({
      policy: makePolicy(),
      next: [new SimpleLogRecordProcessor({ exporter: a }), new SimpleLogRecordProcessor({ exporter: b })],
    });
    const provider = new LoggerProvider({ processors: [privacy] });
    provider.getLogger('s').emit({ body: { 'fake.secret': 'x' }, attributes: { 'user.id': 'fake-user-1', other: 1 } });
    await provider.forceFlush();
    for (const e of [a, b])
      expect(e.getFinishedLogRecords().map((r) => [r.attributes, r.body])).toEqual([
        [{ 'user.id': pseudonym('fake-user-1') }, {}],
      ]);
    await provider.shutdown();
  });

  it('requires policy and next', () => {
    expect(() => new PrivacyLogRecordProcessor({ policy: undefined as unknown as Policy, next: [] })).toThrow(
      /policy is required/,
    );
    expect(
      () => new PrivacyLogRecordProcessor({ policy: makePolicy(), next: undefined as unknown as LogRecordProcessor }),
    ).toThrow(/next is required/);
  });
});

describe('PrivacyLogRecordProcessor: bodies (logs.body: scan, no rule for log.body)', () => {
  it('keeps a plain string body (value scanning, when configured, is the engine’s scanner)', async () => {
    expect((await emitBody(makePolicy(), 'fake order placed')).body).toBe('fake order placed');
  });

  it('keeps numbers, booleans, null and bytes (as the engine does for attributes); keeps an absent body absent', async () => {
    const p = makePolicy();
    expect((await emitBody(p, 42)).body).toBe(42);
    expect((await emitBody(p, false)).body).toBe(false);
    expect((await emitBody(p, null)).body).toBeNull();
    expect((await emitBody(p, new Uint8Array([1, 2, 3]))).body).toEqual(new Uint8Array([1, 2, 3]));
    expect((await emitBody(p, undefined)).body).toBeUndefined();
  });

  it('decides map entries as log.body.<key>, recursively: allowed kept, hashed pseudonymized, the rest dropped', async () => {
    const body = {
      order: { id: 'fake-order-1', total: 12.5, password: 'hunter2' },
      user: { id: 'fake-user-7', email: 'fake.person@example.com' },
      items: ['fake-sku-1', 'fake-sku-2'],
      note: 'call fake person at 555-0100',
    };
    const r = await emitBody(makePolicy(), body);
    expect(r.body).toEqual({
      order: { id: 'fake-order-1', total: 12.5 },
      user: { id: pseudonym('fake-user-7') },
      items: ['fake-sku-1', 'fake-sku-2'],
    });
    // The emitter's object is not mutated.
    expect(body.user.email).toBe('fake.person@example.com');
  });

  it('handles arrays element by element: scalars kept, map elements decided as log.body.<key>', async () => {
    const r = await emitBody(makePolicy(), [
      'fake text',
      3,
      { level: 'info', 'user.email': 'fake.person@example.com' },
      [true, { tags: ['a'] }],
    ]);
    expect(r.body).toEqual(['fake text', 3, { level: 'info' }, [true, { tags: ['a'] }]]);
  });

  it('removes a body nested too deep (fail closed)', async () => {
    const p = makePolicy();
    let deep: AnyValue = 'x';
    for (let i = 0; i < 40; i++) deep = [deep];
    expect((await emitBody(p, deep)).body).toBeUndefined();
  });

  it('keeps a __proto__ key as data when allowed and never pollutes prototypes', async () => {
    const policy = makePolicy({}, { attributes: { allow: ['log.body.__proto__'] } });
    const body = JSON.parse('{"__proto__": {"polluted": "yes"}, "other": 1}') as AnyValue;
    const r = await emitBody(policy, body);
    expect(Object.prototype.hasOwnProperty.call(r.body, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(r.body as object)).toEqual(['__proto__']);
  });
});

describe('PrivacyLogRecordProcessor: bodies with a rule for log.body, and logs.body: drop', () => {
  it('a drop rule for log.body removes every body', async () => {
    const p = makePolicy({ attributes: { drop: ['log.body'] } });
    expect((await emitBody(p, 'fake text')).body).toBeUndefined();
    expect((await emitBody(p, { level: 'info' })).body).toBeUndefined();
  });

  it('a hash rule for log.body pseudonymizes the whole body', async () => {
    const p = makePolicy({ attributes: { hash: ['log.body'] } });
    expect((await emitBody(p, 'fake-user-7 logged in')).body).toBe(pseudonym('fake-user-7 logged in'));
  });

  it('an allow rule for log.body keeps strings and decides map entries as log.body.<key>', async () => {
    const p = makePolicy({ attributes: { allow: ['log.body'] } });
    expect((await emitBody(p, 'fake text')).body).toBe('fake text');
    expect((await emitBody(p, { level: 'info', secret_note: 'x', user: { id: 'fake-user-7' } })).body).toEqual({
      level: 'info',
      user: { id: pseudonym('fake-user-7') },
    });
  });

  it('a per-scope rule for log.body applies only to that scope', async () => {
    const p = makePolicy({}, { scopes: { 'noisy-*': { attributes: { drop: ['log.body'] } } } });
    const { provider, records } = pipeline(p, 'simple');
    provider.getLogger('noisy-lib').emit({ body: 'fake noisy text' });
    provider.getLogger('quiet-lib').emit({ body: 'fake quiet text' });
    expect((await records()).map((r) => r.body)).toEqual([undefined, 'fake quiet text']);
    await provider.shutdown();
  });

  it('logs.body: drop removes bodies of every shape', async () => {
    const p = makePolicy({ body: 'drop' });
    for (const body of ['fake text', 1, true, { level: 'info' }, ['a'], new Uint8Array([1])] as AnyValue[])
      expect((await emitBody(p, body)).body).toBeUndefined();
  });
});

describe('PrivacyLogRecordProcessor: URL rules in bodies (sanitizers.url.logBody)', () => {
  const urlPolicy = (url: NonNullable<NonNullable<Doc['sanitizers']>['url']>, extra: Partial<Doc> = {}) =>
    definePolicy({
      version: 1,
      attributes: { allow: ['log.body.msg', 'log.body.items', 'log.body.user'], hash: [] },
      values: { detectors: 'all' },
      sanitizers: { url },
      ...extra,
    });
  const withAttributes = urlPolicy({ attributes: ['url.full'] });

  it('rewrites URL-like words of a string body, the text around them kept', async () => {
    const r = await emitBody(withAttributes, 'GET /users/4711/orders?sort=asc failed (see /help#ids).');
    expect(r.body).toBe('GET /users/{id}/orders?sort=REDACTED failed (see /help#REDACTED).');
  });

  it('rewrites the strings of map and array bodies, entries still decided as log.body.<key>', async () => {
    const body = { msg: 'fetch /u/98765', items: ['/a/1', 'plain', 7], other: '/x/2' };
    const r = await emitBody(withAttributes, body);
    expect(r.body).toEqual({ msg: 'fetch /u/{id}', items: ['/a/{id}', 'plain', 7] });
    expect(body).toEqual({ msg: 'fetch /u/98765', items: ['/a/1', 'plain', 7], other: '/x/2' }); // not written
  });

  it('scans the raw text too: a credential whose context the rewrite broke is still masked', async () => {
    const r = await emitBody(withAttributes, 'redirect /cb?token=Bearer 2YotnFZFEjr1zCsicMWpAA');
    expect(String(r.body)).not.toContain('2YotnFZFEjr1zCsicMWpAA');
    expect(String(r.body)).toContain('/cb?token=REDACTED');
  });

  it('with values.action: drop, a body string whose raw text has a finding left in the output removes its entry', async () => {
    const p = urlPolicy({ attributes: ['url.full'] }, { values: { detectors: 'all', action: 'drop' } });
    const r = await emitBody(p, {
      msg: 'redirect /cb?token=Bearer 2YotnFZFEjr1zCsicMWpAA',
      user: 'mail /u/jane.doe@example.com', // the finding is gone with the rewrite: kept, rewritten
    });
    expect(r.body).toEqual({ user: 'mail /u/{id}' });
    const whole = await emitBody(p, 'redirect /cb?token=Bearer 2YotnFZFEjr1zCsicMWpAA');
    expect(whole.body).toBeUndefined();
  });

  it('is off with logBody: false and without URL attributes; never applied under a hash rule for log.body', async () => {
    expect((await emitBody(urlPolicy({ attributes: ['url.full'], logBody: false }), '/users/4711')).body).toBe(
      '/users/4711',
    );
    expect((await emitBody(urlPolicy({ sensitiveParams: ['x'] }), '/users/4711')).body).toBe('/users/4711');
    expect((await emitBody(urlPolicy({ sensitiveParams: ['x'], logBody: true }), '/users/4711')).body).toBe(
      '/users/{id}',
    );
    const hashed = urlPolicy(
      { attributes: ['url.full'] },
      {
        keys: { hmac: { id: 'k1', env: 'TEST_LOG_HMAC' } },
        attributes: { hash: ['log.body'] },
      },
    );
    expect((await emitBody(hashed, '/users/4711')).body).toBe(pseudonym('/users/4711'));
  });
});

describe('PrivacyLogRecordProcessor: minSeverity and sampling ratio', () => {
  it('drops records below logs.minSeverity; unspecified severity passes; the SDK asks enabled() first', async () => {
    const { logger, records, privacy, provider } = pipeline(makePolicy({ minSeverity: 'WARN' }));
    logger.emit({ severityNumber: SeverityNumber.DEBUG, body: 'fake debug' });
    logger.emit({ severityNumber: SeverityNumber.INFO4, body: 'fake info' });
    logger.emit({ severityNumber: SeverityNumber.WARN, body: 'fake warn' });
    logger.emit({ severityNumber: SeverityNumber.FATAL, body: 'fake fatal' });
    logger.emit({ body: 'fake unspecified' });
    expect((await records()).map((r) => r.body)).toEqual(['fake warn', 'fake fatal', 'fake unspecified']);
    // The Logger consults enabled() and never creates those records, so onEmit has nothing to count.
    expect(privacy.dropped).toEqual({ belowMinSeverity: 0, sampledOut: 0 });
    expect(logger.enabled({ severityNumber: SeverityNumber.INFO })).toBe(false);
    expect(logger.enabled({ severityNumber: SeverityNumber.ERROR })).toBe(true);
    await provider.shutdown();
  });

  it('drops and counts in onEmit when another processor keeps the logger enabled', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const privacy = new PrivacyLogRecordProcessor({
      policy: makePolicy({ minSeverity: 'ERROR' }),
      next: new SimpleLogRecordProcessor({ exporter }),
    });
    const sibling = { onEmit: () => {}, forceFlush: async () => {}, shutdown: async () => {} };
    const provider = new LoggerProvider({ processors: [privacy, sibling] });
    const logger = provider.getLogger('s');
    logger.emit({ severityNumber: SeverityNumber.WARN, body: 'fake warn' });
    logger.emit({ severityNumber: SeverityNumber.ERROR, body: 'fake error' });
    await provider.forceFlush();
    expect(exporter.getFinishedLogRecords().map((r) => r.body)).toEqual(['fake error']);
    expect(privacy.dropped).toEqual({ belowMinSeverity: 1, sampledOut: 0 });
    await provider.shutdown();
  });

  it('keeps records by the trace randomness with logs.sampling.ratio, consistently with the trace sampler', async () => {
    const { logger, records, privacy, provider } = pipeline(makePolicy({ sampling: { ratio: 0.5 } }));
    const inTrace = (traceId: string, body: string) =>
      logger.emit({
        body,
        context: trace.setSpanContext(context.active(), {
          traceId,
          spanId: 'b7ad6b7169203331',
          traceFlags: TraceFlags.SAMPLED,
        }),
      });
    inTrace('0af7651916cd43ddffffffffffffffff', 'fake kept');
    inTrace('0af7651916cd43dd0000000000000001', 'fake sampled out');
    inTrace('0af7651916cd43ddc0ffffffffffff00', 'fake kept too');
    expect((await records()).map((r) => r.body)).toEqual(['fake kept', 'fake kept too']);
    expect(privacy.dropped).toEqual({ belowMinSeverity: 0, sampledOut: 1 });
    await provider.shutdown();
  });

  it('ratio 0 drops every record', async () => {
    const { logger, records, privacy, provider } = pipeline(makePolicy({ sampling: { ratio: 0 } }));
    for (let i = 0; i < 5; i++) logger.emit({ body: `fake ${i}` });
    expect(await records()).toEqual([]);
    expect(privacy.dropped.sampledOut).toBe(5);
    await provider.shutdown();
  });
});

describe('PrivacyLogRecordProcessor: fail closed', () => {
  it('drops, wipes and counts a record whose sanitizing throws; later records still flow', async () => {
    const policy = makePolicy();
    const { logger, records, provider } = pipeline(policy);
    const seen: ReadWriteLogRecord[] = [];
    // A sibling processor registered after the privacy processor sees the wiped record, never the raw one.
    const body = { level: 'info', ...({} as object) };
    Object.defineProperty(body, 'boom', {
      enumerable: true,
      get: () => {
        throw new Error('fake body failure');
      },
    });
    const provider2 = new LoggerProvider({
      processors: [
        new PrivacyLogRecordProcessor({ policy, next: [] }),
        { onEmit: (r: ReadWriteLogRecord) => void seen.push(r), forceFlush: async () => {}, shutdown: async () => {} },
      ],
    });
    provider2.getLogger('s').emit({ body, attributes: { 'user.id': 'fake-user-7', 'http.route': '/x' } });
    expect(seen).toHaveLength(1);
    expect(seen[0].body).toBeUndefined();
    expect(seen[0].attributes).toEqual({});
    expect(policy.counters.dropped.logs.failed).toBe(1);

    logger.emit({ body, attributes: { 'http.route': '/y' } });
    logger.emit({ body: 'fake fine', attributes: { 'http.route': '/z' } });
    const out = await records();
    expect(out.map((r) => [r.body, r.attributes])).toEqual([['fake fine', { 'http.route': '/z' }]]);
    expect(policy.counters.dropped.logs.failed).toBe(2);
    await provider.shutdown();
    await provider2.shutdown();
  });
});

describe('PrivacyLogRecordProcessor and Policy.replaceWith (hot reload)', () => {
  it('attribute rules, logs.body and logs.minSeverity of the new policy apply from the next record', async () => {
    const policy = makePolicy();
    const { logger, records, provider } = pipeline(policy);
    logger.emit({
      severityNumber: SeverityNumber.DEBUG,
      body: 'fake first',
      attributes: { 'http.route': '/a', 'fake.plan': 'pro' },
    });
    policy.replaceWith(makePolicy({ body: 'drop', minSeverity: 'INFO' }, { attributes: { allow: ['fake.plan'] } }));
    logger.emit({ severityNumber: SeverityNumber.DEBUG, body: 'fake below the new minimum' });
    logger.emit({
      severityNumber: SeverityNumber.INFO,
      body: 'fake second',
      attributes: { 'http.route': '/a', 'fake.plan': 'pro' },
    });
    const out = await records();
    expect(out.map((r) => [r.body, r.attributes])).toEqual([
      ['fake first', { 'http.route': '/a' }],
      [undefined, { 'fake.plan': 'pro' }],
    ]);
    await provider.shutdown();
  });
});
