import fc from 'fast-check';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { JsonLogsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, defaultPolicy } from '../../index';

// A password or secret written after its label inside kept text (`login failed password=…` in a log body,
// `Password=…;` in a connection string quoted by an exception type, `"client_secret":"…"` in a span name) left the
// process under the default policy: the attribute rules drop a key named `password`, but nothing looked at the same
// label inside a value (found by an outside-style attack). Generated: label spellings, separators, quotes, wrappers.

beforeAll(() => {
  process.env.OTEL_PRIVACY_HMAC_KEY = 'fake-hmac-key-for-labeled-secret-tests-0123456789';
});
afterAll(() => {
  delete process.env.OTEL_PRIVACY_HMAC_KEY;
});

const word = fc.constantFrom('password', 'passwd', 'pwd', 'passphrase', 'secret', 'client_secret', 'api_key');
/** The label in the naming styles keys are written in: `db_password`, `DB-PASSWORD`, `dbPassword`, `db.password`. */
const label = fc
  .tuple(
    fc.constantFrom('', 'db', 'app', 'spring.datasource', 'x', 'admin'),
    word,
    fc.constantFrom('_', '-', '.', 'camel'),
  )
  .chain(([prefix, w, style]) =>
    fc.constantFrom(w, w.toUpperCase()).map((l) => {
      if (prefix === '') return l;
      if (style === 'camel') return prefix.replace(/\./g, '') + l.charAt(0).toUpperCase() + l.slice(1);
      return `${prefix}${style}${l}`;
    }),
  );
const separator = fc.constantFrom('=', ': ', ':', ' = ', '=>', ' => ', ':=', '\t=\t');
/** A fake secret: letters, digits and a few symbols, with a digit (so it reads as a credential after any label). */
const secret = fc
  .tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9!#%+_.~-]{6,24}$/), fc.integer({ min: 0, max: 999 }))
  .map(([s, n]) => `${s}${n}`);
const assignment = fc
  .tuple(label, separator, secret, fc.constantFrom('none', 'double', 'single', 'json', 'escaped-json'))
  .map(([l, sep, s, quoting]) => {
    switch (quoting) {
      case 'double':
        return { text: `${l}${sep}"${s}"`, secret: s };
      case 'single':
        return { text: `${l}${sep}'${s}'`, secret: s };
      case 'json':
        return { text: `{"${l}":"${s}","ok":true}`, secret: s };
      case 'escaped-json':
        return { text: `{\\"${l}\\":\\"${s}\\"}`, secret: s };
      default:
        return { text: `${l}${sep}${s}`, secret: s };
    }
  });
const wrapped = fc
  .tuple(
    assignment,
    fc.constantFrom(
      (t: string) => t,
      (t: string) => `login failed for admin ${t} (attempt 2)`,
      (t: string) => `Server=db.example.internal;User Id=app;${t};Encrypt=true`,
      (t: string) => `2026-12-05T19:00:00Z ERROR config loaded: ${t}`,
      (t: string) => `level=warn msg="connect" ${t} retry=3`,
    ),
  )
  .map(([a, wrap]) => ({ text: wrap(a.text), secret: a.secret }));

describe('labeled secrets in kept text never reach the exporter (default policy)', () => {
  it('log bodies, span names, event names and kept attributes', async () => {
    const policy = defaultPolicy();
    const spans = new InMemorySpanExporter();
    const records = new InMemoryLogRecordExporter();
    const tracing = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: spans }) })],
    });
    const logging = new LoggerProvider({
      processors: [
        new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: records }) }),
      ],
    });
    const tracer = tracing.getTracer('labeled-secret-test');
    const logger = logging.getLogger('labeled-secret-test');
    await fc.assert(
      fc.asyncProperty(wrapped, async ({ text, secret: s }) => {
        spans.reset();
        records.reset();
        const span = tracer.startSpan(text, { attributes: { 'exception.type': text, 'db.query.summary': text } });
        span.addEvent(text, { 'error.type': text });
        span.end();
        logger.emit({ body: text, attributes: { 'exception.type': text } });
        logger.emit({ body: { message: text } });
        await tracing.forceFlush();
        await logging.forceFlush();
        const out =
          new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans.getFinishedSpans())) +
          new TextDecoder().decode(JsonLogsSerializer.serializeRequest(records.getFinishedLogRecords()));
        expect(spans.getFinishedSpans()).toHaveLength(1);
        expect(records.getFinishedLogRecords()).toHaveLength(2);
        expect(out, text).not.toContain(s);
      }),
      { numRuns: 150 },
    );
    expect(policy.counters.findings['labeled-secret']).toBeGreaterThan(0);
    await tracing.shutdown();
    await logging.shutdown();
  });

  it('labels that carry no secret and placeholders are left as they are', async () => {
    const policy = defaultPolicy();
    const records = new InMemoryLogRecordExporter();
    const logging = new LoggerProvider({
      processors: [
        new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: records }) }),
      ],
    });
    const kept = [
      'password: required',
      'invalid password: too short',
      'password_policy: strict, max_tokens: 512',
      'token: expired; token_type=bearer',
      'password = ? and password=${DB_PASSWORD} and password=********',
      'Password reset requested',
    ];
    for (const body of kept) logging.getLogger('t').emit({ body });
    await logging.forceFlush();
    expect(records.getFinishedLogRecords().map((r) => r.body)).toEqual(kept);
    await logging.shutdown();
  });
});
