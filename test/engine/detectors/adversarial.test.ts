import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createCustomDetector } from '../../../engine/detectors/custom-pattern';
import { builtInDetectors } from '../../../engine/detectors/registry';
import type { Finding } from '../../../engine/detectors/types';
import { createValueScanner } from '../../../engine/detectors/value-scanner';
import { sanitizeSpanName } from '../../../engine/sanitizers/span-name';
import { sanitizeSql } from '../../../engine/sanitizers/sql-sanitizer';
import { createUrlSanitizer } from '../../../engine/sanitizers/url-sanitizer';

/**
 * The inputs below are written at the sizes they were designed with (about 1 MB, the structural ones 2 MB) and built at
 * half of that (`half`): a linear scan of every input took 100 s of the suite's time at full size, and a quadratic scan
 * of half a megabyte (10^11 steps) still runs far past the 30 s test limit.
 */
const half = (count: number) => Math.ceil(count / 2);

/**
 * ~1 MB inputs built to trigger backtracking or quadratic rescans in each detector's anchors
 * (`@`, digits and separators, `:`, `eyJ`, scheme words, PEM markers, `://`). No timing
 * thresholds: the test only requires every scan to complete and return (the vitest timeout is 30 s;
 * a quadratic scan would not finish). `bench/` measures throughput.
 */
const adversarial: Record<string, string> = {
  'a…a!': 'a'.repeat(half(1e6)) + '!',
  '1 1 1': '1 '.repeat(half(5e5)),
  digits: '1'.repeat(half(1e6)),
  '1-1-1': '1-'.repeat(half(5e5)),
  '1.1.1': '1.'.repeat(half(5e5)),
  '4111 groups': '4111 '.repeat(half(2e5)),
  '+1 +1': '+1 '.repeat(half(333_333)),
  '(1) (1)': '(1) '.repeat(half(250_000)),
  'ssn-ish': '123-45-'.repeat(half(142_857)),
  '@@@': '@'.repeat(half(1e6)),
  'a%40a%40 (anchors inside one long local-part run)': 'a%40'.repeat(half(250_000)),
  'long run then @ repeated': ('x'.repeat(100) + '@').repeat(half(9_900)),
  'a@a@': 'a@'.repeat(half(5e5)),
  'a.a.…@': 'a.'.repeat(half(5e5)) + '@',
  '@a.@a.': '@a.'.repeat(half(333_333)),
  '%40': 'a%40b.'.repeat(half(166_666)),
  colons: ':'.repeat(half(1e6)),
  'f:f:': 'f:'.repeat(half(5e5)),
  '::1::1': '::1'.repeat(half(333_333)),
  hex: 'f'.repeat(half(1e6)),
  'dotted quads': '1.1.1.1.'.repeat(half(125_000)),
  eyJ: 'eyJ'.repeat(half(333_333)),
  'eyJa.': 'eyJa.'.repeat(half(2e5)),
  'eyJ long': 'eyJ' + 'a'.repeat(half(1e6)),
  'Bearer Bearer': 'Bearer '.repeat(half(142_857)),
  'basic+': 'basic+'.repeat(half(166_666)),
  AKIA: 'AKIA'.repeat(half(250_000)),
  'secret_access_key=': 'secret_access_key='.repeat(half(55_555)),
  'BEGIN ': '-----BEGIN '.repeat(half(90_000)),
  'BEGIN PRIVATE KEY': '-----BEGIN PRIVATE KEY-----'.repeat(half(37_000)),
  'BEGIN/END mismatch': '-----BEGIN RSA PRIVATE KEY----- -----END EC PRIVATE KEY-----'.repeat(half(16_000)),
  '://': '://'.repeat(half(333_333)),
  'a://b:c': 'a://b:c'.repeat(half(142_857)),
  DE89: 'DE89'.repeat(half(250_000)),
  'DE89 ': 'DE89 '.repeat(half(2e5)),
  // encoded forms: long byte runs that are text and that are not, escapes, UTF-7, compressed-data magic
  'decimal bytes of text': '97 '.repeat(half(333_333)),
  'decimal bytes, not text': '1 1 1 1 1 1 97 '.repeat(half(66_666)),
  'hex pairs of text': '61 '.repeat(half(333_333)),
  '0x pairs': '0x61, '.repeat(half(166_666)),
  'quoted-printable': '=41'.repeat(half(333_333)),
  'quoted-printable soft breaks': 'a=\r\n'.repeat(half(200_000)),
  'octal escapes': '\\101'.repeat(half(250_000)),
  'CSS escapes': '\\41 '.repeat(half(200_000)),
  '%u escapes': '%u0041'.repeat(half(166_666)),
  'UTF-7 segments': '+AEE-'.repeat(half(200_000)),
  'UTF-7 open': '+' + 'A'.repeat(half(1e6)),
  'gzip magic': 'H4sI'.repeat(half(250_000)),
  'lower-case base64': 'ywxpy2vazxhhbxbszs5jb20'.repeat(half(43_000)),
  'ssn context': 'ssn 1 '.repeat(half(166_666)),
  'phone context': 'phone 0'.repeat(half(142_857)),
  // a region of separator words with too few digits for a number, then one: each `-` starts a region to probe
  'separator words then a number': '- '.repeat(half(5e5)) + '202 555 0143',
  // labeled-secret: labels with long or missing values, quoted values that never close
  'pwd:pwd:': 'pwd:'.repeat(half(250_000)),
  'token="': 'token="'.repeat(half(142_857)),
  'password= …': 'password=' + 'a1'.repeat(half(5e5)),
  '"password":"…': '{"password":"' + 'x'.repeat(half(1e6)),
  // private-key without PEM lines: DER headers repeated, one header before a long base64 run
  'MHcCAQEEI ': 'MHcCAQEEI '.repeat(half(100_000)),
  'MIIEowIBAAKCAQEA…': 'MIIEowIBAAKCAQEA' + 'Ab\\n'.repeat(half(250_000)),
  mixed: Array.from(
    { length: 200_000 },
    (_, i) => ['a@b', '1.2', ':', 'eyJ', '-', ' ', '+4', '(', '0', 'DE'][i % 10],
  ).join(''),
};

/**
 * ~1 MB inputs aimed at the separators, glued letters and obfuscations the detectors read since an outside-style
 * attack (card and SSN separators, grouped key ids, labeled short tokens, `(at)`, ` at … dot `, quoted local parts).
 */
const adversarialEvasions: Record<string, string> = {
  '4111, ': '4111, '.repeat(half(2e5)),
  '4x4x': '4x'.repeat(half(5e5)),
  'CRLF digits': '4111\r\n'.repeat(half(166_666)),
  'glued letters': 'a4111111111111111'.repeat(half(58_823)),
  'hex-glued digits': 'abcdef4111111111111111'.repeat(half(45_454)),
  '123.45.': '123.45.'.repeat(half(142_857)),
  akia: 'akia'.repeat(half(250_000)),
  'AKIA groups': 'AKIA IOSF '.repeat(half(1e5)),
  'Authorization: Bearer': 'Authorization: Bearer a1 '.repeat(half(40_000)),
  '(at)': '(at)'.repeat(half(250_000)),
  'a(at)b(dot)': 'a(at)b(dot)'.repeat(half(90_909)),
  ' at  dot ': 'a at b dot '.repeat(half(90_909)),
  'a @ ': 'a @ '.repeat(half(250_000)),
  '"a"@': '"a"@'.repeat(half(250_000)),
  '"…@': '"' + 'a'.repeat(half(1e6)) + '"@b.com',
};

/** ~1 MB inputs aimed at the normalized views: escapes, entities, percent runs, invisibles, fullwidth forms, base64 runs. */
const adversarialViews: Record<string, string> = {
  '%25 runs': '%25'.repeat(half(333_333)),
  '%2540': 'a%2540b.'.repeat(half(125_000)),
  '\\u': '\\u'.repeat(half(333_333)),
  '\\u0040': 'a\\u0040'.repeat(half(142_857)),
  '\\x4': '\\x4'.repeat(half(333_333)),
  '&#': '&#'.repeat(half(5e5)),
  '&#64;': 'a&#64;b.'.repeat(half(125_000)),
  '&amp': '&amp'.repeat(half(250_000)),
  zwsp: 'a\u200b'.repeat(half(5e5)),
  fullwidth: '\uff21\uff20'.repeat(half(5e5)),
  'base64 words': 'QWxhZGRpbjpvcGVuIHNlc2FtZQ== '.repeat(half(35_000)),
  'base64 email': `${Buffer.from('jane@example.com').toString('base64')} `.repeat(half(40_000)),
  'one base64 run': 'Ab'.repeat(half(5e5)),
  'hex text runs': `${Buffer.from('jane@example.com').toString('hex')} `.repeat(half(30_000)),
  'one hex text run': '6a616e65'.repeat(half(125_000)),
  'MIME lines': `${'QUJD'.repeat(19)}\r\n`.repeat(half(13_000)),
  'base32 runs': 'NJQW4ZJOMRXWKQDFPBQW24DMMUXGG33N '.repeat(half(30_000)),
  ideographic: 'a\u3002'.repeat(half(5e5)),
};

/**
 * ~1-2 MB inputs aimed at the decoders of lone and nested quoted-printable, escapes alternated per character and
 * nested, and base64 in separated groups.
 */
const adversarialEncodings: Record<string, string> = {
  '=3D chains': '=3D'.repeat(half(666_666)),
  '=25 chains': '=25'.repeat(half(333_333)),
  'lone triplets in a number': '4=31'.repeat(half(250_000)),
  'lone triplets in a key': 'AKIA=49'.repeat(half(142_857)),
  'lone triplets between escapes': '\\x7a=71%78&#46;'.repeat(half(66_666)),
  '%3D40': 'a%3D40'.repeat(half(166_666)),
  '=2540': 'a=2540'.repeat(half(166_666)),
  'three nested escapes': '%25%33%44%33%34%25%35%43%78%34%30'.repeat(half(30_303)),
  'grouped base64 of text': 'enF4 '.repeat(half(200_000)),
  'grouped base64, not text': 'AAAA '.repeat(half(200_000)),
  'grouped base64 words': 'note enF4 LmZh '.repeat(half(66_666)),
  // a view (`%40`) makes every value's groups read: one chain of groups, no start of text in it
  'grouped base64 chain after an escape': '%40 ' + 'DE89 '.repeat(half(2e5)),
  'grouped base64 chain of 32-character groups': '%40 ' + `${'6a616e65'.repeat(4)} `.repeat(half(30_000)),
  'lone triplets that are no UTF-8, with a second form': 'a=40b=A1'.repeat(half(125_000)),
};

/**
 * ~2 MB inputs aimed at the structural views and forms: characters one separator apart (`spaced-view.ts`), digit
 * groups with long or unusual separators, runs that almost qualify and fail again and again, phone words across line
 * breaks, comments and brackets around `@`, domain literals, JSON objects of cookies, comma quads in prose.
 */
const adversarialStructure: Record<string, string> = {
  '1 1 1 (2 MB)': '1 '.repeat(half(1e6)),
  a_a_a: 'a_'.repeat(half(1e6)),
  'single characters, U+217C between': '4\u217c'.repeat(half(1e6)),
  'spaced e-mail repeated': 'j a n e @ e x a m p l e . c o m '.repeat(half(62_500)),
  'seven spaced, then a break': 'a b c d e f g  '.repeat(half(133_333)),
  'three-unit separators': '4 - '.repeat(half(5e5)),
  'five blanks between groups': '4111     '.repeat(half(222_222)),
  'U+217C between groups': '4111\u217c'.repeat(half(4e5)),
  'groups without digits enough': 'ab     cd     '.repeat(half(142_857)),
  'growing separators': Array.from({ length: 2000 }, (_, i) => '1' + ' '.repeat(i % 64))
    .join('')
    .repeat(half(30)),
  'line breaks between digits': '1\n'.repeat(half(1e6)),
  'blank and line break': '12 \n'.repeat(half(5e5)),
  'comments before @': 'a(c)@'.repeat(half(4e5)),
  'open comments': 'a(b'.repeat(half(666_666)) + '@example.com',
  'bracketed @': 'a[@]'.repeat(half(5e5)),
  'domain literals': 'a@[1.2.3.4'.repeat(half(2e5)),
  'cookie objects': '{"cookies":{"sid":"abc","x":"'.repeat(half(66_666)),
  'cookie objects, no end': '"cookies":{"'.repeat(half(166_666)),
  'comma quads in prose': ' 203,0,113,7'.repeat(half(166_666)),
  'fifteen spaced letters, then a break': 'a b c d e f g h i j k l m n o  '.repeat(half(66_666)),
  'spaced letters, alternating separators': 'a_b-'.repeat(half(5e5)),
  'URL punctuation between digit groups': '4111?'.repeat(half(4e5)),
  'digit groups, then a group with a letter': '4111?1111?a1?'.repeat(half(153_846)),
  'percent pairs': '%41'.repeat(half(666_666)),
  'doubled commas between characters': '4,,'.repeat(half(666_666)),
  'look-alike key-id prefixes': '\u0410KIA'.repeat(half(5e5)),
  'glued look-alike prefixes': 'key\u0430\u043a\u0456\u04302'.repeat(half(2e5)),
};

describe('adversarial inputs finish', () => {
  it.each(Object.keys(adversarialStructure))('the scanner on the structural input %s with a 4 MB bound', (name) => {
    const s = createValueScanner({ detectors: 'all', action: 'mask', mask: '[{type}]', maxScanLength: 4_000_000 });
    expect(typeof s.scan(adversarialStructure[name]).value).toBe('string');
  });

  it.each(Object.keys(builtInDetectors))('%s', (name) => {
    const d = builtInDetectors[name as keyof typeof builtInDetectors];
    for (const text of Object.values(adversarial)) {
      const out: Finding[] = [];
      if (d.mayMatch(text)) d.find(text, out);
      expect(Array.isArray(out)).toBe(true);
    }
  });

  // One test per input: each gets the whole per-test time limit (a loaded CI worker ran the set near 30 s together).
  it.each(Object.keys(adversarial))('the scanner with every detector and a 2 MB bound: %s', (name) => {
    const s = createValueScanner({ detectors: 'all', action: 'mask', mask: '[{type}]', maxScanLength: 2_000_000 });
    expect(typeof s.scan(adversarial[name]).value).toBe('string');
  });

  it.each(Object.keys(builtInDetectors))('%s on the evasion inputs', (name) => {
    const d = builtInDetectors[name as keyof typeof builtInDetectors];
    for (const text of Object.values(adversarialEvasions)) {
      const out: Finding[] = [];
      if (d.mayMatch(text)) d.find(text, out);
      expect(Array.isArray(out)).toBe(true);
    }
  });

  it.each(Object.keys(adversarialEvasions))('the scanner on the evasion inputs with a 2 MB bound: %s', (name) => {
    const s = createValueScanner({ detectors: 'all', action: 'mask', mask: '[{type}]', maxScanLength: 2_000_000 });
    expect(typeof s.scan(adversarialEvasions[name]).value).toBe('string');
  });

  it.each(Object.keys(adversarialViews))(
    'the scanner with its normalized views (percent, escapes, entities, Unicode, base64) and a 2 MB bound: %s',
    (name) => {
      const s = createValueScanner({ detectors: 'all', action: 'mask', mask: '[{type}]', maxScanLength: 2_000_000 });
      expect(typeof s.scan(adversarialViews[name]).value).toBe('string');
    },
  );

  it.each(Object.keys(adversarialEncodings))(
    'the scanner on lone, nested and mixed escapes and grouped base64 with a 2 MB bound: %s',
    (name) => {
      const s = createValueScanner({ detectors: 'all', action: 'mask', mask: '[{type}]', maxScanLength: 2_000_000 });
      expect(typeof s.scan(adversarialEncodings[name]).value).toBe('string');
    },
  );

  it('custom patterns run with capped repetition', () => {
    const d = createCustomDetector('t', 'a+b');
    const out: Finding[] = [];
    d.find('a'.repeat(half(1e6)), out);
    expect(out).toEqual([]);
    const e = createCustomDetector('u', '[^"]*"x');
    e.find('"'.repeat(half(2e5)) + 'a'.repeat(half(5e5)), out);
    expect(out).toEqual([]);
  });

  it('the sanitizers', () => {
    const url = createUrlSanitizer({ keepParams: ['a'] });
    for (const text of [
      ...Object.values(adversarial),
      '/' + 'a/'.repeat(half(5e5)),
      'a=1&'.repeat(half(250_000)),
      'http://' + '@'.repeat(half(1e6)),
    ]) {
      expect(typeof url(text)).toBe('string');
      expect(typeof sanitizeSql(text)).toBe('string');
      expect(typeof sanitizeSpanName(text)).toBe('string');
    }
    for (const text of [
      "'".repeat(half(1e6)),
      '/*'.repeat(half(5e5)),
      '$a$'.repeat(half(333_333)),
      'IN ('.repeat(half(250_000)),
      '"'.repeat(half(1e6)),
      '--\n'.repeat(half(333_333)),
    ]) {
      expect(typeof sanitizeSql(text)).toBe('string');
    }
  });
});

describe('never throws (property)', () => {
  const interesting = fc.constantFrom(
    ...'aZ09@.:-_/+=%?&#()[]{}"\'` \n\tEeyJBbDAKI$,;*!\\é€'.split(''),
    'eyJ',
    '://',
    '-----BEGIN ',
    'PRIVATE KEY-----',
    'Bearer ',
    '4111',
    '2001:db8::',
    '%40',
  );
  const text = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.string({ unit: interesting, maxLength: 120 }),
  );

  it('scanner, URL, SQL and span name sanitizers', () => {
    const s = createValueScanner({
      detectors: 'all',
      action: 'mask',
      mask: '[{type}]',
      maxScanLength: 64,
      custom: [{ name: 'c', pattern: 'ORD-\\d+' }],
    });
    const url = createUrlSanitizer({ sensitiveParams: ['token'] });
    fc.assert(
      fc.property(text, (t) => {
        const r = s.scan(t);
        expect(typeof r.value).toBe('string');
        expect(r.findings === 0).toBe(r.types.length === 0);
        expect(typeof url(t)).toBe('string');
        expect(typeof sanitizeSql(t)).toBe('string');
        expect(typeof sanitizeSpanName(t)).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });

  it('masking is idempotent: scanning a masked value finds nothing new', () => {
    const s = createValueScanner({ detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]' });
    fc.assert(
      fc.property(text, (t) => {
        const once = s.redact(t)!;
        expect(s.redact(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('ipv6: the key before an address is read within its run', () => {
  it('reads each character a bounded number of times when hex letters follow other letters (xaxa…::1)', () => {
    // `xa xa …` glue a one-letter run to a word: the search for that key's colon stays inside the run, not to the
    // text's end (which read the rest of the text once per run). Counted in characters `indexOf` reads, not timed.
    fc.assert(
      fc.property(
        fc.constantFrom('xa', 'ga', 'zf0', 'host.abcde', 'q1'),
        fc.integer({ min: 2000, max: 4000 }),
        fc.constantFrom('::1', ':2001:db8::1', ''),
        (unit, count, tail) => {
          const text = unit.repeat(count) + tail;
          let read = 0;
          const indexOf = String.prototype.indexOf;
          const spy = vi.spyOn(String.prototype, 'indexOf').mockImplementation(function (
            this: string,
            search: string,
            from?: number,
          ) {
            const at = indexOf.call(this, search, from);
            read += (at === -1 ? this.length : at) - (from ?? 0);
            return at;
          });
          try {
            builtInDetectors.ipv6.find(text, []);
          } finally {
            spy.mockRestore();
          }
          expect(read).toBeLessThanOrEqual(4 * text.length);
        },
      ),
      { numRuns: 20 },
    );
  });
});
