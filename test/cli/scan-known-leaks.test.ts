import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appValuesPolicy, privacyPipelines } from '../assurance/helpers/outside-attack';
import { runCli, scanFixture, testKeys } from './cli-harness';

// `otel-privacy scan` reads string values with the engine's detectors, as the in-process processors do: the writings
// closed in test/assurance/outside-attack-known-leaks.test.ts (identifiers next to a number and a dot, an IPv6 address
// after a word and a dot, a phone number before `.` and a number) leave the built CLI exactly as they leave real SDK
// providers with the privacy processors. Fake canaries only.

const { dir, policyFile, bin } = scanFixture(
  'scan-known-leaks-',
  "version: 1\nattributes:\n  allow: ['app.*']\nlogs:\n  attributes:\n    allow: ['log.body', 'app.*']\nvalues:\n  detectors: all\n",
);
process.env.OTEL_PRIVACY_HMAC_KEY ??= `base64:${Buffer.alloc(32, 0x5d).toString('base64')}`; // fake test key
const pipelines = privacyPipelines(appValuesPolicy());

/** Each text and the identifier in it as written, which must not leave. */
const CASES: readonly [string, string][] = [
  ['1.123-45-6789', '123-45-6789'],
  ['v2.123/45/6789 ok', '123/45/6789'],
  ['IP 203.0.113.7.51234 > 10.0.0.5.443: Flags [S]', '203.0.113.7'],
  ['v2.4111111111111111', '4111111111111111'],
  ['x1.5555 5555 5555 4444', '5555 5555 5555 4444'],
  ['host.2001:db8:85a3::8a2e:370:7334', '2001:db8'],
  ['202-555-0143.1', '202-555-0143'],
  ['123-45-6789.1', '123-45-6789'],
  ['+44 20 7946 0958.12', '7946 0958'],
];

describe('scan: the closed writings leave the built CLI as they leave the SDK pipelines', () => {
  it('masks them alike', async () => {
    const kv = (key: string, value: string) => ({ key, value: { stringValue: value } });
    const request = {
      resourceLogs: [
        {
          resource: { attributes: [kv('service.name', 'svc')] },
          scopeLogs: [
            {
              scope: { name: 'attack' },
              logRecords: CASES.map(([text]) => ({
                timeUnixNano: '1700000000000000000',
                body: { stringValue: text },
                attributes: [kv('app.note', text)],
              })),
            },
          ],
        },
      ],
    };
    const outFile = join(dir, 'logs.json');
    const r = await runCli(bin(), ['scan', '--policy', policyFile, '--in', '-', '--out', outFile], {
      env: testKeys(),
      input: `${JSON.stringify(request)}\n`,
    });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(readFileSync(outFile, 'utf8')) as typeof request;
    const records = out.resourceLogs[0]!.scopeLogs[0]!.logRecords;

    const logger = pipelines.loggerProvider.getLogger('attack');
    for (const [text] of CASES) logger.emit({ body: text, attributes: { 'app.note': text } });
    const exported = pipelines.logs.getFinishedLogRecords();
    pipelines.exportedJson(); // reset

    for (const [i, [text, written]] of CASES.entries()) {
      const scanned = records[i]!;
      const body = scanned.body.stringValue;
      expect(body, text).not.toContain(written);
      expect(scanned.attributes.find((a) => a.key === 'app.note')?.value.stringValue, text).toBe(body);
      expect(body, text).toBe(exported[i]!.body);
      expect(exported[i]!.attributes['app.note'], text).toBe(body);
    }
  }, 60_000);
});
