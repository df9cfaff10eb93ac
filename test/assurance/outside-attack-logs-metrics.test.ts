import { inspect } from 'node:util';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { JsonMetricsSerializer } from '@opentelemetry/otlp-transformer';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacyMetricReader, defaultPolicy, privacyViews } from '../../index';
import type { Policy } from '../../index';

// An outside attacker's view of metrics: the default policy, a real SDK 3.x MeterProvider with `privacyViews` and a
// `PrivacyMetricReader`, and the exported OTLP/JSON request read whole. Each case here was exported before its fix:
// - a card or phone number recorded with a fractional part (`gauge.record(4111111111111111.5)`, a histogram's sum or
//   maximum) was exported with all its digits: only integers were read as identifiers;
// - the sanitized resource handed to exporters carried its raw origin under an enumerable symbol, so an exporter or
//   debug line printing the resource (`util.inspect`, `console.log`, `{ ...resource }`) showed the raw
//   `service.name` / `host.name` (an e-mail address here).
const CARDS = [4111111111111111, 378282246310005, 3530111333300000, 4012888888881881];
const PHONE = 12025550143;

let policy: Policy;
const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
beforeAll(() => {
  process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x5b).toString('base64')}`; // fake test key
  policy = defaultPolicy();
});
afterAll(() => {
  if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
});

/** Records through `record` on a fresh provider and returns the exported OTLP/JSON text and the reader. */
async function exportedOnce(record: (provider: MeterProvider) => void): Promise<{ text: string; dropped: number }> {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PrivacyMetricReader({ policy, exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ views: privacyViews(policy), readers: [reader] });
  try {
    record(provider);
    await reader.forceFlush();
    const text = exporter
      .getMetrics()
      .map((rm) => Buffer.from(JsonMetricsSerializer.serializeRequest(rm)!).toString())
      .join('\n');
    return { text, dropped: reader.privacyExporter.stats.identifierValues };
  } finally {
    await provider.shutdown();
  }
}

describe('outside attack: metric numbers with a fractional part', () => {
  it('a card number with a fraction is not exported, whatever the instrument, unit or point field', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...CARDS),
        fc.constantFrom(0.25, 0.5, 0.75),
        fc.constantFrom(1, -1),
        fc.constantFrom('gauge', 'histogram', 'up-down'),
        fc.constantFrom('', 'ms', 's', '{item}'),
        async (card, fraction, sign, kind, unit) => {
          fc.pre(!Number.isInteger(card + fraction)); // above 2^52 a double has no fraction left to hide behind
          const value = sign * (card + fraction);
          const { text, dropped } = await exportedOnce((provider) => {
            const meter = provider.getMeter('checkout');
            if (kind === 'gauge') meter.createGauge('checkout.last_value', { unit }).record(value);
            else if (kind === 'histogram') meter.createHistogram('checkout.amount', { unit }).record(Math.abs(value));
            else meter.createUpDownCounter('checkout.balance', { unit }).add(value);
          });
          expect(text).not.toContain(String(card));
          expect(dropped).toBeGreaterThan(0);
        },
      ),
      { numRuns: 60, seed: 20261206 },
    );
  });

  it('a phone number with a fraction under a phone instrument is not exported', async () => {
    const { text, dropped } = await exportedOnce((provider) =>
      provider
        .getMeter('sms')
        .createGauge('sms.last_phone')
        .record(PHONE + 0.5),
    );
    expect(text).not.toContain(String(PHONE));
    expect(dropped).toBe(1);
  });

  it('ordinary fractional values of 13 digits are kept (epoch milliseconds, large amounts that are no cards)', async () => {
    const origin = 1_733_450_000_123.456; // performance.timeOrigin-like
    const { text, dropped } = await exportedOnce((provider) => {
      const meter = provider.getMeter('app');
      meter.createGauge('app.start_time', { unit: 'ms' }).record(origin);
      meter.createGauge('app.ledger_total').record(4_111_111_111_111_112.5 - 0.5); // Luhn-invalid
      meter.createHistogram('app.amount').record(1_234_567_890_123.75);
    });
    expect(dropped).toBe(0);
    expect(text).toContain('1733450000123.456');
    expect(text).toContain('1234567890123.75');
    expect(text).toContain('app.ledger_total');
  });
});

describe('outside attack: the resource exporters receive', () => {
  const EMAIL = 'jane.fake@example.com';
  const raw = () =>
    resourceFromAttributes({ 'service.name': `checkout ${EMAIL}`, 'host.name': EMAIL, 'service.instance.id': EMAIL });
  /** Everything an exporter's debug output could show of a resource: inspect (default options) and a spread copy. */
  const shown = (resource: object): string =>
    inspect(resource, { depth: 10 }) + inspect({ ...resource }, { depth: 10 }) + JSON.stringify(resource);

  it('a log record exporter sees no raw resource value, even printing the resource', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      resource: raw(),
      processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter }) })],
    });
    provider.getLogger('checkout').emit({ body: 'paid' });
    await provider.forceFlush();
    const records = exporter.getFinishedLogRecords();
    expect(records).toHaveLength(1);
    expect(shown(records[0]!.resource)).not.toContain('jane.fake');
    expect(inspect(records[0], { depth: 10 })).not.toContain('jane.fake');
    await provider.shutdown();
  });

  it('a metric exporter sees no raw resource value, even printing the resource', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PrivacyMetricReader({ policy, exporter, exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({ resource: raw(), views: privacyViews(policy), readers: [reader] });
    provider.getMeter('checkout').createCounter('checkout.orders').add(1);
    await reader.forceFlush();
    const metrics = exporter.getMetrics();
    expect(metrics).toHaveLength(1);
    expect(shown(metrics[0]!.resource)).not.toContain('jane.fake');
    expect(inspect(metrics, { depth: 12 })).not.toContain('jane.fake');
    await provider.shutdown();
  });
});
