import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scanFixture, testKeys } from './cli-harness';

// What the log and span processors learned this round reaches `otel-privacy scan` too (it runs them): an email as
// UTF-16 bytes in a log body, as character codes with one element that is no character, and a person's name after
// a people segment of a span name. Run through the built CLI; the identifier must not be in the output.

type Json = Record<string, unknown>;
const { dir, policyFile, bin } = scanFixture(
  'scan-round-parity-',
  "version: 1\nextends: default\nattributes:\n  allow: ['app.*']\n",
);

const EMAIL = 'jane.doe@example.com';
const T = '1767608142123456789';
const codes = [...EMAIL].map((c) => ({ intValue: String(c.charCodeAt(0)) }));
codes.splice(4, 0, { intValue: '70000' }); // no character: read as a line break, the codes around it still read

async function scan(requests: Json[]): Promise<string> {
  const out = join(dir, 'out.jsonl');
  const r = await runCli(bin(), ['scan', '--policy', policyFile, '--in', '-', '--out', out], {
    env: testKeys(),
    input: requests.map((q) => `${JSON.stringify(q)}\n`).join(''),
  });
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(out, 'utf8');
}

/** Every string the output holds, and every bytes value decoded as UTF-16 and UTF-8, and number lists as text. */
function readable(text: string): string {
  const parts: string[] = [text];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      parts.push(v.map((e) => String.fromCharCode(Number((e as Json)?.intValue ?? 10))).join(''));
      v.forEach(walk);
    } else if (typeof v === 'object' && v !== null)
      for (const [k, x] of Object.entries(v)) {
        if (k === 'bytesValue' && typeof x === 'string')
          parts.push(Buffer.from(x, 'base64').toString('utf16le'), Buffer.from(x, 'base64').toString('utf8'));
        walk(x);
      }
  };
  for (const line of text.trim().split('\n')) walk(JSON.parse(line));
  return parts.join('\n');
}

describe('scan applies what the processors learned this round (built CLI)', () => {
  it('log bodies: UTF-16 bytes and character codes with a non-character element; span names after a people segment', async () => {
    const log = (body: Json): Json => ({ timeUnixNano: T, severityNumber: 9, body });
    const span = (name: string, id: string): Json => ({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: id,
      name,
      kind: 2,
      startTimeUnixNano: T,
      endTimeUnixNano: T,
    });
    const text = await scan([
      {
        resourceLogs: [
          {
            resource: { attributes: [] },
            scopeLogs: [
              {
                scope: { name: 'app' },
                logRecords: [
                  log({ bytesValue: Buffer.from(EMAIL, 'utf16le').toString('base64') }),
                  log({ arrayValue: { values: codes } }),
                ],
              },
            ],
          },
        ],
      },
      {
        resourceSpans: [
          {
            resource: { attributes: [] },
            scopeSpans: [
              {
                scope: { name: 'app' },
                spans: [
                  span('GET /users/jane_doe', 'b7ad6b7169203331'),
                  span('GET /users/alice/orders', 'b7ad6b7169203332'),
                ],
              },
            ],
          },
        ],
      },
    ]);
    const all = readable(text);
    expect(all).not.toContain('example.com');
    expect(all).not.toContain('jane_doe');
    expect(all).not.toContain('alice');
    expect(text).toContain('GET /users/{id}/orders');
  }, 60_000);
});
