import { SeverityNumber } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, definePolicy, privacySampler } from '../../index';

describe('CompiledPolicy', () => {
  it('holds every setting, frozen, with defaults filled in, under a generation that grows with each compilation', () => {
    const a = definePolicy({
      version: 1,
      values: { detectors: ['email'] },
      sanitizers: { url: { attributes: ['url.full'], sensitiveParams: ['token'] }, spanName: true },
      traces: { sampling: { ratio: 0.5, maxPerSecond: 10 } },
      logs: { minSeverity: 'WARN', body: 'drop' },
      metrics: { kAnonymity: 3, cardinalityLimit: 100, exportIntervalMillis: 5000 },
      scopes: { 'pg*': { attributes: { allow: ['db.name'] } } },
    });
    const b = definePolicy({ version: 1, metrics: { cardinalityLimit: { histogram: 5 } } });
    const c = a.compiled;
    expect(b.generation).toBeGreaterThan(a.generation);
    expect(c.generation).toBe(a.generation);
    expect(c.traces).toEqual({ sampling: { ratio: 0.5, maxPerSecond: 10 }, maxPerSecond: 10, keepErrors: false });
    expect(c.logs).toEqual({ minSeverity: 'WARN', ratio: 1, filters: true, body: 'drop' });
    expect(c.metrics).toEqual({ kAnonymity: 3, cardinalityLimits: { default: 100 }, exportIntervalMillis: 5000 });
    expect(b.compiled.metrics.cardinalityLimits).toEqual({ histogram: 5 });
    expect(b.compiled.logs).toEqual({ minSeverity: undefined, ratio: 1, filters: false, body: 'scan' });
    expect(c.values).toMatchObject({ detectors: ['email'], custom: [], action: 'mask', mask: '[REDACTED:{type}]' });
    expect(b.compiled.values).toBeUndefined();
    expect(c.sanitizers).toEqual({
      url: { attributes: ['url.full'], sensitiveParams: ['token'], paramsMode: 'allowlist', keepParams: [] },
      sql: undefined,
      statementKeys: [],
      sensitiveParams: ['token'],
      spanName: true,
    });
    expect(c.scopePatterns).toEqual(['pg*']);
    for (const part of [c.traces, c.traces.sampling, c.logs, c.metrics, c.values, c.sanitizers, c.scopePatterns])
      expect(Object.isFrozen(part)).toBe(true);
  });

  it('is swapped in one assignment: the generation and every setting move together on replaceWith', () => {
    const policy = definePolicy({ version: 1, logs: { minSeverity: 'INFO' } });
    const next = definePolicy({ version: 1, logs: { minSeverity: 'ERROR' }, metrics: { kAnonymity: 5 } });
    const before = policy.compiled;
    policy.replaceWith(next);
    expect(policy.compiled).toBe(next.compiled);
    expect(policy.generation).toBe(next.generation);
    expect(policy.generation).not.toBe(before.generation);
    expect(policy.compiled.logs.minSeverity).toBe('ERROR');
    expect(policy.compiled.metrics.kAnonymity).toBe(5);
  });
});

describe('settings that follow a hot reload', () => {
  it('privacySampler applies the new traces.sampling from the next span', async () => {
    const policy = definePolicy({ version: 1, traces: { sampling: { ratio: 0 } } });
    const exporter = new InMemorySpanExporter();
    const sampler = privacySampler(policy);
    const provider = new TracerProvider({ sampler, spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    const tracer = provider.getTracer('t');
    for (let i = 0; i < 50; i++) tracer.startSpan('before').end();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    policy.replaceWith(
      definePolicy({ version: 1, traces: { sampling: { ratio: 1, rules: [{ spanName: 'x*', ratio: 0 }] } } }),
    );
    for (let i = 0; i < 50; i++) tracer.startSpan(i % 2 ? 'after' : 'xskipped').end();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(Array(25).fill('after'));
    expect(sampler.toString()).toContain('ratio=1');
    await provider.shutdown();
  });

  it('PrivacySpanProcessor applies a new maxPerSecond from the next span, and drops the limit when it is removed', async () => {
    const policy = definePolicy({ version: 1, traces: { sampling: { maxPerSecond: 1 } } });
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
    });
    const tracer = provider.getTracer('t');
    for (let i = 0; i < 20; i++) tracer.startSpan('a').end();
    const first = exporter.getFinishedSpans().length;
    expect(first).toBeLessThanOrEqual(2);
    policy.replaceWith(definePolicy({ version: 1 }));
    for (let i = 0; i < 20; i++) tracer.startSpan('b').end();
    expect(exporter.getFinishedSpans().filter((s) => s.name === 'b')).toHaveLength(20);
    policy.replaceWith(definePolicy({ version: 1, traces: { sampling: { maxPerSecond: 5 } } }));
    for (let i = 0; i < 100; i++) tracer.startSpan('c').end();
    const c = exporter.getFinishedSpans().filter((s) => s.name === 'c').length;
    expect(c).toBeGreaterThanOrEqual(5);
    expect(c).toBeLessThan(20);
    await provider.shutdown();
  });

  it('PrivacyLogRecordProcessor applies new logs.minSeverity and logs.body from the next record', async () => {
    const policy = definePolicy({ version: 1, logs: { minSeverity: 'ERROR', body: 'drop' } });
    const exporter = new InMemoryLogRecordExporter();
    const processor = new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter }) });
    const provider = new LoggerProvider({ processors: [processor] });
    const logger = provider.getLogger('l');
    logger.emit({ severityNumber: SeverityNumber.INFO, body: 'info 1' });
    logger.emit({ severityNumber: SeverityNumber.ERROR, body: 'error 1' });
    policy.replaceWith(definePolicy({ version: 1, logs: { minSeverity: 'DEBUG' } }));
    logger.emit({ severityNumber: SeverityNumber.INFO, body: 'info 2' });
    expect(exporter.getFinishedLogRecords().map((r) => r.body)).toEqual([undefined, 'info 2']);
    await provider.shutdown();
  });
});
