import fc from 'fast-check';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, definePolicy } from '../../index';

// A value longer than `values.maxScanLength` is cut at a blank near the bound and the rest masked as unscanned. A
// grouped card, IBAN or phone number that straddled the cut was cut between two groups: the prefix kept
// `GB82 WEST 1234 5698 7654` in clear (the last two digits follow from the mod-97 check) or 12 digits of a card
// (found by an outside-style attack). Generated: every offset of each value around the cut, in log bodies and span
// attributes.

const MAX = 512;
const policy = () =>
  definePolicy({ version: 1, attributes: { allow: ['app.note'] }, values: { detectors: 'all', maxScanLength: MAX } });

const grouped = fc.constantFrom(
  '4111 1111 1111 1111',
  '5500-0000-0000-0004',
  'GB82 WEST 1234 5698 7654 32',
  'DE89 3704 0044 0532 0130 00',
  '+44 20 7946 0958',
  '+1 202 555 0143',
  'AKIA IOSF ODNN 7EXA MPLE',
);

/** `value` with a filler of letters and blanks before it, so that it starts `offset` characters before the bound. */
function around(value: string, offset: number): string {
  const pad = `${'lorem ipsum '.repeat(Math.ceil(MAX / 12)).slice(0, MAX - offset - 1)} `;
  return `${pad}${value} and more text after it`.padEnd(MAX + 200, ' z');
}

/** What is left of `value`'s groups in `out`: any group of two or more characters with a digit, or the grouped form. */
function leftovers(value: string, out: string): string[] {
  const groups = value.split(/[ -]/).filter((g) => g.length >= 2 && /\d/.test(g));
  return groups.filter((g) => out.includes(g));
}

describe('a finding that straddles the maxScanLength cut is masked, not cut in half', () => {
  it('log bodies and span attributes, every offset of the value around the cut', async () => {
    const p = policy();
    const records = new InMemoryLogRecordExporter();
    const logging = new LoggerProvider({
      processors: [
        new PrivacyLogRecordProcessor({ policy: p, next: new SimpleLogRecordProcessor({ exporter: records }) }),
      ],
    });
    const spans = new InMemorySpanExporter();
    const tracing = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy: p, next: new SimpleSpanProcessor({ exporter: spans }) })],
    });
    await fc.assert(
      fc.asyncProperty(grouped, fc.integer({ min: 1, max: 40 }), async (value, offset) => {
        records.reset();
        spans.reset();
        const text = around(value, offset);
        logging.getLogger('t').emit({ body: text });
        tracing
          .getTracer('t')
          .startSpan('s', { attributes: { 'app.note': text } })
          .end();
        await logging.forceFlush();
        await tracing.forceFlush();
        const body = String(records.getFinishedLogRecords()[0]!.body);
        const attr = String(spans.getFinishedSpans()[0]!.attributes['app.note']);
        for (const out of [body, attr]) {
          expect(out).toContain('[REDACTED:unscanned]');
          expect(leftovers(value, out), `${offset}: ${out.slice(MAX - 60)}`).toEqual([]);
        }
      }),
      { numRuns: 200 },
    );
    await logging.shutdown();
    await tracing.shutdown();
  });

  it('a value wholly before the cut is masked as before, and one wholly after it is in the unscanned tail', () => {
    const p = policy();
    const before = around('4111 1111 1111 1111', 100);
    expect(p.scanText(before)).toContain('[REDACTED:payment-card] and more');
    const after = `${'lorem ipsum '.repeat(50).slice(0, MAX - 2)} x ${'4111 1111 1111 1111'}`;
    const out = p.scanText(after)!;
    expect(out).not.toContain('4111');
    expect(out.endsWith('[REDACTED:unscanned]')).toBe(true);
  });
});
