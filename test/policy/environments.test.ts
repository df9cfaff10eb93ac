import { join } from 'node:path';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, definePolicy, loadPolicy } from '../../index';
import type { Policy } from '../../index';
import { cliBinary, runCli } from '../cli/cli-harness';

// when blocks selected by OTEL_PRIVACY_ENV, on real providers, and `otel-privacy explain --env`.
const file = join(__dirname, 'testdata', 'environments.yaml');

function exported(policy: Policy, attributes: Record<string, string>) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
  });
  provider.getTracer('env-test').startSpan('work', { attributes }).end();
  return exporter.getFinishedSpans()[0].attributes;
}

const attributes = { 'http.route': '/a', 'app.debug': 'verbose', 'app.fixture': 'f1' };

afterEach(() => {
  delete process.env.OTEL_PRIVACY_ENV;
});

describe('when blocks (OTEL_PRIVACY_ENV)', () => {
  it('no environment: only the base policy', () => {
    const policy = loadPolicy(file, { env: '' });
    expect(exported(policy, attributes)).toEqual({ 'http.route': '/a', 'app.debug': 'verbose' });
    expect(policy.compiled.logs.minSeverity).toBe('DEBUG');
    expect(policy.document.when).toBeUndefined();
  });

  it('production: lists added to (drop wins), settings replaced', () => {
    process.env.OTEL_PRIVACY_ENV = 'production';
    const policy = loadPolicy(file);
    expect(exported(policy, attributes)).toEqual({ 'http.route': '/a' });
    expect(policy.compiled.logs.minSeverity).toBe('WARN');
    expect(policy.compiled.timePrecision.logMillis).toBe(1000);
  });

  it('a list of environments; the hash differs per environment', () => {
    const ci = loadPolicy(file, { env: 'ci' });
    expect(exported(ci, attributes)).toEqual({ 'http.route': '/a', 'app.debug': 'verbose', 'app.fixture': 'f1' });
    expect(
      new Set([ci.hash, loadPolicy(file, { env: '' }).hash, loadPolicy(file, { env: 'production' }).hash]).size,
    ).toBe(3);
    expect(loadPolicy(file, { env: 'staging' }).hash).toBe(loadPolicy(file, { env: '' }).hash);
  });

  it('every block is validated, whichever environment applies', () => {
    const bad = { version: 1, when: [{ env: 'other', attributes: { allow: ['a[b'] } }] } as const;
    expect(() => definePolicy(bad as never)).toThrow(/when\[0\]\.attributes\.allow\[0\]/);
    expect(() => definePolicy({ version: 1, when: [{ env: 'a b' }] } as never)).toThrow(/when\[0\]\.env/);
    expect(() => definePolicy({ version: 1, when: [{ env: 'x', keys: {} }] } as never)).toThrow(/when\[0\]/);
  });
});

describe('otel-privacy explain --env', () => {
  it('shows the effective decision and rules in the environment', async () => {
    const bin = await cliBinary();
    const key = await runCli(bin, ['explain', '--policy', file, '--env', 'production', 'app.debug']);
    expect(key.code).toBe(0);
    expect(key.stdout).toMatch(/decision: drop, by drop "app\.debug"/);
    expect(key.stdout).toContain('environment: production (when blocks applied: when[0])');
    const base = await runCli(bin, ['explain', '--policy', file, 'app.debug']);
    expect(base.stdout).toMatch(/decision: allow/);
    const rules = await runCli(bin, ['explain', '--policy', file, '--env', 'production']);
    expect(rules.code).toBe(0);
    expect(rules.stdout).toMatch(/^# effective policy in environment production \(when blocks applied: when\[0\]/);
    expect(rules.stdout).toMatch(/minSeverity: WARN/);
    expect(rules.stdout).not.toMatch(/^when:/m);
    const usage = await runCli(bin, ['explain', '--policy', file]);
    expect(usage.code).toBe(2);
  }, 120_000);
});
