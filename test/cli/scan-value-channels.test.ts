import { describe, expect, it } from 'vitest';
import { definePolicy } from '../../index';
import { OtlpJsonRedactor } from '../../cli/otlp-json-redactor';
import { ScanReport } from '../../cli/scan-report';

// `otel-privacy scan` runs the same engine: keys, bytes, numbers and split arrays in OTLP/JSON.
const EMAIL = 'jane.doe@example.com';
const CARD19 = '4111111111111111110'; // 19 digits, Luhn-valid: beyond 2^53, every digit must be scanned
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('scan: keys, bytes, numbers and split arrays', () => {
  it('drops keys with findings (report shows no raw key), scans bytes, 64-bit ints and joined arrays', () => {
    const policy = definePolicy({ version: 1, attributes: { allow: ['*'] }, resource: { allow: ['*'] }, values: {} });
    const report = new ScanReport(policy);
    const kv = (key: string, value: Record<string, unknown>) => ({ key, value });
    const request = {
      resourceLogs: [
        {
          resource: { attributes: [kv('service.name', { stringValue: 'svc' })] },
          scopeLogs: [
            {
              scope: { name: 'l' },
              logRecords: [
                {
                  timeUnixNano: '1',
                  body: {
                    kvlistValue: {
                      values: [kv(`k.${EMAIL}`, { stringValue: 'x' }), kv('msg', { bytesValue: b64(`to ${EMAIL}`) })],
                    },
                  },
                  attributes: [
                    kv(`app.${EMAIL}`, { stringValue: 'x' }),
                    kv('app.card', { intValue: CARD19 }),
                    kv('app.blob', { bytesValue: Buffer.from([0xff, 0xfe, 0x80]).toString('base64') }),
                    kv('app.parts', {
                      arrayValue: { values: [{ stringValue: 'jane.doe@' }, { stringValue: 'example.com' }] },
                    }),
                    kv('app.ok', { intValue: '42' }),
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    new OtlpJsonRedactor(policy, report).sanitize(request);
    const out = JSON.stringify(request);
    expect(out).not.toContain(EMAIL);
    expect(out).not.toContain(b64(EMAIL));
    expect(out).not.toContain(CARD19);
    const record = request.resourceLogs[0].scopeLogs[0].logRecords[0];
    expect(record.attributes).toEqual([
      kv('app.card', { stringValue: '[REDACTED:payment-card]' }),
      kv('app.parts', { arrayValue: { values: [{ stringValue: '[REDACTED:email]' }] } }),
      kv('app.ok', { intValue: '42' }),
    ]);
    expect(record.body).toEqual({
      kvlistValue: { values: [kv('msg', { bytesValue: b64('to [REDACTED:email]') })] },
    });
    const printed = JSON.stringify(report.toJSON());
    expect(printed).not.toContain(EMAIL);
    expect(printed).toContain('(key holding email)');
  });
});
