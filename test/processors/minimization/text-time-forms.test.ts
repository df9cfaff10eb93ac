import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, definePolicy } from '../../../index';
import { classify, TIME_CANDIDATE } from '../../../engine/detectors/prefilter';
import { findTimeEdits } from '../../../engine/time-in-text';

// Date-times written inside text, generated from a seed set of formats × precisions and transformed (quoted, padded,
// embedded in log lines and JSON, upper-cased, comma decimals). Each is exported through a real SDK provider with
// values.timestamps: coarsen; the exported text must be the same text with the wall-clock fields rounded down to the
// precision (the layout, the zone as written and the names kept), so it carries no precision below it.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LONG_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const p2 = (n: number) => String(n).padStart(2, '0');
const p3 = (n: number) => String(n).padStart(3, '0');

/** One rendering of a wall-clock time (a `Date` read with its UTC getters) and how many fraction digits it shows. */
interface Format {
  readonly name: string;
  /** Fraction digits it writes (0: none). */
  readonly digits: number;
  render(d: Date, fraction: string): string;
}

/** The fraction digits of `d` (its milliseconds, then `sub` for digits past them), `n` long. */
function fractionOf(d: Date, sub: string, n: number): string {
  return `${p3(d.getUTCMilliseconds())}${sub}`.slice(0, n);
}

const ymd = (d: Date, sep = '-') => `${d.getUTCFullYear()}${sep}${p2(d.getUTCMonth() + 1)}${sep}${p2(d.getUTCDate())}`;
const hms = (d: Date) => `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;

function isoWeek(d: Date): [number, number, number] {
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const weekday = ((new Date(day).getUTCDay() + 6) % 7) + 1;
  const thursday = new Date(day + (4 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  return [year, Math.floor((thursday.getTime() - jan1) / (7 * 86_400_000)) + 1, weekday];
}

/** The seed formats, each at 0–9 fraction digits and with `.` or `,` where the form allows a fraction. */
function formats(digits: number, decimal: '.' | ','): Format[] {
  const frac = (f: string) => (f === '' ? '' : `${decimal}${f}`);
  const list: Format[] = [
    { name: 'iso-T-Z', digits, render: (d, f) => `${ymd(d)}T${hms(d)}${frac(f)}Z` },
    { name: 'iso-space-utc', digits, render: (d, f) => `${ymd(d)} ${hms(d)}${frac(f)} UTC` },
    { name: 'iso-offset', digits, render: (d, f) => `${ymd(d)}T${hms(d)}${frac(f)}+05:30` },
    { name: 'iso-lower-t', digits, render: (d, f) => `${ymd(d)}t${hms(d)}${frac(f)}z` },
    { name: 'iso-basic', digits, render: (d, f) => `${ymd(d, '')}T${hms(d).replace(/:/g, '')}${frac(f)}Z` },
    {
      name: 'iso-week',
      digits,
      render: (d, f) => {
        const [y, w, wd] = isoWeek(d);
        return `${y}-W${p2(w)}-${wd}T${hms(d)}${frac(f)}Z`;
      },
    },
    {
      name: 'iso-ordinal',
      digits,
      render: (d, f) => {
        const ordinal =
          (Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) /
            86_400_000 +
          1;
        return `${d.getUTCFullYear()}-${p3(ordinal)}T${hms(d)}${frac(f)}Z`;
      },
    },
    { name: 'slashes', digits, render: (d, f) => `${ymd(d, '/')} ${hms(d)}${frac(f)}` },
    // Date.prototype.toUTCString() is the HTTP-date (IMF-fixdate); no fraction
    { name: 'http-date', digits: 0, render: (d) => d.toUTCString() },
    {
      name: 'rfc2822',
      digits: 0,
      render: (d) =>
        `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${hms(d)} +0000`,
    },
    {
      name: 'rfc850',
      digits: 0,
      render: (d) =>
        `${LONG_DAYS[d.getUTCDay()]}, ${p2(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${String(d.getUTCFullYear()).slice(2)} ${hms(d)} GMT`,
    },
    {
      name: 'asctime',
      digits: 0,
      render: (d) =>
        `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hms(d)} ${d.getUTCFullYear()}`,
    },
    {
      // Date.prototype.toString() in a process whose zone is UTC (the wall clock is the UTC one)
      name: 'date-tostring',
      digits: 0,
      render: (d) =>
        `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${d.getUTCFullYear()} ${hms(d)} GMT+0000 (Coordinated Universal Time)`,
    },
    {
      name: 'long-month',
      digits: 0,
      render: (d) => `${LONG_MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${hms(d)}`,
    },
    {
      name: 'clf',
      digits: 0,
      render: (d) => `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${hms(d)} -0700`,
    },
  ];
  return list;
}

/** Transformations of the rendered text: where it sits in a value. */
const contexts: readonly ((t: string) => string)[] = [
  (t) => ` ${t}`,
  (t) => `"${t}"`,
  (t) => `'${t}'`,
  (t) => `[${t}] INFO user signed in`,
  (t) => `{"event":"login","at":"${t}"}`,
  (t) => `last_login=${t} status=ok`,
  (t) => `Request finished at ${t}; next retry after ${t}.`,
  (t) => `${t}\tGET /health 200`,
  (t) => `(${t})`,
  // long texts (over 256 characters) are searched around each trigger, not whole
  (t) => `${'lorem ipsum dolor '.repeat(20)}${t} ${'sit amet 12:34 '.repeat(20)}`,
  (t) => `${t}${' padding'.repeat(40)} then again ${t}`,
];

const precisions = [10, 250, 1000, 60_000, 3_600_000, 86_400_000];
const walls = fc.integer({ min: Date.UTC(1995, 0, 1), max: Date.UTC(2099, 11, 30) });

/** The text with the wall clock rounded down to `p` (what the engine must export). */
function expected(format: Format, wall: number, sub: string, p: number): { input: string; output: string } {
  const d = new Date(wall);
  const f = fractionOf(d, sub, format.digits);
  // the instant the text denotes: its fraction digits, nothing finer
  const shown = wall - d.getUTCMilliseconds() + Number(`0.${f.padEnd(3, '0').slice(0, 3)}`) * 1000;
  const floored = new Date(shown - (shown % p));
  const rf = fractionOf(floored, '000000', format.digits);
  return { input: format.render(d, f), output: format.render(floored, rf) };
}

const cases = fc
  .record({
    wall: walls,
    sub: fc.stringMatching(/^[0-9]{6}$/),
    digits: fc.integer({ min: 0, max: 9 }),
    decimal: fc.constantFrom('.' as const, ','),
    format: fc.nat(14),
    context: fc.nat(contexts.length - 1),
    upper: fc.boolean(),
    p: fc.constantFrom(...precisions),
  })
  .map((c) => {
    const list = formats(c.digits, c.decimal);
    const format = list[c.format % list.length];
    const { input, output } = expected(format, c.wall, c.sub, c.p);
    const wrap = contexts[c.context];
    const up = (s: string) => (c.upper && format.digits === 0 ? s.toUpperCase() : s);
    return { ...c, name: format.name, input: up(wrap(input)), output: up(wrap(output)) };
  });

const policy = (p: number) =>
  definePolicy({
    version: 1,
    attributes: { allow: ['log.body', 'app.*', 'otel.status_description'] },
    values: { detectors: 'all', timestamps: 'coarsen', timestampPrecision: `${p}ms` },
  });

describe('values.timestamps: coarsen, date-times inside text (generated formats × precisions × contexts)', () => {
  const pipelines = new Map(
    precisions.map((p) => {
      const exporter = new InMemoryLogRecordExporter();
      const provider = new LoggerProvider({
        processors: [
          new PrivacyLogRecordProcessor({ policy: policy(p), next: new SimpleLogRecordProcessor({ exporter }) }),
        ],
      });
      return [p, { exporter, logger: provider.getLogger('text-times') }];
    }),
  );

  it('a log body and an attribute are exported with every wall-clock field below the precision zeroed', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const { exporter, logger } = pipelines.get(c.p)!;
        exporter.reset();
        logger.emit({ body: c.input, attributes: { 'app.note': c.input } });
        const [record] = exporter.getFinishedLogRecords();
        expect(record.body, `${c.name} @${c.p}ms: ${c.input}`).toBe(c.output);
        expect(record.attributes['app.note'], c.input).toBe(c.output);
      }),
      { numRuns: 1500 },
    );
  });

  it('a precision coarser than a day rewrites the date fields, with the names of the new date, in the same widths', () => {
    // Formats whose date fields have one width (the variable-width ones written with two-digit days), walls from
    // 1995 to 2049 (a two-digit year reads as 1950-2049). The floor is counted from the Unix epoch.
    const fixed = (digits: number, decimal: '.' | ','): Format[] => [
      ...formats(digits, decimal).filter((f) => !['rfc2822', 'asctime', 'long-month'].includes(f.name)),
      {
        name: 'rfc2822-2',
        digits: 0,
        render: (d) =>
          `${DAYS[d.getUTCDay()]}, ${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${hms(d)} +0000`,
      },
      {
        name: 'asctime-2',
        digits: 0,
        render: (d) =>
          `${LONG_DAYS[d.getUTCDay()]} ${LONG_MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${hms(d)} ${d.getUTCFullYear()}`,
      },
      {
        name: 'long-month-2',
        digits: 0,
        render: (d) => `${LONG_MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())}, ${d.getUTCFullYear()} ${hms(d)}`,
      },
    ];
    // A month written in three letters is rewritten in three: `May` (short and long alike) becomes `Apr`.
    const mayShort = (input: string, output: string) =>
      /\bMay\b/.test(input) && !/\bMay\b/.test(output)
        ? output.replace(new RegExp(`\\b(${LONG_MONTHS.join('|')})\\b`), (m) => m.slice(0, 3))
        : output;
    const days = [2, 7, 30].map((n) => n * 86_400_000);
    const coarse = new Map(
      days.map((p) => {
        const exporter = new InMemoryLogRecordExporter();
        const provider = new LoggerProvider({
          processors: [
            new PrivacyLogRecordProcessor({
              policy: definePolicy({
                version: 1,
                attributes: { allow: ['log.body'] },
                values: { detectors: 'all', timestamps: 'coarsen', timestampPrecision: `${p / 86_400_000}d` },
              }),
              next: new SimpleLogRecordProcessor({ exporter }),
            }),
          ],
        });
        return [p, { exporter, logger: provider.getLogger('text-times-days') }];
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1995, 0, 1), max: Date.UTC(2049, 11, 30) }),
        fc.stringMatching(/^[0-9]{6}$/),
        fc.integer({ min: 0, max: 9 }),
        fc.constantFrom('.' as const, ','),
        fc.nat(99),
        fc.nat(contexts.length - 1),
        fc.constantFrom(...days),
        (wall, sub, digits, decimal, which, context, p) => {
          const list = fixed(digits, decimal);
          const format = list[which % list.length];
          const { input, output: written } = expected(format, wall, sub, p);
          const output = mayShort(input, written);
          const { exporter, logger } = coarse.get(p)!;
          exporter.reset();
          logger.emit({ body: contexts[context](input) });
          expect(exporter.getFinishedLogRecords()[0].body, `${format.name} @${p}ms: ${input}`).toBe(
            contexts[context](output),
          );
        },
      ),
      { numRuns: 600 },
    );
  });

  it('the pre-filter sets the time bit for every value with a date-time the finder rewrites', () => {
    fc.assert(
      fc.property(cases, (c) => {
        if (findTimeEdits(c.input, c.p) !== undefined) expect(classify(c.input) & TIME_CANDIDATE, c.input).not.toBe(0);
      }),
      { numRuns: 1500 },
    );
  });

  it('span events, links and status messages on a real tracer provider', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [
        new PrivacySpanProcessor({ policy: policy(60_000), next: new SimpleSpanProcessor({ exporter }) }),
      ],
    });
    const tracer = provider.getTracer('text-times');
    const linked = tracer.startSpan('linked');
    linked.end();
    const span = tracer.startSpan('work', {
      links: [{ context: linked.spanContext(), attributes: { 'app.note': 'queued Sun, 06 Nov 1994 08:49:37 GMT' } }],
    });
    span.addEvent('retry', { 'app.note': 'at 2026-12-05T10:11:12.345Z', 'app.t0': [1767608142, 123456789] });
    span.setStatus({ code: 2, message: 'timeout at 2026-12-05 10:11:12.345 UTC' });
    span.end();
    const s = exporter.getFinishedSpans().find((x) => x.name === 'work')!;
    expect(s.links[0].attributes).toEqual({ 'app.note': 'queued Sun, 06 Nov 1994 08:49:00 GMT' });
    expect(s.events[0].attributes).toEqual({ 'app.note': 'at 2026-12-05T10:11:00.000Z', 'app.t0': [1767608100, 0] });
    expect(s.status.message).toBe('timeout at 2026-12-05 10:11:00.000 UTC');
  });

  it('a finding overlapping nothing and a date-time in one value: both handled (masked and rounded)', () => {
    const { exporter, logger } = pipelines.get(1000)!;
    exporter.reset();
    logger.emit({ body: '2026-12-05T10:11:12.345678Z jane.doe@example.com signed in' });
    expect(exporter.getFinishedLogRecords()[0].body).toBe('2026-12-05T10:11:12.000000Z [REDACTED:email] signed in');
  });

  it('values.ignoreKeys skips the detectors, not the rounding', () => {
    const p = definePolicy({
      version: 1,
      attributes: { allow: ['app.*'] },
      values: { timestamps: 'coarsen', timestampPrecision: '1m', ignoreKeys: ['app.raw'] },
    });
    expect(p.sanitizer('logs').sanitizeValue('app.raw', 'at 2026-12-05T10:11:12.345Z jane.doe@example.com')).toBe(
      'at 2026-12-05T10:11:00.000Z jane.doe@example.com',
    );
  });

  it('look-alikes are kept: durations, clock times without a date, versions, ids, build numbers', () => {
    const { exporter, logger } = pipelines.get(86_400_000)!;
    const kept = [
      'elapsed 00:01:23.456',
      'uptime 12d 03:04:05',
      'job 20240501-000042',
      'build 20240115.1234',
      'version 2026.12.05',
      'ratio 16:9 at 1080p',
      'span 4bf92f3577b34da6a3ce929d0e0e4736',
      'order 2026-13-05T10:11:12Z',
      'bad 2026-02-30 10:11:12',
      'week 2026-W54-1T10:11:12',
    ];
    for (const text of kept) {
      exporter.reset();
      logger.emit({ body: text });
      expect(exporter.getFinishedLogRecords()[0].body).toBe(text);
    }
  });
});
