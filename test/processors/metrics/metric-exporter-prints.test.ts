import { inspect } from 'node:util';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrivacyMeterProvider, PrivacyMetricExporter, definePolicy } from '../../../index';
import { cardNumbers } from '../../assurance/canaries';

// The metric exporter remembers, per instrument, what it decided (a WeakMap keyed by the SDK's descriptors, which hold
// the instrument's name as the application gave it). Like the other objects of the library that hold raw text, it
// prints a summary only: a debug print shows no instrument name it refused to export.

describe('PrivacyMetricExporter and PrivacyMeterProvider print a summary', () => {
  it('an instrument named for a card number is not in util.inspect (any depth, showHidden) or JSON', async () => {
    await fc.assert(
      fc.asyncProperty(cardNumbers, fc.constantFrom('card_', 'pan.', 'customer/'), async (card, prefix) => {
        const policy = definePolicy({ version: 1, values: { detectors: 'all' }, attributes: { allow: ['app.*'] } });
        const privacy = new PrivacyMetricExporter({
          policy,
          exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
        });
        const reader = new PeriodicExportingMetricReader({ exporter: privacy, exportIntervalMillis: 3_600_000 });
        const sdk = new MeterProvider({ readers: [reader] });
        const meters = new PrivacyMeterProvider(sdk, policy);
        meters.getMeter('m').createCounter(`${prefix}${card}`).add(1);
        await reader.forceFlush();
        const prints = [privacy, meters].flatMap((o) => [
          inspect(o, { depth: Infinity, showHidden: true }),
          inspect(o, { depth: Infinity }),
          JSON.stringify(o),
        ]);
        await sdk.shutdown();
        for (const p of prints) expect(p).not.toContain(String(card));
        expect(prints[0]).toMatch(/^PrivacyMetricExporter /);
      }),
      { numRuns: 15 },
    );
  });
});
