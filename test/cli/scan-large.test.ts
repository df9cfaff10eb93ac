import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBinary, runCli, testKeys, testdata } from './cli-harness';

// Streaming: a 100 MB OTLP/JSON file (one export request per line, as the Collector's file exporter
// writes) goes through `scan` with bounded memory. The file is generated here and deleted afterwards.
const TARGET_BYTES = 100 * 1024 * 1024;
const MAX_RSS_KIB = 200 * 1024;

let bin: string;
const env = testKeys();
const tmp = mkdtempSync(join(tmpdir(), 'otel-privacy-large-'));

/** One export request with 200 spans; `n` makes the values differ from line to line. */
function request(n: number): string {
  const spans: string[] = [];
  for (let i = 0; i < 200; i++) {
    const id = (n * 200 + i).toString(16).padStart(16, '0');
    spans.push(
      JSON.stringify({
        traceId: `${id}${id}`,
        spanId: id,
        name: `GET /orders/${n}${i}`,
        kind: 2,
        startTimeUnixNano: '1544712660000000000',
        endTimeUnixNano: '1544712661000000000',
        attributes: [
          { key: 'http.request.method', value: { stringValue: 'GET' } },
          { key: 'http.route', value: { stringValue: '/orders/:id' } },
          { key: 'http.response.status_code', value: { intValue: '200' } },
          {
            key: 'url.full',
            value: { stringValue: `https://shop.example.com/orders/${n}${i}?token=fake-${i}&page=2` },
          },
          { key: 'user.id', value: { stringValue: `fake-user-${i % 50}` } },
          { key: 'user.email', value: { stringValue: `fake.user${i % 50}@example.com` } },
          {
            key: 'note',
            value: {
              stringValue: i % 10 === 0 ? 'call 555-0100 or mail bob@example.com' : 'nothing personal here at all',
            },
          },
          { key: 'http.request.header.authorization', value: { stringValue: 'Bearer fake-token' } },
          { key: 'custom.payload', value: { stringValue: 'x'.repeat(120) } },
        ],
        events: [
          {
            timeUnixNano: '1544712660500000000',
            name: 'retry',
            attributes: [{ key: 'note', value: { stringValue: 'ok' } }],
          },
        ],
        status: { code: 0 },
      }),
    );
  }
  return `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}},{"key":"host.name","value":{"stringValue":"fake-host-${n % 7}"}}]},"scopeSpans":[{"scope":{"name":"load"},"spans":[${spans.join(',')}]}]}]}\n`;
}

beforeAll(async () => {
  bin = await cliBinary();
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('otel-privacy scan on a 100 MB file', () => {
  it('streams: peak RSS stays under 200 MB, every line is written, the report counts every span', async () => {
    const inFile = join(tmp, 'large.jsonl');
    const ws = createWriteStream(inFile);
    let bytes = 0;
    let lines = 0;
    while (bytes < TARGET_BYTES) {
      const line = request(lines++);
      bytes += Buffer.byteLength(line);
      if (!ws.write(line)) await once(ws, 'drain');
    }
    ws.end();
    await once(ws, 'finish');
    expect(statSync(inFile).size).toBeGreaterThanOrEqual(TARGET_BYTES);

    const outFile = join(tmp, 'large.out.jsonl');
    const r = await runCli(
      bin,
      ['scan', '--json', '--policy', join(testdata, 'basic.yaml'), '--in', inFile, '--out', outFile],
      { env: { ...env, OTEL_PRIVACY_CLI_REPORT_MAXRSS: '1' }, launcher: true },
    );
    expect(r.code, r.stderr).toBe(0);
    // `scan` runs in a child process with tuned V8 flags (cli/tuned-node-process.ts); the launcher only
    // waits for it. The scanner reads the data: its peak is the bound; the launcher's is reported too.
    const reports = [...r.stderr.matchAll(/maxRSS (\d+) KiB/g)].map((m) => Number(m[1]));
    expect(reports).toHaveLength(2);
    const [maxRss, launcher] = reports as [number, number];
    console.log(
      `scan of ${(bytes / 1048576).toFixed(0)} MB (${lines} lines, ${lines * 200} spans): scanner peak RSS ${(maxRss / 1024).toFixed(0)} MB, launcher ${(launcher / 1024).toFixed(0)} MB`,
    );
    expect(maxRss).toBeGreaterThan(0);
    expect(maxRss).toBeLessThan(MAX_RSS_KIB);
    expect(launcher).toBeLessThan(MAX_RSS_KIB);

    const report = JSON.parse(r.stdout);
    expect(report.items).toMatchObject({ requests: lines, spans: lines * 200 });
    const tally = (key: string) =>
      report.keys.find((k: { where: string; key: string }) => k.where === 'traces' && k.key === key);
    expect(tally('http.request.header.authorization').dropped).toBe(lines * 200);
    expect(tally('user.email').encrypted).toBe(lines * 200);
    expect(tally('note').masked).toBe(lines * 20);

    // The output has one sanitized request per input line, and no personal data left in it.
    let outLines = 0;
    let leaks = 0;
    for await (const line of createInterface({ input: createReadStream(outFile), crlfDelay: Infinity })) {
      outLines++;
      if (line.includes('@example.com') || line.includes('fake-token')) leaks++;
    }
    expect(outLines).toBe(lines);
    expect(leaks).toBe(0);
  }, 180_000);
});
