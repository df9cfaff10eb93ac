import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../index';
import { luhnCheckDigit } from './canaries';
import { privacyPipelines } from './helpers/outside-attack';

// A detector's boundary rule, attacked from outside: a canary of each numeric detector (payment card, US SSN, phone,
// IPv4) with one character directly before or after it, drawn by character class: every printable ASCII character,
// and non-ASCII letters, marks, numbers, punctuation and symbols by Unicode general category (all of the Basic
// Multilingual Plane's code points of that category). Sent with the default policy through real SDK providers into the
// free-text fields the policy keeps and scans (tracer version, span name, the allowed `error.type` attribute, a log
// body); no four digits of the canary may be exported. The only neighbours that may hide a number are the ones
// docs/detectors.md names for that detector (a digit always continues a number).

const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x3c).toString('base64')}`; // fake test key
const { tracerProvider, loggerProvider, exportedJson } = privacyPipelines(defaultPolicy());
afterAll(() => {
  if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
});

/** Every BMP code point above ASCII (no surrogates) of the general category `re` matches. */
function category(re: RegExp): number[] {
  const out: number[] = [];
  for (let c = 0xa0; c < 0xfffe; c++) if ((c < 0xd800 || c > 0xdfff) && re.test(String.fromCharCode(c))) out.push(c);
  return out;
}
const UNICODE_CLASSES = [/\p{L}/u, /\p{M}/u, /\p{Nl}|\p{No}/u, /\p{P}/u, /\p{S}/u].map(category);

/** One neighbour character: printable ASCII, or a non-ASCII letter, mark, number, punctuation or symbol. */
const neighbour: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 33, max: 126 }).map((c) => String.fromCharCode(c)),
  fc
    .integer({ min: 0, max: UNICODE_CLASSES.length - 1 })
    .chain((k) => fc.constantFrom(...UNICODE_CLASSES[k]).map((c) => String.fromCharCode(c))),
);

const digit = fc.integer({ min: 0, max: 9 });
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));

/** A Luhn-valid 16-digit Visa-shaped number (fake). */
const cardDigits = digits(14).map((d) => `4${d}${luhnCheckDigit(`4${d}`)}`);
const group4 = (s: string, sep: string) => s.replace(/(\d{4})(?=\d)/g, `$1${sep}`);

interface Canary {
  readonly kind: 'card' | 'ssn' | 'phone' | 'intl-phone' | 'ipv4';
  readonly text: string;
  readonly digits: string;
}
const card: fc.Arbitrary<Canary> = fc
  .tuple(cardDigits, fc.constantFrom('', ' ', '-'))
  .map(([d, sep]) => ({ kind: 'card', text: group4(d, sep), digits: d }));
const ssn: fc.Arbitrary<Canary> = fc
  .tuple(fc.integer({ min: 100, max: 665 }), fc.integer({ min: 10, max: 99 }), fc.integer({ min: 1000, max: 9999 }))
  .map(([a, g, s]) => ({ kind: 'ssn', text: `${a}-${g}-${s}`, digits: `${a}${g}${s}` }));
/** North American numbers (area and exchange 2-9, area's middle digit not 9) in their written layouts. */
const nanp: fc.Arbitrary<Canary> = fc
  .tuple(
    fc.integer({ min: 2, max: 9 }),
    fc.integer({ min: 0, max: 8 }),
    digit,
    fc.integer({ min: 200, max: 999 }),
    fc.integer({ min: 1000, max: 9999 }).map(String), // a later group starting `00` reads as a sequence (`001 002`)
    fc.constantFrom('a-e-l', '(a) e-l', 'a.e.l', '+1 a e l', '+1-a-e-l'),
  )
  .map(([a0, a1, a2, e, l, layout]) => {
    const area = `${a0}${a1}${a2}`;
    const text = layout.replace('a', area).replace('e', String(e)).replace('l', l);
    return { kind: text.startsWith('+') ? 'intl-phone' : 'phone', text, digits: `${area}${e}${l}` };
  });
const ukPhone: fc.Arbitrary<Canary> = fc.integer({ min: 100, max: 999 }).map((d) => ({
  kind: 'intl-phone',
  text: `+44 20 7946 0${d}`,
  digits: `2079460${d}`,
}));
/** Documentation-range-like addresses with a first octet of 100 or more (smaller quads glued to `v` are versions). */
const ipv4: fc.Arbitrary<Canary> = fc
  .tuple(
    fc.integer({ min: 100, max: 223 }).filter((o) => o !== 127),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 1, max: 254 }),
  )
  .map((o) => ({ kind: 'ipv4', text: o.join('.'), digits: o.join('') }));
const canary = fc.oneof(card, ssn, nanp, ukPhone, ipv4);

const ASCII_LETTER = /^[A-Za-z]$/;
/**
 * The neighbours docs/detectors.md says hide a number of this kind on that side (besides digits): a phone number
 * glued to ASCII letters, `_`, an id or currency sign, or inside a longer dotted, dashed or slashed run; an IPv4
 * address inside a longer dotted or dashed run.
 */
function documentedGlue(kind: Canary['kind'], side: 'left' | 'right', c: string): boolean {
  if (/^\d$/.test(c)) return true;
  if (kind === 'phone' || kind === 'intl-phone') {
    if (side === 'left') return (kind === 'phone' && ASCII_LETTER.test(c)) || '_#$%&@\\)-./+€£¥'.includes(c);
    return kind === 'phone' && (ASCII_LETTER.test(c) || c === '_');
  }
  if (kind === 'ipv4') return side === 'left' && (c === '-' || c === '.');
  return false;
}

/** The free-text strings exported for one value: tracer version, span name, `error.type`, log body. */
function exportedTexts(value: string): string[] {
  tracerProvider
    .getTracer('boundaries', value)
    .startSpan(`GET ${value}`, { attributes: { 'error.type': value } })
    .end();
  loggerProvider.getLogger('boundaries').emit({ body: `paid with ${value}` });
  const [traces, logs] = exportedJson().split('\n');
  const out: string[] = [];
  for (const rs of JSON.parse(traces).resourceSpans)
    for (const ss of rs.scopeSpans) {
      out.push(String(ss.scope.version));
      for (const span of ss.spans) {
        out.push(span.name);
        for (const a of span.attributes) out.push(String(a.value.stringValue));
      }
    }
  for (const rl of JSON.parse(logs).resourceLogs)
    for (const sl of rl.scopeLogs) for (const lr of sl.logRecords) out.push(String(lr.body.stringValue));
  return out;
}

/** Every four consecutive digits of the canary that an exported string still holds (digits read without separators). */
function leakedDigits(texts: string[], canaryDigits: string): string[] {
  const leaks: string[] = [];
  for (const t of texts) {
    const d = t.replace(/\D/g, '');
    for (let k = 0; k + 4 <= canaryDigits.length; k++) {
      const window = canaryDigits.slice(k, k + 4);
      if (d.includes(window)) leaks.push(`${window} in ${JSON.stringify(t)}`);
    }
  }
  return leaks;
}

/** A word after the neighbour (separated, or glued after an opening bracket: a remark such as `(cell)`). */
function tail(c: string): fc.Arbitrary<string> {
  const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 1, maxLength: 6 });
  return '([{<'.includes(c)
    ? fc.oneof(
        fc.constant(''),
        word.map((w) => ` ${w}`),
        word.map((w) => `${w}${')]}>'['([{<'.indexOf(c)]}`),
      )
    : fc.oneof(
        fc.constant(''),
        word.map((w) => ` ${w}`),
      );
}

describe('numeric detectors: one character of any class directly before or after the number (property)', () => {
  it('no four digits of the number are exported, unless the neighbour is documented glue', () => {
    const placed = fc
      .tuple(canary, neighbour, fc.constantFrom<'left' | 'right'>('left', 'right'), fc.constantFrom('', 'x ', 'Call '))
      .filter(([can, c, side]) => !documentedGlue(can.kind, side, c))
      .chain(([can, c, side, head]) =>
        tail(c).map((after) => ({
          can,
          value: side === 'left' ? `${head}${c}${can.text}` : `${head}${can.text}${c}${after}`,
        })),
      );
    fc.assert(
      fc.property(placed, ({ can, value }) => {
        expect(leakedDigits(exportedTexts(value), can.digits), value).toEqual([]);
      }),
      { numRuns: 700 },
    );
  });

  it('no four digits of a card after or before a version, date or count joined by punctuation', () => {
    const version = fc
      .tuple(
        fc.constantFrom('', 'v', 'V', 'r', 'rel'),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 3 }),
      )
      .map(([w, parts]) => w + parts.join('.'));
    fc.assert(
      fc.property(
        card,
        version,
        fc.constantFrom(...'-/_:|+*~'),
        fc.boolean(),
        fc.constantFrom('', 'paid ', 'build '),
        (can, v, joint, before, head) => {
          const value = before ? `${head}${v}${joint}${can.text}` : `${head}${can.text}${joint}${v}`;
          expect(leakedDigits(exportedTexts(value), can.digits), value).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('no four digits of a card written as a number: thousands grouping, scientific notation', () => {
    fc.assert(
      fc.property(
        cardDigits,
        fc.constantFrom(',', '.', ' ', '_', '\u2009', '\u202f'),
        fc.constantFrom('e', 'E', 'e+', 'E+'),
        fc.boolean(),
        fc.constantFrom('', 'amount ', 'x='),
        (d, sep, exp, scientific, head) => {
          const written = scientific
            ? `${d[0]}.${d.slice(1)}${exp}${d.length - 1}`
            : d.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
          expect(leakedDigits(exportedTexts(head + written), d), head + written).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a UUID whose last group is twelve digits that pass the card checks is exported as written (no punctuation joint)', () => {
    const hex = (n: number) =>
      fc.array(fc.constantFrom(...'0123456789abcdef'), { minLength: n, maxLength: n }).map((d) => d.join(''));
    // A Maestro-shaped 12-digit group (prefix 56-69, Luhn-valid).
    const group = fc
      .tuple(fc.integer({ min: 56, max: 69 }), digits(9))
      .map(([p, d]) => `${p}${d}${luhnCheckDigit(`${p}${d}`)}`);
    fc.assert(
      fc.property(hex(8), hex(4), hex(4), hex(4), group, (a, b, c, d, e) => {
        const uuid = `${a}-${b}-${c}-${d}-${e}`;
        tracerProvider
          .getTracer('boundaries')
          .startSpan('uuid', { attributes: { 'error.type': uuid } })
          .end();
        const span = JSON.parse(exportedJson().split('\n')[0]).resourceSpans[0].scopeSpans[0].spans[0];
        expect(span.attributes[0].value.stringValue).toBe(uuid);
      }),
      { numRuns: 100 },
    );
  });

  it('a UUID made mostly of decimal digits is exported as written, whichever group looks like a number', () => {
    // Groups drawn digit-heavy, with the shapes numeric detectors read: an international `00` prefix and country code,
    // a North American area code, a Luhn-valid run; letters only where a group happens to draw one.
    const group = (n: number) =>
      fc.oneof(
        fc.array(fc.constantFrom(...'0123456789012345678901234567890123456789abcdef'), { minLength: n, maxLength: n }),
        fc
          .tuple(fc.constantFrom('00', '001', '0044', '0040', '00', '1', '2', '4', '5'), digits(n))
          .map(([head, d]) => [...(head + d).slice(0, n)]),
      );
    const uuid = fc
      .tuple(group(8), group(4), group(4), group(4), group(12))
      .map((gs) => gs.map((g) => g.join('')).join('-'));
    fc.assert(
      fc.property(uuid, fc.constantFrom('', 'id ', 'request '), (id, head) => {
        tracerProvider
          .getTracer('boundaries')
          .startSpan('uuid', { attributes: { 'error.type': head + id } })
          .end();
        const span = JSON.parse(exportedJson().split('\n')[0]).resourceSpans[0].scopeSpans[0].spans[0];
        expect(span.attributes[0].value.stringValue).toBe(head + id);
      }),
      { numRuns: 300 },
    );
    // found by a draw: `ba87…` reads as a Bosnian IBAN's country code and check digits, and its groups' digits and
    // letters passed the check sum by chance
    const drawn = 'ba8772e3-4668-1041-0037-000000000000';
    tracerProvider
      .getTracer('boundaries')
      .startSpan('uuid', { attributes: { 'error.type': drawn } })
      .end();
    const span = JSON.parse(exportedJson().split('\n')[0]).resourceSpans[0].scopeSpans[0].spans[0];
    expect(span.attributes[0].value.stringValue).toBe(drawn);
  });
});
