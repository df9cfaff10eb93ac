import { join } from 'node:path';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import type { DataPoint } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import {
  PrivacyLogRecordProcessor,
  PrivacyMetricExporter,
  PrivacySpanProcessor,
  definePolicy,
  loadPolicy,
  privacyViews,
} from '../../index';
import type { Policy } from '../../index';
import { cliBinary, runCli } from '../cli/cli-harness';

// when blocks selected per item by a user-group attribute, on real providers, and `otel-privacy explain --group`.
const file = join(__dirname, 'testdata', 'user-groups.yaml');
const base = { 'http.route': '/a', 'app.plan': 'fake-gold', 'app.debug': 'verbose', 'app.trace_note': 'n1' };
const as = (group?: string) => (group === undefined ? base : { ...base, 'app.user_group': group });

async function exportAll(policy: Policy, groups: (string | undefined)[]) {
  const spans = new InMemorySpanExporter();
  const tracing = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: spans }) })],
  });
  const logs = new InMemoryLogRecordExporter();
  const logging = new LoggerProvider({
    processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: logs }) })],
  });
  const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: new PrivacyMetricExporter({ policy, exporter: metrics }),
    exportIntervalMillis: 3_600_000,
  });
  const metering = new MeterProvider({ views: privacyViews(policy), readers: [reader] });
  const counter = metering.getMeter('g').createCounter('fake.requests');
  const tracer = tracing.getTracer('g');
  const logger = logging.getLogger('g');
  for (const g of groups) {
    tracer.startSpan('work', { attributes: as(g) }).end();
    // the group set after start: the span keeps the rules its initial attributes selected
    const late = tracer.startSpan('late', { attributes: base });
    if (g !== undefined) late.setAttribute('app.user_group', g);
    late.end();
    logger.emit({ body: 'fake', attributes: as(g), timestamp: new Date('2026-12-05T10:11:12.345Z') });
    counter.add(1, as(g));
  }
  await metering.forceFlush();
  const out = {
    spans: spans
      .getFinishedSpans()
      .filter((s) => s.name === 'work')
      .map((s) => s.attributes),
    late: spans
      .getFinishedSpans()
      .filter((s) => s.name === 'late')
      .map((s) => s.attributes),
    logs: logs.getFinishedLogRecords().map((r) => ({ attributes: r.attributes, ms: r.hrTime[1] / 1e6 })),
    points: metrics
      .getMetrics()
      .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.flatMap((m) => m.dataPoints as DataPoint<number>[])))
      .map((p) => p.attributes),
  };
  await Promise.all([tracing.shutdown(), logging.shutdown(), metering.shutdown()]);
  return out;
}

const noDebug = { 'http.route': '/a', 'app.plan': 'fake-gold' };
const all = { 'http.route': '/a', 'app.plan': 'fake-gold', 'app.debug': 'verbose' };

describe('when blocks per user group (userGroups.attribute), real span, log and metric providers', () => {
  it('each item gets its group’s rules; no group: the base rules; an unknown group: the strictest (counted)', async () => {
    const policy = loadPolicy(file, { env: '' });
    const out = await exportAll(policy, [undefined, 'beta', 'internal', 'staff', 'other']);
    const expected = [
      all,
      { ...noDebug, 'app.user_group': 'beta' },
      { ...all, 'app.trace_note': 'n1', 'app.user_group': 'internal' },
      { ...all, 'app.trace_note': 'n1', 'app.user_group': 'staff' },
      { ...noDebug, 'app.user_group': 'other' },
    ];
    expect(out.spans).toEqual(expected);
    expect(out.logs.map((l) => l.attributes)).toEqual(expected);
    expect(out.points).toEqual(expected);
    // logs.timestampPrecision only for beta
    expect(out.logs.map((l) => Math.round(l.ms))).toEqual([345, 0, 345, 345, 0]);
    // a span whose (stricter) group arrives after start gets that group's rules at its end
    expect(out.late[1]).toEqual({ ...noDebug, 'app.user_group': 'beta' });
    // 'other' once per signal, plus the late span that set it
    expect(policy.counters.userGroupUnknown).toEqual({ traces: 2, logs: 1, metrics: 1 });
  });

  it('with an environment: env blocks, group blocks, and blocks naming both', async () => {
    const policy = loadPolicy(file, { env: 'production' });
    const out = await exportAll(policy, [undefined, 'beta']);
    expect(out.spans).toEqual([all, { 'http.route': '/a', 'app.user_group': 'beta' }]);
  });

  it('compiled once: one compiled policy per group, sharing the generation; the hash covers the group blocks', () => {
    const policy = loadPolicy(file, { env: '' });
    const beta = policy.compiled.forGroup('beta');
    expect(beta).not.toBe(policy.compiled);
    if (beta === undefined) throw new Error('no beta policy');
    expect(policy.compiled.forItem({ 'app.user_group': 'beta' })).toBe(beta);
    expect(policy.compiled.forItem({ 'app.user_group': 'beta' })).toBe(beta);
    expect(policy.compiled.forGroup('staff')).toBe(policy.compiled.forItem({ 'app.user_group': 'staff' }));
    expect(beta.generation).toBe(policy.compiled.generation);
    const doc = (drop: string) =>
      definePolicy({
        version: 1,
        userGroups: { attribute: 'g', order: ['beta', 'base'] },
        attributes: { allow: ['a', 'b'] },
        when: [{ userGroup: 'beta', attributes: { drop: [drop] } }],
      }).hash;
    expect(doc('a')).not.toBe(doc('b'));
  });

  it('refuses blocks that would apply nowhere or set per-process settings, and groups without userGroups', () => {
    expect(() => definePolicy({ version: 1, when: [{ attributes: { allow: ['a'] } }] } as never)).toThrow(
      /when\[0\].*expected env, userGroup, or both/,
    );
    expect(() => definePolicy({ version: 1, when: [{ userGroup: 'beta' }] })).toThrow(/userGroups\.attribute/);
    expect(() =>
      definePolicy({
        version: 1,
        userGroups: { attribute: 'g', order: ['beta', 'base'] },
        when: [{ userGroup: 'beta', traces: { sampling: { ratio: 0.1 } }, logs: { minSeverity: 'WARN' } }],
      }),
    ).toThrow(/^when\[0\]\.traces\.sampling: cannot be set per user group .*\(and 1 more\)$/);
    expect(() => definePolicy({ version: 1, when: [{ userGroup: 'a b' }] } as never)).toThrow(/when\[0\]\.userGroup/);
  });
});

describe('otel-privacy explain --group', () => {
  it('shows the effective rules and decisions for a user group (with an environment)', async () => {
    const bin = await cliBinary();
    const rules = await runCli(bin, ['explain', '--policy', file, '--env', 'production', '--group', 'beta']);
    expect(rules.stderr).toBe('');
    expect(rules.stdout).toContain('# effective policy in environment production, user group beta');
    expect(rules.stdout).toContain('when[0], when[2]');
    expect(rules.stdout).toMatch(/drop:\n\s+- app\.debug\n\s+- app\.plan/);
    const key = await runCli(bin, ['explain', '--policy', file, '--group', 'beta', 'app.debug']);
    expect(key.stdout).toContain('decision: drop');
    expect(key.stdout).toContain('user group: beta (when blocks applied: when[0])');
    const none = await runCli(bin, ['explain', '--policy', file, 'app.debug']);
    expect(none.stdout).toContain('decision: allow');
    const unknown = await runCli(bin, ['explain', '--policy', file, '--group', 'nobody']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain(
      '--group nobody: no when block of user-groups.yaml names this user group; its groups: beta, internal, staff (and base)',
    );
  });
});
