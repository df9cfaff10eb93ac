import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectorNames } from '../../../policy/schema';
import { NEEDS_RUNS, NEEDS_VIEW, PREPASS_FLAGS } from '../../../engine/detectors/normalizer';
import { OBFUSCATION_HINT, emailDetector, findAt } from '../../../engine/detectors/email';
import {
  CANDIDATE,
  EMAIL_OBFUSCATION,
  SPACED_CANDIDATE,
  OBFUSCATION_HINT_DERIVED_FROM,
  TIME_CANDIDATE,
  TIME_TRIGGER_DERIVED_FROM,
  classify,
  conditionIsCurrent,
  digitsOf,
} from '../../../engine/detectors/prefilter';
import { builtInDetectors } from '../../../engine/detectors/registry';
import { spacedView } from '../../../engine/detectors/spaced-view';
import { createValueScanner } from '../../../engine/detectors/value-scanner';
import type { ValueScannerOptions } from '../../../engine/detectors/value-scanner';
import { corpus, seedValues } from './testdata/corpus';
import { generateNegatives, generatePositives, operators, prng } from './testdata/generate';
import { prepass } from './testdata/reference-prepass';
import { TIME_TRIGGER, findTimeEdits } from '../../../engine/time-in-text';

// The single-pass pre-filter (`classify`) only decides which detectors run and whether a value is normalized; the
// detectors themselves are the oracle. Every property compares the scanner with the pre-filter against the same
// scanner without it (`prefilter: false`: every detector's own `mayMatch` decides, every value goes through the
// normalized path), and each candidate bit against the detector's own necessary condition.

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Fragments of every detector's trigger, separators and representation tricks, for strings built from them. */
const fragments = fc.constantFrom(
  ...'aZ09@.:-_/+=%?&#()[]{}<>"\'` \n\t\r\x00\x7fEeyJBbDAKIkKxXsS$,;*!|\\é€\u00a0\u200b＠１'.split(''),
  'eyJ',
  'eyJhbGciOiJIUzI1NiJ9',
  '://',
  'https://',
  '-----BEGIN ',
  'PRIVATE KEY-----',
  '-----END ',
  'Bearer ',
  'bearer',
  'BASIC ',
  'Token ',
  'token=',
  'Authorization: ',
  'AKIA',
  'akia',
  'ASIA',
  'ANVA',
  'secret_access_key=',
  'AWS_SECRET',
  'ghp_',
  'github_pat_',
  'glpat-',
  'xoxb-',
  'sk_live_',
  'rk_test_',
  'npm_',
  'AIza',
  'SG.',
  'sk-',
  'sk-ant-api03-',
  'hf_',
  'dckr_pat_',
  'shpat_',
  'pypi-AgE',
  'hooks.slack.com/services/',
  'ya29.',
  'GOCSPX-',
  'whsec_',
  'SK',
  '2001:db8::',
  'fe80::1',
  '::ffff:',
  '.ipv6-literal.net',
  'IPV6-LITERAL.NET',
  '203.0.113.',
  'ip-10-0-',
  '4111',
  '1111',
  '+44 20 ',
  '(202) 555-',
  '0044',
  '123-45-',
  'ssn ',
  'DE89',
  'GB82 WEST ',
  'EUR',
  'EURDE89',
  '0130 00EUR',
  'EUR100.00',
  'EUR1,000.00DE89',
  '?31',
  '?31DE89',
  'ACCT',
  'acctDE89',
  '€',
  '%40',
  '%2540',
  '&#64;',
  '&commat;',
  '\\u0040',
  ' (at) ',
  '[dot]',
  ' dot ',
  '(.)',
  ' at ',
  b64('jane@example.com'),
  Buffer.from('jane@example.com').toString('hex'),
  'MTExLTIyLTMzMzM=',
  // Lone and nested quoted-printable triplets (separators, `@`, escape syntax), written by another escape too, and a
  // query string's `key=value` they must not be confused with.
  '=20',
  '=2E',
  '=2D',
  '=40',
  '=3D',
  '=3D40',
  '%3D40',
  '%3d',
  '=7B',
  '=7D',
  '=5C',
  '=26#',
  '=\r\n',
  'status=200 ',
  'page=1&',
  // Base64 written in separated groups.
  b64('jane@example.com').replace(/(.{4})(?!$)/g, '$1 '),
  b64('4111111111111111').replace(/(.{4})(?!$)/g, '$1-'),
  'ZXhh',
  'amFu ',
  // Home-directory paths (rewritten before the scanner in a policy).
  '/home/',
  '/Users/',
  '\\Users\\',
  'C:\\',
);

/** Appends the Luhn check digit to `digits`. */
function withLuhn(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return digits + String((10 - (sum % 10)) % 10);
}

/**
 * Card numbers of every issuer prefix and length 12-19 (Luhn-valid), grouped by 1-5 digits with the separators
 * people write, in a little text: the shortest chains the pre-filter must pass.
 */
const cardLike = fc
  .tuple(
    fc.constantFrom('4', '51', '2221', '34', '37', '6011', '65', '3528', '300', '36', '62', '2200', '50', '56', '69'),
    fc.integer({ min: 12, max: 19 }),
    fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 19, maxLength: 19 }),
    fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 8 }),
    fc.constantFrom(' ', '-', '.', '', ' - ', 'x', '\t', ':', '|', '/', '+', '  ', ',', '\r\n', '_'),
    fc.constantFrom('', 'card ', 'CC', 'paid with ', '#', 'ref-'),
    fc.constantFrom('', '.', ' ok', '.00', 'n'),
  )
  .map(([prefix, length, body, sizes, sep, before, after]) => {
    const number = withLuhn((prefix + body).slice(0, length - 1));
    let out = '';
    let at = 0;
    for (let k = 0; at < number.length; k++) {
      const size = sizes[k % sizes.length];
      out += (at > 0 ? sep : '') + number.slice(at, at + size);
      at += size;
    }
    return before + out + after;
  });

/** A code point of a separator category (`P S Z Cc Nl No`): what the spaced view reads between characters. */
const separatorChar = fc
  .oneof(
    fc.integer({ min: 0, max: 0x7f }),
    fc.integer({ min: 0x80, max: 0x3000 }),
    fc.integer({ min: 0, max: 0x10ffff }),
  )
  .map((cp) => String.fromCodePoint(cp))
  .filter((ch) => /^[\p{P}\p{S}\p{Z}\p{Cc}\p{Nl}\p{No}]$/u.test(ch));

/** What people and attackers write apart: card numbers, phones, addresses, SSNs, IBANs, words. */
const spacedPayload = fc.oneof(
  cardLike.map((v) => v.replace(/\D/g, '')),
  fc.constantFrom('4111111111111111', '+12025550123', '2025550123', '078-05-1120', 'DE89370400440532013000'),
  fc.constantFrom('jane@example.com', 'fake.user@example.org', 'j.doe@mail.example'),
  fc.stringMatching(/^[a-z0-9@.+-]{4,24}$/),
);

/**
 * The spaced forms (`spaced-view.ts`) in a little text: one separator (1-3 units, any separator category) between
 * every character; digit groups 5-64 blanks apart, or one `ⅼ` (U+217C) or other separator apart; a phone across a
 * line break.
 */
const spacedForm = fc
  .tuple(
    fc.oneof(
      fc
        .tuple(spacedPayload, separatorChar, fc.integer({ min: 1, max: 3 }))
        .map(([v, sep, k]) => [...v].join(sep.repeat(k))),
      fc
        .tuple(
          fc.array(fc.stringMatching(/^[0-9]{2,5}$/), { minLength: 2, maxLength: 6 }),
          fc.oneof(
            fc.integer({ min: 5, max: 64 }).map((k) => ' '.repeat(k)),
            fc.integer({ min: 1, max: 66 }).map((k) => '\t '.repeat(k).slice(0, k)),
            fc.constant('\u217c'),
            separatorChar,
          ),
        )
        .map(([groups, sep]) => groups.join(sep)),
      fc
        .tuple(fc.constantFrom('+1 202', '(202)', '+44 20', '020'), fc.constantFrom('\n', '\r\n', ' \n ', '-\n'))
        .map(([head, br]) => head + br + '555 0123'),
    ),
    fc.constantFrom('', 'card ', 'call me: ', 'mail ', '/api/', 'x'),
    fc.constantFrom('', '.', ' ok', ' thanks', '?page=2'),
  )
  .map(([form, before, after]) => before + form + after);

/** Strings: arbitrary, binary, built from the fragments, and words joined like the normalizer tests' values. */
const text = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.string({ unit: fragments, maxLength: 40 }),
  fc.string({ unit: fragments, maxLength: 12 }),
  fc.stringMatching(/^[A-Za-z0-9+/_=.:@-]{1,80}$/),
  fc.stringMatching(/^[0-9 .()/+x_:-]{6,40}$/),
  cardLike,
  spacedForm,
  fc.string({ unit: fc.oneof(fragments, separatorChar), maxLength: 40 }),
);

/** Values from the labeled corpora: the hand corpus, every seed through every operator, look-alike negatives. */
const corpusValues = [
  ...corpus.map((s) => s.text),
  ...generatePositives(seedValues).map((s) => s.text),
  ...generateNegatives(40).map((s) => s.text),
];

const base: ValueScannerOptions = { detectors: 'all', action: 'mask', mask: '[{type}]', cleanCacheSize: 0 };

/** The scanner with the pre-filter and its oracle without it, for one set of options. */
function pair(options: ValueScannerOptions) {
  return {
    fused: createValueScanner(options),
    oracle: createValueScanner({ ...options, prefilter: false }),
  };
}

function expectSame(scanners: ReturnType<typeof pair>, value: string): void {
  const got = scanners.fused.scan(value);
  const want = scanners.oracle.scan(value);
  expect({ input: value, ...got }).toEqual({ input: value, ...want });
  expect(scanners.fused.findingTypes(value)).toEqual(scanners.oracle.findingTypes(value));
}

const option = {
  all: base,
  custom: { ...base, custom: [{ name: 'order', pattern: 'ORD-\\d{4,}' }] },
  subset: { ...base, detectors: ['jwt', 'phone', 'ipv6'] as const },
  normalizeOff: { ...base, normalize: false },
  short: { ...base, maxScanLength: 48 },
  // values.timestamps: coarsen: date-times in text rounded in the same pass (the time bit decides)
  times: { ...base, timestampPrecision: 60_000 },
} satisfies Record<string, ValueScannerOptions>;

describe('single-pass pre-filter: same findings and output as every detector on every value', () => {
  for (const [name, options] of Object.entries(option)) {
    it(`generated strings (${name})`, () => {
      const scanners = pair(options);
      fc.assert(
        fc.property(text, (value) => expectSame(scanners, value)),
        { numRuns: name === 'all' ? 4000 : 1500 },
      );
    });
  }

  // Every corpus value through two scanners: about 25 s on a loaded two-core machine, so a longer limit than the 30 s
  // default (no timing is asserted).
  it('the labeled corpora (every seed through every operator, look-alike negatives)', { timeout: 120_000 }, () => {
    const scanners = pair(base);
    for (const value of corpusValues) expectSame(scanners, value);
    expect(corpusValues.length).toBeGreaterThan(1000);
  });

  it('operators applied to corpus values and to fragment strings', () => {
    const scanners = pair(base);
    const rnd = prng(17);
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...corpusValues), text), fc.nat(operators.length - 1), (value, k) => {
        expectSame(scanners, operators[k].apply(value, rnd));
      }),
      { numRuns: 3000 },
    );
  });

  it('redactTransformed agrees too (raw and rewritten values)', () => {
    const scanners = pair(base);
    fc.assert(
      fc.property(text, text, (raw, suffix) => {
        const transformed = raw.slice(0, raw.length >> 1) + suffix;
        expect(scanners.fused.redactTransformed(raw, transformed)).toBe(
          scanners.oracle.redactTransformed(raw, transformed),
        );
      }),
      {
        numRuns: 1500,
        // Found by this property: UTF-7 forms the pre-filter did not send to the view (`+0000+ref-` decodes to
        // another script and takes the `ref-` label before a card with it; `+--` becomes `+` in two rounds).
        examples: [
          ['ref-4000+0000+0000+0000+6.00', 'ref-4000 0000 0000 6'],
          ['x', '+--2026-12-05'],
          ['x', 'jane+-AEA-example.com'],
        ],
      },
    );
  });
});

/**
 * Log bodies and free text: words, obfuscation look-alikes (` dot `, `(at)`, `[.]`), non-ASCII and fake addresses
 * (plain, spaced, obfuscated, `%40`) at any position, several per value, at the very start or end.
 */
const logBody = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'order',
        'lookup failed for',
        'after 42 ms',
        'user',
        'DOT',
        'dot',
        '(at)',
        '[.]',
        '(dot)',
        '<at>',
        'at',
        'é',
        'Ünïcødé',
        '＠',
        '\u00a0',
        'x@y',
        '@',
        'icon@2x.png',
        'lodash@4.17.21',
        '12345',
        'fake-user-77',
        '(',
        '[d',
        '{a',
      ),
      fc
        .tuple(
          fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,12}$/),
          fc.constantFrom('@', ' @ ', '%40', '(at)', ' [at] ', ' at '),
          fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
          fc.constantFrom('.', ' dot ', '[.]', '(dot)'),
          fc.constantFrom('com', 'org', 'example', 'de', 'png'),
        )
        .map((parts) => parts.join('')),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .chain((words) =>
    fc
      .array(fc.constantFrom(' ', '', ', ', '\t', ' (', ') ', ': ', '\u00a0', '"'), {
        minLength: words.length,
        maxLength: words.length,
      })
      .map((seps) => words.map((w, i) => (i > 0 ? seps[i] : '') + w).join('')),
  );

describe('email without EMAIL_OBFUSCATION: its find is findAt', () => {
  it('the bit was derived from the current obfuscation hint', () => {
    // A failure here: email.ts's OBFUSCATION_HINT changed; the scanner ignores the bit (runs the full `find`) until
    // the condition in engine/detectors/prefilter.ts is revisited and OBFUSCATION_HINT_DERIVED_FROM updated.
    expect(OBFUSCATION_HINT.source).toBe(OBFUSCATION_HINT_DERIVED_FROM);
    expect(OBFUSCATION_HINT.flags).toBe('i');
  });

  const check = (value: string) => {
    if ((classify(value) & EMAIL_OBFUSCATION) !== 0) return;
    expect({ value, hint: OBFUSCATION_HINT.test(value) }).toEqual({ value, hint: false });
    const full: { start: number; end: number; type: string }[] = [];
    const plain: { start: number; end: number; type: string }[] = [];
    emailDetector.find(value, full);
    // As the scanner calls it: without NEEDS_VIEW, no `%40` search.
    findAt(value, plain, (classify(value) & NEEDS_VIEW) !== 0);
    expect(plain).toEqual(full);
  };

  it('a text with %40 anywhere has NEEDS_VIEW (findAt skips its %40 search without it)', () => {
    const withPercent40 = fc
      .tuple(fc.oneof(text, logBody), fc.nat(), fc.constantFrom('%40', '%40example.com', 'jane%40example.com'))
      .map(
        ([value, at, piece]) => value.slice(0, at % (value.length + 1)) + piece + value.slice(at % (value.length + 1)),
      );
    fc.assert(
      fc.property(withPercent40, (value) => {
        expect({ value, needsView: (classify(value) & NEEDS_VIEW) !== 0 }).toEqual({ value, needsView: true });
        check(value);
      }),
      { numRuns: 3000 },
    );
  });

  it('the bit is a necessary condition of the hint (generated strings, log bodies, corpora)', () => {
    fc.assert(fc.property(fc.oneof(text, logBody), check), { numRuns: 6000 });
    for (const value of corpusValues) check(value);
  });

  it('log bodies with addresses anywhere: the scanner agrees with its oracle', () => {
    const scanners = pair(base);
    fc.assert(
      fc.property(logBody, (value) => expectSame(scanners, value)),
      { numRuns: 4000 },
    );
  });

  it('obfuscated and plain addresses in one value are both found (the bit is set, the full find runs)', () => {
    const scanner = createValueScanner(base);
    expect(scanner.redact('mail jane@example.com or john (at) example dot com now')).toBe(
      'mail [email] or [email] now',
    );
    expect(scanner.redact('order lookup failed for fake1@example.com after 4 ms')).toBe(
      'order lookup failed for [email] after 4 ms',
    );
  });
});

describe('classify: each candidate bit is a necessary condition of its detector', () => {
  // A detector the pre-filter skips (bit unset, or fewer digits than its `minDigits`) finds nothing in the value.
  const check = (value: string) => {
    const bits = classify(value);
    for (const name of detectorNames) {
      const d = builtInDetectors[name];
      if ((bits & CANDIDATE[name]) !== 0 && digitsOf(bits) >= (d.minDigits ?? 0)) continue;
      const found: { start: number; end: number; type: string }[] = [];
      if (d.mayMatch(value)) d.find(value, found);
      expect({ value, name, found }).toEqual({ value, name, found: [] });
    }
  };

  it('on generated strings', () => {
    fc.assert(fc.property(text, check), { numRuns: 6000 });
  });

  it('on the labeled corpora', () => {
    for (const value of corpusValues) check(value);
  });

  it('counts ASCII digits', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789ab .-'.split('')), maxLength: 300 }), (value) => {
        expect(digitsOf(classify(value))).toBe(Math.min(255, value.replace(/\D/g, '').length));
      }),
    );
  });

  it('clean telemetry values set few or no bits', () => {
    const clean = [
      'GET /api/v2/orders/{id}/items',
      'https://shop.example/api/v2/orders?page=3&sort=date',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
      'SELECT id, total FROM orders WHERE id = ? LIMIT 20',
      'OrderService.getUserByIdAsync',
      'checkout-7f9c4d6b8-x2x9z',
    ];
    const set = clean.map((value) =>
      detectorNames.filter((name) => (classify(value) & CANDIDATE[name]) !== 0).join(','),
    );
    // The user agent's `Chrome/126.0.0.0` has the shape of a dotted quad.
    expect(set).toEqual(['', '', 'ipv4', '', '', '']);
  });
});

describe('SPACED_CANDIDATE on clean values', () => {
  it('a digit, a closing bracket or quote and a blank before a word (prose, SQL, user agents) leave it off', () => {
    // The spaced view roughly doubles a value's scan: ordinary text must not build it. Generated: a number, one
    // unread closing character and one blank before a word, as prose, SQL literals and user agents write them.
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z]{1,8}-?[0-9]{1,6}$/),
        fc.constantFrom(')', "'", '"', ']', '}', '>'),
        fc.constantFrom(' ', '\t'),
        fc.stringMatching(/^[A-Za-z]{1,10}$/),
        (word, close, blank, next) => {
          const value = `failed for (${word}${close}${blank}${next} after 42 ms`;
          expect({ value, spaced: (classify(value) & SPACED_CANDIDATE) !== 0 }).toEqual({ value, spaced: false });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('SPACED_CANDIDATE: a necessary condition of the spaced view', () => {
  // The scanner builds the view only when the bit is set: a value without it must have no view at all.
  const check = (value: string) => {
    if ((classify(value) & SPACED_CANDIDATE) !== 0) return;
    expect({ value, view: spacedView(value)?.text }).toEqual({ value, view: undefined });
  };

  it('on spaced forms, generated strings and the corpora', () => {
    fc.assert(fc.property(fc.oneof(spacedForm, text, logBody), check), { numRuns: 8000 });
    for (const value of corpusValues) check(value);
  });

  it('the scanner with the pre-filter finds the spaced forms its oracle finds', () => {
    const scanners = pair(base);
    fc.assert(
      fc.property(spacedForm, (value) => expectSame(scanners, value)),
      { numRuns: 3000 },
    );
  });
});

describe('conditions follow the detectors', () => {
  it('every built-in detector still has the trigger and digit minimum its condition was derived from', () => {
    // A failure here: a detector's trigger or `minDigits` changed; the scanner runs it on every value (correct, but
    // slower) until its condition in engine/detectors/prefilter.ts is revisited and `DERIVED_FROM` updated.
    expect(detectorNames.filter((name) => !conditionIsCurrent(builtInDetectors[name]))).toEqual([]);
  });

  it('a changed trigger, flag or digit minimum is noticed (the detector then runs on every value)', () => {
    const phone = builtInDetectors.phone;
    expect(conditionIsCurrent({ ...phone, trigger: /\d(?:[ .\-/()]{0,3}\d){6}/ })).toBe(false);
    expect(conditionIsCurrent({ ...phone, trigger: new RegExp(phone.trigger.source, 'i') })).toBe(false);
    expect(conditionIsCurrent({ ...phone, minDigits: 7 })).toBe(false);
    expect(conditionIsCurrent({ ...phone, name: 'phone-2' })).toBe(false);
    expect(conditionIsCurrent({ ...phone })).toBe(true);
  });
});

describe('classify: the normalization flags include the old pre-pass flags', () => {
  const flags = (bits: number) => ((bits & NEEDS_VIEW) !== 0 ? NEEDS_VIEW : bits & NEEDS_RUNS);
  // The encoded forms added since (`encoded-forms.ts`: UTF-7, `%u`, separated hex, byte lists, lower-cased,
  // reversed and compressed base64, UTF-16 in other scripts) set more; never less than the old pre-pass.
  const rank = (f: number) => (f === NEEDS_VIEW ? 2 : f === NEEDS_RUNS ? 1 : 0);

  it('on generated strings and the corpora', () => {
    const same = (value: string) => {
      const now = rank(flags(classify(value)));
      const old = rank(prepass(value, 0) & PREPASS_FLAGS);
      expect({ value, atLeastOld: now >= old }).toEqual({ value, atLeastOld: true });
    };
    fc.assert(fc.property(text, same), { numRuns: 6000 });
    for (const value of corpusValues) same(value);
  });
});

describe('the time bit (values.timestamps: coarsen)', () => {
  const timeText = fc.oneof(
    text,
    fc.string({
      unit: fc.constantFrom(
        ...'0123456789:Tt.,-/ WZ+'.split(''),
        '2026-12-05',
        '2026-12-05T10:11:12.345Z',
        '20261205T101112',
        '10:11:12',
        'Sun, 06 Nov 1994 ',
        'Sat Dec 05 2026 ',
        '2026-W49-6',
        '2026-339',
        '10/Oct/2000:',
        ' UTC',
        '\u00a0',
        'é',
      ),
      maxLength: 30,
    }),
  );

  it('was derived from the current trigger of the date-time finder', () => {
    // When this fails, TIME_TRIGGER in engine/time-in-text.ts changed: the scanner looks for date-times in every value
    // (slower) until the condition in engine/detectors/prefilter.ts is revisited and TIME_TRIGGER_DERIVED_FROM updated.
    expect(TIME_TRIGGER.source).toBe(TIME_TRIGGER_DERIVED_FROM);
    expect(TIME_TRIGGER.flags).toBe('');
  });

  it('the trigger is a necessary condition of the finder, and the bit of the trigger (generated strings, corpora)', () => {
    const check = (value: string) => {
      if (findTimeEdits(value, 1) !== undefined) expect(TIME_TRIGGER.test(value), value).toBe(true);
      if (TIME_TRIGGER.test(value)) expect(classify(value) & TIME_CANDIDATE, value).not.toBe(0);
    };
    fc.assert(fc.property(timeText, check), { numRuns: 3000 });
    for (const value of corpusValues) check(value);
  });

  it('the scanner with the pre-filter rounds the same date-times as without it', () => {
    const scanners = pair(option.times);
    fc.assert(
      fc.property(timeText, (value) => expectSame(scanners, value)),
      // Found by this property: `+--` becomes `+` in two rounds of the view (a phone number, not a date).
      { numRuns: 3000, examples: [['+--2026-12-05'], ['+-+-2026-12-05']] },
    );
  });
});
