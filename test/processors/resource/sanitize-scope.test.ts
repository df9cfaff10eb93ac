import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemoryMetricExporter, AggregationTemporality, MeterProvider } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { definePolicy } from '../../../policy/load-policy';
import type { Policy } from '../../../policy/policy';
import type { PolicyDocument } from '../../../policy/schema';
import { PrivacyLogRecordProcessor } from '../../../processors/logs/privacy-log-record-processor';
import { PrivacyMetricReader } from '../../../processors/metrics/privacy-metric-reader';
import { PrivacySpanProcessor } from '../../../processors/traces/privacy-span-processor';
import { sanitizeScope } from '../../../processors/resource/sanitize-scope';

const EMAIL = 'fake.person@example.com';

function policyWith(action: 'mask' | 'drop', extra: Partial<PolicyDocument> = {}): Policy {
  return definePolicy({
    version: 1,
    attributes: { allow: ['otel.scope.*', 'http.route'] },
    resource: { allow: ['service.name'] },
    values: { detectors: 'all', action, mask: '[REDACTED:{type}]' },
    ...extra,
  });
}

describe('instrumentation scope, schema URLs and log metadata (SDK path)', () => {
  it('spans: scope name, version and schema URL scanned into one cached copy; the tracer’s scope is never mutated', async () => {
    const exporter = new InMemorySpanExporter();
    const policy = policyWith('mask');
    // Registered first, so it sees the SDK's own scope object at span start.
    const rawScopes: object[] = [];
    const observer = {
      onStart: (span: { instrumentationScope: object }) => rawScopes.push(span.instrumentationScope),
      onEnd: () => undefined,
      forceFlush: async () => undefined,
      shutdown: async () => undefined,
    };
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'shop' }, { schemaUrl: `https://schema.example/${EMAIL}` }),
      spanProcessors: [observer, new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
    });
    const tracer = provider.getTracer(`lib ${EMAIL}`, `1.0 ${EMAIL}`, { schemaUrl: `https://s.example/ ${EMAIL}` });
    tracer.startSpan('a').end();
    tracer.startSpan('b').end();
    await provider.forceFlush();
    const [a, b] = exporter.getFinishedSpans();
    expect(a.instrumentationScope).toEqual({
      name: 'lib [REDACTED:email]',
      version: '1.0 [REDACTED:email]',
      schemaUrl: 'https://s.example/ [REDACTED:email]',
    });
    // one copy per scope object: exporters group spans by scope identity
    expect(b.instrumentationScope).toBe(a.instrumentationScope);
    expect(a.resource.schemaUrl).toBe('https://schema.example/[REDACTED:email]');
    // the tracer's own scope object still has the raw values (shared, not ours to change)
    expect(rawScopes[0]).toBe(rawScopes[1]);
    expect(rawScopes[0]).toEqual({
      name: `lib ${EMAIL}`,
      version: `1.0 ${EMAIL}`,
      schemaUrl: `https://s.example/ ${EMAIL}`,
    });
    expect(a.instrumentationScope).not.toBe(rawScopes[0]);
    const findings = policy.counters.findings.email;
    // after a hot reload the raw scope is sanitized again under the new rules (here: findings dropped)
    policy.replaceWith(policyWith('drop'));
    tracer.startSpan('c').end();
    await provider.forceFlush();
    const c = exporter.getFinishedSpans()[2];
    expect(c.instrumentationScope).toEqual({ name: '' });
    expect(policy.counters.findings.email).toBeGreaterThan(findings);
    await provider.shutdown();
  });

  it('logs: eventName and severityText scanned (masked, or removed when values.action drops); scope attributes through the logs rules', async () => {
    for (const action of ['mask', 'drop'] as const) {
      const exporter = new InMemoryLogRecordExporter();
      const policy = policyWith(action);
      const provider = new LoggerProvider({
        processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter }) })],
      });
      const options = { attributes: { 'otel.scope.owner': EMAIL, 'scope.secret': 'x' } };
      const logger = provider.getLogger('auth', '1', options as Parameters<LoggerProvider['getLogger']>[2]);
      logger.emit({ body: 'hello', eventName: `signup ${EMAIL}`, severityText: `INFO ${EMAIL}` });
      logger.emit({ body: 'again', eventName: 'checkout', severityText: 'WARN' });
      const [first, second] = exporter.getFinishedLogRecords();
      const scope = first.instrumentationScope as { attributes?: Record<string, unknown> };
      if (action === 'mask') {
        expect(first.eventName).toBe('signup [REDACTED:email]');
        expect(first.severityText).toBe('INFO [REDACTED:email]');
        expect(scope.attributes).toEqual({ 'otel.scope.owner': '[REDACTED:email]' });
      } else {
        expect(first.eventName).toBeUndefined();
        expect(first.severityText).toBeUndefined();
        expect(scope.attributes).toEqual({});
      }
      expect(second.eventName).toBe('checkout');
      expect(second.severityText).toBe('WARN');
      expect(second.instrumentationScope).toBe(first.instrumentationScope);
      await provider.shutdown();
    }
  });

  it('metrics: name, description and unit scanned; a metric whose name must be dropped is dropped and counted at every export', async () => {
    for (const action of ['mask', 'drop'] as const) {
      const inner = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
      const policy = policyWith(action);
      const reader = new PrivacyMetricReader({ policy, exporter: inner, exportIntervalMillis: 60_000 });
      const provider = new MeterProvider({ readers: [reader] });
      const meter = provider.getMeter(`meter ${EMAIL}`, undefined, { schemaUrl: `https://m.example/ ${EMAIL}` });
      meter
        .createCounter(`orders ${EMAIL}`, { description: `count ${EMAIL}`, unit: `{${EMAIL}}` })
        .add(1, { 'http.route': '/cart' });
      meter.createCounter('orders.clean', { description: 'clean', unit: '1' }).add(2);
      await reader.forceFlush();
      await reader.forceFlush();
      const exports = inner.getMetrics();
      const last = exports.at(-1)!;
      const scope = last.scopeMetrics[0].scope;
      const names = last.scopeMetrics[0].metrics.map((m) => m.descriptor.name);
      if (action === 'mask') {
        expect(scope.name).toBe('meter [REDACTED:email]');
        expect(scope.schemaUrl).toBe('https://m.example/ [REDACTED:email]');
        const dirty = last.scopeMetrics[0].metrics.find((m) => m.descriptor.name !== 'orders.clean')!;
        expect(dirty.descriptor).toMatchObject({
          name: 'orders [REDACTED:email]',
          description: 'count [REDACTED:email]',
          unit: '{[REDACTED:email]}',
        });
        expect(reader.privacyExporter.stats.droppedForName).toBe(0);
      } else {
        expect(names).toEqual(['orders.clean']);
        expect(reader.privacyExporter.stats.droppedForName).toBe(exports.length);
      }
      // the clean metric's descriptor is passed through untouched
      const clean = last.scopeMetrics[0].metrics.find((m) => m.descriptor.name === 'orders.clean')!;
      expect(clean.descriptor).toMatchObject({ name: 'orders.clean', description: 'clean', unit: '1' });
      expect(policy.counters.findings.email).toBeGreaterThan(0);
      await provider.shutdown();
    }
  });
});

describe('a scope sanitized under one policy and handed in again (a reload, another signal)', () => {
  /** A logger's scope as the SDK builds it: name, version, schema URL, attributes. */
  const rawScope = () => ({
    name: 'checkout',
    version: '1.0.0',
    schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
    attributes: { 'app.owner': 'team-a', 'app.note': `mail ${EMAIL}` },
  });
  const keeping = () =>
    definePolicy({ version: 1, attributes: { allow: ['app.*'] }, values: { detectors: 'all', action: 'mask' } });
  const dropping = () => definePolicy({ version: 1, attributes: { allow: ['app.owner'] } });

  it('is sanitized again from its raw origin under the new rules, not returned as it was', () => {
    const raw = rawScope();
    const first = sanitizeScope(keeping(), 'logs', raw);
    expect((first as { attributes?: Record<string, unknown> }).attributes).toHaveProperty('app.note');
    const again = sanitizeScope(dropping(), 'logs', first);
    expect(again).not.toBe(first);
    expect((again as { attributes?: Record<string, unknown> }).attributes).toEqual({ 'app.owner': 'team-a' });
    // Under the same policy and signal, the form itself is the answer (no work, the same object).
    const policy = keeping();
    const form = sanitizeScope(policy, 'logs', raw);
    expect(sanitizeScope(policy, 'logs', form)).toBe(form);
  });

  it('a form made for one signal is made again for another signal from the raw scope', () => {
    const policy = definePolicy({
      version: 1,
      attributes: { allow: ['app.*'] },
      logs: { attributes: { drop: ['app.note'] } },
    });
    const raw = rawScope();
    const forTraces = sanitizeScope(policy, 'traces', raw);
    const forLogs = sanitizeScope(policy, 'logs', forTraces);
    expect(forLogs).not.toBe(forTraces);
    expect((forLogs as { attributes?: Record<string, unknown> }).attributes).toEqual({ 'app.owner': 'team-a' });
  });
});
