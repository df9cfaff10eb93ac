import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, definePolicy } from '../../../index';
import { coarsenIsoString } from '../../../engine/time-precision';

/**
 * The ISO 8601 / RFC 3339 date-time grammar (with seconds) as transformation operators over the canonical form
 * `new Date(ms).toISOString()` (`YYYY-MM-DDTHH:MM:SS.sssZ`): each operator rewrites one production.
 */
interface Form {
  /** Extended (`-`, `:`) or basic (no separators). */
  readonly basic: boolean;
  /** Between date and time: `T`, `t`, or (extended, RFC 3339) a space. */
  readonly sep: 'T' | 't' | ' ';
  /** Decimal sign of the fraction: `.` or `,` (ISO prefers the comma). */
  readonly decimal: '.' | ',';
  /** Fraction digits, 0 (none) to 9; digits past milliseconds are extra sub-millisecond digits. */
  readonly digits: number;
  readonly subMillis: string;
  /** The zone: UTC as Z/z, an offset in minutes written as ±hh (whole hours), ±hhmm or ±hh:mm, or none (local). */
  readonly zone: 'Z' | 'z' | 'hh' | 'hhmm' | 'hh:mm' | 'none';
  readonly offsetMinutes: number;
}

const forms: fc.Arbitrary<Form> = fc
  .record({
    basic: fc.boolean(),
    sep: fc.constantFrom('T' as const, 't' as const, ' ' as const),
    decimal: fc.constantFrom('.' as const, ',' as const),
    digits: fc.integer({ min: 0, max: 9 }),
    subMillis: fc.stringMatching(/^\d{6}$/),
    zone: fc.constantFrom(
      'Z' as const,
      'z' as const,
      'hh' as const,
      'hhmm' as const,
      'hh:mm' as const,
      'none' as const,
    ),
    offsetMinutes: fc.integer({ min: -14 * 60, max: 14 * 60 }),
  })
  // ISO's basic form has no space separator; `±hh` only for whole hours
  .map((f) => ({
    ...f,
    sep: f.basic && f.sep === ' ' ? 'T' : f.sep,
    offsetMinutes: f.zone === 'hh' ? Math.trunc(f.offsetMinutes / 60) * 60 : f.offsetMinutes,
  }));

/** `ms` written in `form` (the wall-clock time at the offset), and the instant it denotes, to the millisecond. */
function render(ms: number, form: Form): { text: string; instant: number } {
  const offset = form.zone === 'hh' || form.zone === 'hhmm' || form.zone === 'hh:mm' ? form.offsetMinutes : 0;
  const canonical = new Date(ms + offset * 60_000).toISOString();
  let date = canonical.slice(0, 10);
  let time = canonical.slice(11, 19);
  const fraction = `${canonical.slice(20, 23)}${form.subMillis}`.slice(0, form.digits);
  if (form.basic) {
    date = date.replace(/-/g, '');
    time = time.replace(/:/g, '');
  }
  const sign = offset < 0 ? '-' : '+';
  const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const mm = String(Math.abs(offset) % 60).padStart(2, '0');
  const zone = {
    Z: 'Z',
    z: 'z',
    none: '',
    hh: `${sign}${hh}`,
    hhmm: `${sign}${hh}${mm}`,
    'hh:mm': `${sign}${hh}:${mm}`,
  }[form.zone];
  const text = `${date}${form.sep}${time}${fraction === '' ? '' : `${form.decimal}${fraction}`}${zone}`;
  const kept = Number(`0.${fraction.slice(0, 3).padEnd(3, '0')}`) * 1000;
  return { text, instant: ms - (ms % 1000) + Math.round(kept) };
}

const precisions = [1, 10, 250, 1000, 60_000, 3_600_000, 86_400_000, 2 * 86_400_000, 7 * 86_400_000, 30 * 86_400_000];
const times = fc.integer({ min: 946_684_800_000, max: 4_102_444_799_999 });

describe('values.timestamps: coarsen reads every ISO 8601 / RFC 3339 date-time form', () => {
  it('each form is read as the instant it denotes and rounded down (never later, a multiple, idempotent)', () => {
    fc.assert(
      fc.property(times, forms, fc.constantFrom(...precisions), (ms, form, p) => {
        const { text, instant } = render(ms, form);
        const out = coarsenIsoString(text, p);
        const expected = instant - (instant % p);
        const finer = form.digits > 3 || instant !== expected;
        if (!finer && out === undefined) return; // already that coarse
        expect(out, text).toBeDefined();
        const zoned = form.zone === 'none' ? `${out}Z` : out!;
        // written back in UTC (a string without a zone keeps none: its wall clock, rounded, read here as UTC)
        expect(Date.parse(zoned), text).toBe(expected);
        expect(coarsenIsoString(out!, p), out).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });

  it('no false positives: versions, ids, order numbers, dates without seconds, out-of-range fields', () => {
    const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^\\d{${min},${max}}$`));
    const notTimes = fc.oneof(
      fc.tuple(fc.nat(99), fc.nat(99), fc.nat(999)).map(([a, b, c]) => `${a}.${b}.${c}`),
      fc.tuple(fc.nat(20), fc.nat(99), digits(8, 14)).map(([a, b, d]) => `${a}.${b}.0-${d}`),
      fc.uuid(),
      digits(8, 20),
      digits(8, 20).map((d) => `ORD-${d}`),
      fc.tuple(times, forms).map(([ms, f]) => `${render(ms, f).text}x`), // a time followed by more text
      fc.tuple(times, forms).map(([ms, f]) => `id ${render(ms, f).text}`),
      fc.tuple(times).map(([ms]) => new Date(ms).toISOString().slice(0, 16)), // minutes only
      fc.tuple(times).map(([ms]) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '')), // a date only
      fc
        .tuple(times, fc.constantFrom('13', '00'))
        .map(([ms, mo]) => `2026-${mo}-${new Date(ms).toISOString().slice(8)}`),
      fc.tuple(times).map(([ms]) => `${new Date(ms).toISOString().slice(0, 11)}24:00:00Z`),
      fc.constant('2026-02-30T10:11:12Z'),
    );
    fc.assert(
      fc.property(notTimes, fc.constantFrom(...precisions), (text, p) => {
        expect(coarsenIsoString(text, p), text).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });

  it('the forms the attack used, through a real span provider', () => {
    const policy = definePolicy({
      version: 1,
      attributes: { allow: ['app.*'] },
      values: { timestamps: 'coarsen', timestampPrecision: '1m' },
    });
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
    });
    provider
      .getTracer('t')
      .startSpan('x', {
        attributes: {
          'app.comma': '2026-12-05T10:11:12,123456Z',
          'app.basic': '20261205T101112.123Z',
          'app.space': '2026-12-05 10:11:12+0530',
          'app.colon': '2026-12-05T10:11:12.1+05:30',
          'app.nine': '2026-12-05T10:11:12.123456789-08:00',
          'app.version': '20.11.12',
          'app.order': '20261205101112',
        },
      })
      .end();
    expect(exporter.getFinishedSpans()[0].attributes).toEqual({
      'app.comma': '2026-12-05T10:11:00Z',
      'app.basic': '2026-12-05T10:11:00Z',
      'app.space': '2026-12-05T04:41:00Z',
      'app.colon': '2026-12-05T04:41:00Z',
      'app.nine': '2026-12-05T18:11:00Z',
      'app.version': '20.11.12',
      'app.order': '20261205101112',
    });
  });
});
