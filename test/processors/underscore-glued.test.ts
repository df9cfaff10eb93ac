import fc from 'fast-check';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, defaultPolicy } from '../../index';

// Values glued to words by `_` (file names, snake_case identifiers, `key_AKIA…`) or after a path segment left the
// process under the default policy: the detectors read `_` as part of a word, so `invoice_GB82WEST….pdf`, `auth_Bearer …`,
// `export_jane.doe@example.com_2026.csv`, `backup_203.0.113.7_db`, `key_AKIAIOSFODNN7EXAMPLE` and
// `NotFound: /users/123-45-6789` were not found (found by an outside-style attack).

beforeAll(() => {
  process.env.OTEL_PRIVACY_HMAC_KEY = 'fake-hmac-key-for-underscore-glued-tests-0123456789';
});
afterAll(() => {
  delete process.env.OTEL_PRIVACY_HMAC_KEY;
});

/** Fake values and the part of each that must not arrive. */
const canary = fc.constantFrom(
  { value: 'jane.doe@example.com', core: 'jane.doe@example.com' },
  { value: 'GB82WEST12345698765432', core: 'GB82WEST12345698765432' },
  { value: 'DE89 3704 0044 0532 0130 00', core: '3704 0044 0532' },
  { value: 'AKIAIOSFODNN7EXAMPLE', core: 'AKIAIOSFODNN7EXAMPLE' },
  { value: '203.0.113.7', core: '203.0.113.7' },
  { value: '123-45-6789', core: '123-45-6789' },
  { value: 'Bearer 2YotnFZFEjr1zCsicMWpAA', core: '2YotnFZFEjr1zCsicMWpAA' },
);
const word = fc.stringMatching(/^[a-z]{2,10}$/);
const glued = fc
  .tuple(canary, word, word, fc.constantFrom('prefix', 'suffix', 'both', 'path', 'file'))
  .map(([c, a, b, shape]) => {
    switch (shape) {
      case 'prefix':
        return { text: `${a}_${c.value}`, core: c.core };
      case 'suffix':
        return { text: `${c.value}_${b}`, core: c.core };
      case 'both':
        return { text: `${a}_${c.value}_${b}`, core: c.core };
      case 'path':
        return { text: `NotFound: /${a}/${c.value}`, core: c.core };
      default:
        return { text: `wrote ${a}_${c.value}_2026.csv`, core: c.core };
    }
  });

describe('values glued to words by `_` or after a path segment are found (default policy)', () => {
  it('kept attributes and log bodies', async () => {
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
    await fc.assert(
      fc.asyncProperty(glued, async ({ text, core }) => {
        spans.reset();
        records.reset();
        tracing
          .getTracer('t')
          .startSpan('s', { attributes: { 'exception.type': text, 'error.type': text } })
          .end();
        logging.getLogger('t').emit({ body: text });
        await tracing.forceFlush();
        await logging.forceFlush();
        const attributes = spans.getFinishedSpans()[0]!.attributes;
        const out = [attributes['exception.type'], attributes['error.type'], records.getFinishedLogRecords()[0]!.body];
        for (const v of out) expect(String(v), text).not.toContain(core);
      }),
      { numRuns: 200 },
    );
    await tracing.shutdown();
    await logging.shutdown();
  });

  it('digits glued by `_` or `/` are still no SSN, and dashed versions stay', () => {
    const policy = defaultPolicy();
    for (const text of [
      'build 1_123-45-6789',
      'release 2024/123-45-6789',
      'node_18_20_4_1',
      'GB82_WEST_1234_5698_7654_32_x',
    ])
      expect(policy.scanText(text)).toBe(text);
  });
});
