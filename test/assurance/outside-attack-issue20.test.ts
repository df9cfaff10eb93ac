import { context, trace } from '@opentelemetry/api';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { JsonLogsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  PrivacyLogRecordProcessor,
  PrivacyMetricExporter,
  PrivacySpanProcessor,
  definePolicy,
  loadPolicy,
  withConsentSubject,
} from '../../index';
import { cliBinary, runCli } from '../cli/cli-harness';

// An outside attacker's view of issue 20's minimization controls: a policy as the docs write it, real SDK 3.x
// providers, in-memory exporters, and the exported OTLP/JSON request read whole. Each case here was exported before
// its fix:
// - a date-time in text whose fraction of a second has more than 9 digits (`10:15:42.123456789123Z`, as a
//   nanosecond clock printed with extra precision or a double's digits write it) had its seconds rounded but its
//   whole fraction kept: the sub-second time went out as written;
// - a date-time in a text that also holds something the detectors read in a decoded view (a base64 token, a long
//   digit run: `at 2026-01-05T10:15:42.123Z token=ZmFrZS11c2Vy…`) was not rounded at all: scanning the view
//   overwrote the flag that says the text holds a time;
// - a date-time whose fraction holds a detector finding (`10:15:01,66589030788965`, Luhn-valid) had the finding
//   masked and the date-time left as written around it: its seconds went out.
const policy = definePolicy({
  version: 1,
  attributes: { allow: ['app.*'] },
  logs: { attributes: { allow: ['log.body', 'app.*'] } },
  values: { timestamps: 'coarsen', timestampPrecision: '1m' },
});
const spans = new InMemorySpanExporter();
const logs = new InMemoryLogRecordExporter();
const tracerProvider = new TracerProvider({
  spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: spans }) })],
});
const loggerProvider = new LoggerProvider({
  processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: logs }) })],
});
afterAll(async () => {
  await tracerProvider.shutdown();
  await loggerProvider.shutdown();
});

/** The exported requests (spans and logs) as OTLP/JSON text. */
function exported(): string {
  const text =
    Buffer.from(JsonTraceSerializer.serializeRequest(spans.getFinishedSpans())!).toString() +
    Buffer.from(JsonLogsSerializer.serializeRequest(logs.getFinishedLogRecords())!).toString();
  spans.reset();
  logs.reset();
  return text;
}

describe('outside attack on issue 20: timestamp coarsening', () => {
  it('a date-time with a fraction longer than 9 digits keeps nothing below the precision', () => {
    const forms = fc.constantFrom(
      (s: string, f: string) => `2026-01-05T10:15:${s}.${f}Z`,
      (s: string, f: string) => `2026-01-05 10:15:${s},${f} UTC`,
      (s: string, f: string) => `20260105T1015${s}.${f}Z`,
      (s: string, f: string) => `Mon, 05 Jan 2026 10:15:${s}.${f} GMT`,
      (s: string, f: string) => `2026/01/05 10:15:${s}.${f}`,
    );
    fc.assert(
      fc.property(
        forms,
        fc.integer({ min: 1, max: 59 }),
        fc.stringMatching(/^[1-9]\d{9,20}$/),
        fc.constantFrom('', 'at ', '"t":"'),
        (form, second, fraction, before) => {
          const written = form(String(second).padStart(2, '0'), fraction);
          const value = `${before}${written}`;
          tracerProvider
            .getTracer('attack')
            .startSpan('work', { attributes: { 'app.when': value } })
            .end();
          loggerProvider.getLogger('attack').emit({ body: `order placed ${value}`, attributes: { 'app.note': value } });
          // ids and the SDK's own times are random digits that can hold any 6-digit run: compare the written values only
          const out = exported().replace(
            /"(traceId|spanId|parentSpanId|startTimeUnixNano|endTimeUnixNano|timeUnixNano|observedTimeUnixNano)":"[0-9a-fA-F]*"/g,
            '"$1":""',
          );
          // neither the seconds nor any run of the fraction's digits written after the minute survives
          expect(out).not.toContain(fraction.slice(0, 6));
          expect(out).not.toContain(`10:15:${String(second).padStart(2, '0')}`);
          expect(out).not.toContain(`1015${String(second).padStart(2, '0')}`);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a date-time whose fraction holds a detector finding is masked whole, not only the finding', () => {
    // 66589030788965 is Luhn-valid: the card detector finds it inside the fraction
    const value = '2026-01-05 10:15:01,66589030788965 UTC';
    tracerProvider
      .getTracer('attack')
      .startSpan('work', { attributes: { 'app.when': value } })
      .end();
    loggerProvider.getLogger('attack').emit({ body: `paid ${value}`, attributes: { 'app.note': value } });
    const out = exported();
    expect(out).not.toContain('10:15:01');
    expect(out).toContain('[REDACTED:payment-card]');
  });

  it('a date-time beside a token or a digit run the detectors decode is rounded too', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 59 }),
        fc.integer({ min: 1, max: 999 }),
        fc.constantFrom(
          'token=ZmFrZS11c2VyLTEzZmFrZQ==',
          'ref 2060604070200',
          'session ZmFrZS1zZXNzaW9uLWlkLTAwMDAx',
          'cookie=eyJ1c2VyIjoiZmFrZS11c2VyLTEzIn0',
        ),
        fc.boolean(),
        (second, millis, beside, after) => {
          const time = `2026-01-05T10:15:${String(second).padStart(2, '0')}.${String(millis).padStart(3, '0')}Z`;
          const value = after ? `at ${time} ${beside}` : `${beside} at ${time}`;
          tracerProvider
            .getTracer('attack')
            .startSpan('work', { attributes: { 'app.when': value } })
            .end();
          loggerProvider.getLogger('attack').emit({ body: value, attributes: { 'app.note': value } });
          const out = exported();
          expect(out).not.toContain(time);
          expect(out).toContain('2026-01-05T10:15:00.000Z');
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a percent-encoded date-time (a query parameter, a form field, a URL path) is rounded like a plain one', () => {
    const encodings = fc.constantFrom(
      (t: string) => encodeURIComponent(t),
      (t: string) => t.replace(/:/g, '%3a'),
      (t: string) => encodeURIComponent(t).replace(/%20/g, '+'),
    );
    const forms = fc.constantFrom(
      (s: string, f: string) => `2026-01-05T10:15:${s}.${f}Z`,
      (s: string, f: string) => `2026-01-05 10:15:${s},${f}`,
      (s: string, f: string) => `2026-01-05T10:15:${s}.${f}+01:00`,
    );
    const contexts = fc.constantFrom(
      (v: string) => `GET /reports?from=${v}&page=2`,
      (v: string) => `ts=${v}`,
      (v: string) => `export /exports/${v}/data.csv done`,
      (v: string) => v,
    );
    fc.assert(
      fc.property(
        forms,
        encodings,
        contexts,
        fc.integer({ min: 1, max: 59 }),
        fc.integer({ min: 1, max: 999 }),
        (form, encode, context, second, millis) => {
          const s = String(second).padStart(2, '0');
          const written = encode(form(s, String(millis).padStart(3, '0')));
          const value = context(written);
          tracerProvider
            .getTracer('attack')
            .startSpan('work', { attributes: { 'app.when': value } })
            .end();
          loggerProvider.getLogger('attack').emit({ body: value, attributes: { 'app.note': value } });
          const out = exported();
          expect(out, value).not.toContain(written);
          expect(out, value).toContain(encode(form('00', '000')));
        },
      ),
      { numRuns: 150 },
    );
  });
});

// - consent `minimize`: a subject named by its raw id (`user.id: fake-user-13`) had that id masked in the item's
//   text, but not the pseudonym the policy gives it (`k1:…`, the handle backends find and erase the subject by):
//   `app.note: "cache user:k1:…"` was exported as written, on the span, its child spans and log records.
describe('outside attack on issue 20: consent minimize', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attack20-'));
  const env = { ...process.env, ATTACK20_HMAC_KEY: `base64:${Buffer.alloc(32, 0x3c).toString('base64')}` }; // fake
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('masks the subject’s pseudonym in text as well as its raw id', async () => {
    writeFileSync(
      join(dir, 'privacy.yaml'),
      [
        'version: 1',
        'keys:',
        '  hmac: { id: k1, env: ATTACK20_HMAC_KEY }',
        'attributes:',
        '  hash: [user.id]',
        '  allow: [app.*]',
        'logs:',
        '  attributes: { allow: [log.body, app.*] }',
        'consent:',
        '  subject: { attributes: [user.id], context: true }',
        '  optOut: { file: optout.bloom }',
        '  action: minimize',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'opted-out.txt'), 'fake-user-13\n');
    const bin = await cliBinary();
    const run = async (...args: string[]) => {
      const r = await runCli(bin, args, { cwd: dir, env });
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    await run('consent', 'build', '--policy', 'privacy.yaml', '--in', 'opted-out.txt', '--out', 'optout.bloom');
    const pseudonym = (
      JSON.parse(await run('subject', 'fake-user-13', '--policy', 'privacy.yaml', '--json')) as {
        pseudonyms: { pseudonym: string }[];
      }
    ).pseudonyms[0].pseudonym;
    expect(pseudonym).toMatch(/^k1:[\w-]{22}$/);

    const saved = process.env.ATTACK20_HMAC_KEY;
    process.env.ATTACK20_HMAC_KEY = env.ATTACK20_HMAC_KEY;
    const policy = loadPolicy(join(dir, 'privacy.yaml'));
    process.env.ATTACK20_HMAC_KEY = saved;
    const spanOut = new InMemorySpanExporter();
    const logOut = new InMemoryLogRecordExporter();
    const tp = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: spanOut }) })],
    });
    const lp = new LoggerProvider({
      processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: logOut }) })],
    });
    const tracer = tp.getTracer('shop');
    const note = `cache user:${pseudonym}`;
    const root = tracer.startSpan('GET /orders', { attributes: { 'user.id': 'fake-user-13', 'app.note': note } });
    const inRoot = trace.setSpan(context.active(), root);
    tracer.startSpan('SELECT orders', { attributes: { 'app.note': note } }, inRoot).end();
    lp.getLogger('shop').emit({ body: note, attributes: { 'app.note': note }, context: inRoot });
    root.end();
    // named in the context only
    tracer
      .startSpan('job', { attributes: { 'app.note': note } }, withConsentSubject(context.active(), 'fake-user-13'))
      .end();
    const out =
      Buffer.from(JsonTraceSerializer.serializeRequest(spanOut.getFinishedSpans())!).toString() +
      Buffer.from(JsonLogsSerializer.serializeRequest(logOut.getFinishedLogRecords())!).toString();
    expect(spanOut.getFinishedSpans()).toHaveLength(3); // minimize exports them
    expect(logOut.getFinishedLogRecords()).toHaveLength(1);
    expect(out).not.toContain('fake-user-13');
    expect(out).not.toContain(pseudonym.slice(3));
    expect(out).toContain('[REDACTED:subject]');
    await tp.shutdown();
    await lp.shutdown();
  });
});

// - `otel-privacy subject <id> --decrypt`: a span matched when any attribute held the raw identifier (`app.ref:
//   fake-user-13` on another user's span) or when one of its events named the subject, and then every encrypted field
//   of it was decrypted and printed: another subject's e-mail address went to the requester.
describe('outside attack on issue 20: subject --decrypt', () => {
  it('prints no other subject’s decrypted field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attack20-subject-'));
    const keys = {
      ATTACK20_HMAC_KEY: `base64:${Buffer.alloc(32, 0x21).toString('base64')}`, // fake test keys
      ATTACK20_ENC_KEY: `base64:${Buffer.alloc(32, 0x42).toString('base64')}`,
    };
    try {
      writeFileSync(
        join(dir, 'privacy.yaml'),
        [
          'version: 1',
          'keys:',
          '  hmac: { id: k1, env: ATTACK20_HMAC_KEY }',
          '  encryption: { id: e1, env: ATTACK20_ENC_KEY }',
          'attributes:',
          '  hash: [user.id, enduser.id]',
          '  encrypt: [user.email]',
          '  allow: [app.*]',
          '',
        ].join('\n'),
      );
      Object.assign(process.env, keys);
      const policy = loadPolicy(join(dir, 'privacy.yaml'));
      const out = new InMemorySpanExporter();
      const tp = new TracerProvider({
        spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: out }) })],
      });
      const tracer = tp.getTracer('shop');
      const others = ['fake-seven@example.test', 'fake-eight@example.test', 'fake-nine@example.test'];
      tracer
        .startSpan('refers', {
          attributes: { 'user.id': 'fake-user-7', 'user.email': others[0], 'app.ref': 'fake-user-13' },
        })
        .end();
      tracer
        .startSpan('list', {
          attributes: { 'user.id': 'fake-user-8', 'user.email': others[1], 'app.ref': ['fake-user-13'] },
        })
        .end();
      const s = tracer.startSpan('invite', { attributes: { 'user.id': 'fake-user-9', 'user.email': others[2] } });
      s.addEvent('invited', { 'enduser.id': 'fake-user-13' });
      s.end();
      tracer
        .startSpan('mine', { attributes: { 'user.id': 'fake-user-13', 'user.email': 'fake-thirteen@example.test' } })
        .end();
      writeFileSync(
        join(dir, 'export.jsonl'),
        `${Buffer.from(JsonTraceSerializer.serializeRequest(out.getFinishedSpans())!).toString()}\n`,
      );
      await tp.shutdown(); // after the export is read: shutting down clears the in-memory exporter
      const r = await runCli(
        await cliBinary(),
        ['subject', 'fake-user-13', '--policy', 'privacy.yaml', '--decrypt', 'export.jsonl'],
        { cwd: dir, env: keys },
      );
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('fake-thirteen@example.test');
      for (const other of others) expect(r.stdout).not.toContain(other);
    } finally {
      for (const k of Object.keys(keys)) delete process.env[k];
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// - consent without `privacyViews`: `PrivacyMetricExporter` checks every point's text for the identifier values found
//   to be opted-out subjects', but only for their raw ids: a point naming the subject by its pseudonym
//   (`cache user:k1:…`) was exported.
describe('outside attack on issue 20: consent drop, metrics without views', () => {
  it('drops a point that names an opted-out subject by its pseudonym in text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attack20-metrics-'));
    const key = `base64:${Buffer.alloc(32, 0x17).toString('base64')}`; // fake test key
    process.env.ATTACK20_METRIC_HMAC_KEY = key;
    try {
      writeFileSync(
        join(dir, 'privacy.yaml'),
        [
          'version: 1',
          'keys:',
          '  hmac: { id: k1, env: ATTACK20_METRIC_HMAC_KEY }',
          'attributes:',
          '  hash: [user.id]',
          '  allow: [app.*]',
          'metrics:',
          '  attributes: { allow: [app.*] }',
          'consent:',
          '  subject: { attributes: [user.id] }',
          '  optOut: { file: optout.bloom }',
          '  action: drop',
          '',
        ].join('\n'),
      );
      writeFileSync(join(dir, 'opted-out.txt'), 'fake-user-13\n');
      const bin = await cliBinary();
      const env = { ATTACK20_METRIC_HMAC_KEY: key };
      const built = await runCli(
        bin,
        ['consent', 'build', '--policy', 'privacy.yaml', '--in', 'opted-out.txt', '--out', 'optout.bloom'],
        { cwd: dir, env },
      );
      expect(built.code, built.stderr).toBe(0);
      const subject = await runCli(bin, ['subject', 'fake-user-13', '--policy', 'privacy.yaml', '--json'], {
        cwd: dir,
        env,
      });
      const pseudonym = (JSON.parse(subject.stdout) as { pseudonyms: { pseudonym: string }[] }).pseudonyms[0].pseudonym;

      const policy = loadPolicy(join(dir, 'privacy.yaml'));
      const spans = new InMemorySpanExporter();
      const tp = new TracerProvider({
        spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: spans }) })],
      });
      const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
      const reader = new PeriodicExportingMetricReader({
        exporter: new PrivacyMetricExporter({ policy, exporter: metrics }),
        exportIntervalMillis: 3_600_000,
      });
      const mp = new MeterProvider({ readers: [reader] });
      // the request names the subject; a cache counter elsewhere names it by the pseudonym it was stored under
      tp.getTracer('shop')
        .startSpan('GET /orders', { attributes: { 'user.id': 'fake-user-13' } })
        .end();
      const counter = mp.getMeter('shop').createCounter('cache.hits');
      counter.add(1, { 'app.cache_key': `user:${pseudonym}` });
      counter.add(1, { 'app.cache_key': 'user:everyone' });
      await reader.forceFlush();
      const text = JSON.stringify(metrics.getMetrics());
      expect(spans.getFinishedSpans()).toHaveLength(0);
      expect(text).toContain('user:everyone');
      expect(text).not.toContain(pseudonym.slice(3));
      await tp.shutdown();
      await mp.shutdown();
    } finally {
      delete process.env.ATTACK20_METRIC_HMAC_KEY;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
