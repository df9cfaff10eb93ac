import { afterAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../index';
import { OtlpJsonRedactor } from '../../cli/otlp-json-redactor';
import { ScanReport } from '../../cli/scan-report';

// `otel-privacy scan` with the default policy: a `bytesValue` that is UTF-8 text under a URL or statement key, and a
// log body that is bytes, get the sanitizers the same text gets as a `stringValue` and stay `bytesValue` (they were
// written out whole: only the value detectors read bytes).

const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x5a).toString('base64')}`; // fake test key
afterAll(() => {
  if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
const kv = (key: string, value: Record<string, unknown>) => ({ key, value });

describe('scan: bytes under URL and statement keys, bytes log bodies (default policy)', () => {
  it('are written out as the sanitized text, as bytesValue', () => {
    const policy = defaultPolicy();
    const attributes = [
      kv('url.full', { bytesValue: b64('https://app.example.com/users/janedoe?code=SplxlOBeZQQYbYS6WxSbIA') }),
      kv('db.system.name', { stringValue: 'mysql' }),
      kv('db.query.text', { bytesValue: b64("UPDATE users SET pw = 'hunter2-Fake-9x' WHERE id = 7") }),
      kv('http.route', { arrayValue: { values: [{ bytesValue: b64('/users/janedoe') }] } }),
    ];
    const request = {
      resourceSpans: [
        {
          resource: { attributes: [kv('service.name', { stringValue: 'svc' })] },
          scopeSpans: [
            {
              scope: { name: 's' },
              spans: [
                {
                  traceId: '0af7651916cd43dd8448eb211c80319c',
                  spanId: 'b7ad6b7169203331',
                  name: 'op',
                  kind: 3,
                  startTimeUnixNano: '1796650000000000000',
                  endTimeUnixNano: '1796650000100000000',
                  attributes,
                },
              ],
            },
          ],
        },
      ],
    };
    const logs = {
      resourceLogs: [
        {
          resource: { attributes: [kv('service.name', { stringValue: 'svc' })] },
          scopeLogs: [
            {
              scope: { name: 'l' },
              logRecords: [
                {
                  timeUnixNano: '1796650000000000000',
                  body: { bytesValue: b64('GET /reset?name=Jane+Doe&dob=1985-01-01 302') },
                  attributes: [kv('url.query', { bytesValue: b64('name=Jane+Doe&dob=1985-01-01') })],
                },
              ],
            },
          ],
        },
      ],
    };
    const redactor = new OtlpJsonRedactor(policy, new ScanReport(policy));
    redactor.sanitize(request);
    redactor.sanitize(logs);
    expect(request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.attributes).toEqual([
      kv('url.full', { bytesValue: b64('https://app.example.com/users/{id}?code=REDACTED') }),
      kv('db.system.name', { stringValue: 'mysql' }),
      kv('db.query.text', { bytesValue: b64('UPDATE users SET pw = ? WHERE id = ?') }),
      kv('http.route', { arrayValue: { values: [{ bytesValue: b64('/users/{id}') }] } }),
    ]);
    const record = logs.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
    expect(record.body).toEqual({ bytesValue: b64('GET /reset?name=REDACTED&dob=REDACTED 302') });
    expect(record.attributes).toEqual([kv('url.query', { bytesValue: b64('name=REDACTED&dob=REDACTED') })]);
  });
});
