import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, definePolicy, registerPrivacySelfMetrics } from '../../index';
import { canaryOfKind, leakedNeedles } from '../assurance/canaries';

// The self-metrics leave the process like any telemetry. Their `rule` label is policy text (`allow "app.note"`); a
// key the policy names literally can itself hold a personal value (written by mistake, or a key an instrumentation
// builds from data). Such a label is masked like every diagnostic; the rule's counts stay.

beforeAll(() => {
  process.env.SELF_METRIC_LABELS_HMAC = `base64:${randomBytes(32).toString('base64')}`;
});
afterAll(() => {
  delete process.env.SELF_METRIC_LABELS_HMAC;
});

describe('otel_privacy.rule.values labels', () => {
  it('never carry a value-scanner finding of a literal policy key', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom('allow', 'hash', 'drop'), async (n, action) => {
        const canary = canaryOfKind(n);
        const key = `customer.${canary.text}`;
        const policy = definePolicy({
          version: 1,
          keys: { hmac: { id: 'k1', env: 'SELF_METRIC_LABELS_HMAC' } },
          attributes: { allow: ['app.*'], [action]: [key] },
        });
        const tracer = new TracerProvider({
          spanProcessors: [
            new PrivacySpanProcessor({
              policy,
              next: new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() }),
            }),
          ],
        }).getTracer('t');
        tracer.startSpan('work', { attributes: { [key]: 'v', 'app.x': 1 } }).end();
        const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
        const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
        const provider = new MeterProvider({ readers: [reader] });
        registerPrivacySelfMetrics({ policy, meterProvider: provider });
        await reader.forceFlush();
        const rules = exporter
          .getMetrics()
          .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics))
          .filter((m) => m.descriptor.name === 'otel_privacy.rule.values')
          .flatMap((m) => m.dataPoints.map((p) => ({ rule: String(p.attributes.rule), value: p.value })));
        await provider.shutdown();
        expect(rules.some((r) => r.rule.startsWith(`${action} "`))).toBe(true);
        expect(leakedNeedles(JSON.stringify(rules), [canary])).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });
});
