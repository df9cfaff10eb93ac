import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { JsonLogsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, definePolicy } from '../../index';

// An outside attacker's view of issue 20's minimization controls: a policy as the docs write it, real SDK 3.x
// providers, in-memory exporters, and the exported OTLP/JSON request read whole. Each case here was exported before
// its fix:
// - a date-time in text whose fraction of a second has more than 9 digits (`10:15:42.123456789123Z`, as a
//   nanosecond clock printed with extra precision or a double's digits write it) had its seconds rounded but its
//   whole fraction kept: the sub-second time went out as written;
// - a date-time in a text that also holds something the detectors read in a decoded view (a base64 token, a long
//   digit run: `at 2026-01-05T10:15:42.123Z token=ZmFrZS11c2Vy…`) was not rounded at all: scanning the view
//   overwrote the flag that says the text holds a time.
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
          const out = exported();
          // neither the seconds nor any run of the fraction's digits written after the minute survives
          expect(out).not.toContain(fraction.slice(0, 6));
          expect(out).not.toContain(`10:15:${String(second).padStart(2, '0')}`);
          expect(out).not.toContain(`1015${String(second).padStart(2, '0')}`);
        },
      ),
      { numRuns: 150 },
    );
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
});
