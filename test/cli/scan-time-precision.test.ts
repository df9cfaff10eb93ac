import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { scanCommand } from '../../cli/commands/scan';

// `scan` applies logs.timestampPrecision and traces.eventTimestampPrecision as the processors do: a log record's
// times and a span event's time leave rounded down (they were left exact, and every log record of such a policy was
// removed as "could not be sanitized").
const dir = mkdtempSync(join(tmpdir(), 'scan-time-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
interface Otlp {
  resourceLogs: { scopeLogs: { logRecords: { timeUnixNano?: string; observedTimeUnixNano?: string }[] }[] }[];
  resourceSpans: {
    scopeSpans: {
      spans: { startTimeUnixNano: string; endTimeUnixNano: string; events: { timeUnixNano: string }[] }[];
    }[];
  }[];
}
const EXACT = '1767608142123456789'; // 2026-01-05T10:15:42.123456789Z
const MINUTE = '1767608100000000000';

async function scan(policy: string, request: unknown): Promise<{ code: number; out: Otlp; report: string }> {
  writeFileSync(join(dir, 'policy.yaml'), policy);
  writeFileSync(join(dir, 'in.json'), `${JSON.stringify(request)}\n`);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let report = '';
  stdout.on('data', (c) => (report += String(c)));
  stderr.on('data', (c) => (report += String(c)));
  const code = await scanCommand.run(
    ['--policy', join(dir, 'policy.yaml'), '--in', join(dir, 'in.json'), '--out', join(dir, 'out.json')],
    { stdin: new PassThrough(), stdout, stderr },
  );
  return { code, out: JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as Otlp, report };
}

describe('scan: timestamp precision', () => {
  it('rounds log record times and span event times down, and keeps span start and end times', async () => {
    const { code, out, report } = await scan(
      'version: 1\nlogs:\n  timestampPrecision: 1m\ntraces:\n  eventTimestampPrecision: 1m\n',
      {
        resourceLogs: [
          {
            resource: { attributes: [] },
            scopeLogs: [
              {
                scope: { name: 'l' },
                logRecords: [
                  { timeUnixNano: EXACT, observedTimeUnixNano: EXACT, severityNumber: 9, body: { stringValue: 'a' } },
                  { observedTimeUnixNano: EXACT, severityNumber: 9, body: { stringValue: 'b' } },
                ],
              },
            ],
          },
        ],
        resourceSpans: [
          {
            resource: { attributes: [] },
            scopeSpans: [
              {
                scope: { name: 't' },
                spans: [
                  {
                    traceId: '5086a3f8110526776b7126550193a0f7',
                    spanId: 'd687d0097a52ea70',
                    name: 's',
                    kind: 1,
                    startTimeUnixNano: EXACT,
                    endTimeUnixNano: EXACT,
                    events: [{ timeUnixNano: EXACT, name: 'e' }],
                  },
                ],
              },
            ],
          },
        ],
      },
    );
    expect(report).not.toContain('could not be sanitized');
    expect(code).toBe(0);
    const records = out.resourceLogs[0].scopeLogs[0].logRecords;
    expect(records.map((r) => [r.timeUnixNano, r.observedTimeUnixNano])).toEqual([
      [MINUTE, MINUTE],
      [undefined, MINUTE],
    ]);
    const span = out.resourceSpans[0].scopeSpans[0].spans[0];
    expect(span.events[0].timeUnixNano).toBe(MINUTE);
    expect([span.startTimeUnixNano, span.endTimeUnixNano]).toEqual([EXACT, EXACT]);
  });
});
