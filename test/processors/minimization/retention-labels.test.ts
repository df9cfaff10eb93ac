import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, RETENTION_ATTRIBUTE, definePolicy } from '../../../index';
import type { Policy } from '../../../index';

// Retention labels on real SDK providers: privacy.retention by signal, scope and the classes of keys an item carries.
const KEYS = { OTEL_PRIVACY_HMAC_KEY: 'fake-retention-test-hmac-key-0123456789abcdef' };

function policy(): Policy {
  process.env.OTEL_PRIVACY_HMAC_KEY = KEYS.OTEL_PRIVACY_HMAC_KEY;
  try {
    return definePolicy({
      version: 1,
      keys: { hmac: { id: 'k1', env: 'OTEL_PRIVACY_HMAC_KEY' } },
      attributes: { allow: ['http.route', 'app.plan'], hash: ['user.id'] },
      retention: {
        default: 'standard',
        rules: [
          { class: 'short', carries: ['hash'] },
          { class: 'audit', signals: ['logs'], scopes: ['audit-*'] },
          { class: 'debug', signals: ['traces'], scopes: ['debug.*'] },
        ],
      },
    });
  } finally {
    delete process.env.OTEL_PRIVACY_HMAC_KEY;
  }
}

describe('retention: privacy.retention on spans and log records', () => {
  it.each([
    ['simple', (exporter: InMemorySpanExporter) => new SimpleSpanProcessor({ exporter })],
    ['batch', (exporter: InMemorySpanExporter) => new BatchSpanProcessor({ exporter })],
  ])('spans (%s): carried hashed identifier → short; scope rule; default', async (_, next) => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy: policy(), next: next(exporter) })],
    });
    const app = provider.getTracer('shop');
    app.startSpan('with user', { attributes: { 'user.id': 'fake-user-1', 'http.route': '/a' } }).end();
    app.startSpan('plain', { attributes: { 'http.route': '/b', 'other.key': 'dropped' } }).end();
    provider
      .getTracer('debug.tools')
      .startSpan('debugging', { attributes: { 'app.plan': 'gold' } })
      .end();
    // a hashed key wins over the scope rule (first match), and a hashed key set after start counts too
    const late = provider.getTracer('debug.tools').startSpan('late');
    late.setAttribute('user.id', 'fake-user-2');
    late.end();
    await provider.forceFlush();
    const byName = Object.fromEntries(
      exporter.getFinishedSpans().map((s) => [s.name, s.attributes[RETENTION_ATTRIBUTE]]),
    );
    expect(byName).toEqual({ 'with user': 'short', plain: 'standard', debugging: 'debug', late: 'short' });
    const withUser = exporter.getFinishedSpans().find((s) => s.name === 'with user')!;
    expect(withUser.attributes['user.id']).toMatch(/^k1:/);
    await provider.shutdown();
  });

  it('log records: signal and scope rules; a dropped key is not carried', () => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      processors: [
        new PrivacyLogRecordProcessor({ policy: policy(), next: new SimpleLogRecordProcessor({ exporter }) }),
      ],
    });
    provider.getLogger('audit-trail').emit({ body: 'x', attributes: { 'other.key': 'dropped' } });
    provider.getLogger('shop').emit({ body: 'y', attributes: { 'user.id': 'fake-user-3' } });
    provider.getLogger('shop').emit({ body: 'z' });
    expect(exporter.getFinishedLogRecords().map((r) => r.attributes[RETENTION_ATTRIBUTE])).toEqual([
      'audit',
      'short',
      'standard',
    ]);
  });

  it('without retention: no label', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [
        new PrivacySpanProcessor({ policy: definePolicy({ version: 1 }), next: new SimpleSpanProcessor({ exporter }) }),
      ],
    });
    provider.getTracer('x').startSpan('s').end();
    expect(RETENTION_ATTRIBUTE in exporter.getFinishedSpans()[0].attributes).toBe(false);
  });

  it('bad rules fail with the path named', () => {
    expect(() => definePolicy({ version: 1, retention: { rules: [{ class: 'a b' }] } })).toThrow(
      /retention\.rules\[0\]\.class/,
    );
    expect(() =>
      definePolicy({ version: 1, retention: { rules: [{ class: 'x', carries: ['drop' as never] }] } }),
    ).toThrow(/retention\.rules\[0\]\.carries/);
    expect(() =>
      definePolicy({ version: 1, retention: { rules: [{ class: 'x', signals: ['metrics' as never] }] } }),
    ).toThrow(/retention\.rules\[0\]\.signals/);
  });
});
