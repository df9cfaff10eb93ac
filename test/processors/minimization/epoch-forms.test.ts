import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, definePolicy } from '../../../index';

// Epoch times in forms applications really write them under time-named keys: fractional milliseconds
// (`performance.timeOrigin + performance.now()`) and epoch numbers written as decimal strings (OTLP/JSON writes
// every 64-bit time as one: `"timeUnixNano": "1767608142123456789"`). Each must leave at the configured precision.
const MINUTE_MS = 1_767_608_100_000; // 2026-01-05T10:15:00Z

function exportOne(attributes: Record<string, unknown>): Record<string, unknown> {
  const policy = definePolicy({
    version: 1,
    attributes: { allow: ['app.*'] },
    values: { detectors: 'all', timestamps: 'coarsen', timestampPrecision: '1m' },
  });
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter }) })],
  });
  provider.getLogger('epoch').emit({ body: 'x', attributes: attributes as never });
  const [record] = exporter.getFinishedLogRecords();
  return record.attributes as Record<string, unknown>;
}

describe('values.timestamps: coarsen, epoch forms under time keys', () => {
  it('rounds fractional milliseconds and microseconds down in their unit', () => {
    const out = exportOne({ 'app.created_at': 1_767_608_142_123.456, 'app.updated_at': 1_767_608_142_123_456.5 });
    expect(out['app.created_at']).toBe(MINUTE_MS);
    expect(out['app.updated_at']).toBe(MINUTE_MS * 1000);
  });

  it('rounds epoch numbers written as decimal strings down, keeping them strings', () => {
    const out = exportOne({
      'app.created_at': '1767608142123',
      'app.updated_at': '1767608142123456',
      'app.event.timeUnixNano': '1767608142123456789',
      'app.seen_at': '1767608142.123456',
      'app.expires_at': '1767608142123.25',
    });
    expect(out).toMatchObject({
      'app.created_at': String(MINUTE_MS),
      'app.updated_at': `${MINUTE_MS}000`,
      'app.event.timeUnixNano': `${MINUTE_MS}000000`,
      'app.seen_at': String(MINUTE_MS / 1000),
      'app.expires_at': String(MINUTE_MS),
    });
  });

  it('leaves digit strings alone under id keys; whole seconds are rounded under time keys only when coarser than 1s', () => {
    const out = exportOne({
      'app.order_id': '1767608142123',
      'app.created_at_s': 'x1767608142123',
      'app.ts': '1767608142',
    });
    expect(out).toMatchObject({
      'app.order_id': '1767608142123',
      'app.created_at_s': 'x1767608142123',
      'app.ts': '1767608100',
    });
    expect(exportOne({ 'app.order.placed': '1767608142', 'app.retry_count': 1767608142 })).toMatchObject({
      'app.order.placed': '1767608142',
      'app.retry_count': 1767608142,
    });
  });
});
