import type { AttributeValue } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { definePolicy } from '../../index';
import { luhnCheckDigit } from './canaries';
import { pieces, privacyPipelines } from './helpers/outside-attack';

// An outside tester's structural tricks, through real SDK providers with the real privacy processors and in-memory
// exporters; the exported OTLP/JSON requests are read whole. Fake canaries of every kind are split across array
// elements (strings, or numbers where the piece is one), written with one separator between every character (drawn
// from the Unicode categories of punctuation, symbols, spaces and non-decimal numbers), in groups with separators of 5
// or more blanks or one unusual separator, across line breaks, and as e-mail syntax (comments, folding, a bracketed
// `@`, a domain literal), generated key ids and tokens one character apart, key ids with Cyrillic or Greek
// look-alikes in their prefix, cards, phone numbers and SSNs with URL punctuation between their groups, `00` numbers
// of fixed-length national plans and short phone labels, and must leave no run of their letters and digits in any
// exported value. Look-alikes (arrays of numbers, versions, timestamps, spaced words, tables of small numbers, query
// strings, zero-padded ids) must be exported as written.
const policy = definePolicy({
  version: 1,
  attributes: { allow: ['app.*', 'client.address'] },
  logs: { attributes: { allow: ['log.body', 'app.*'] } },
  values: { detectors: 'all' },
});
const { tracerProvider, loggerProvider, exportedJson } = privacyPipelines(policy);

/** Every exported value of the canary's attribute and body, one string per value (array elements joined by a space). */
function exportedValues(): string[] {
  const json = exportedJson();
  const out: string[] = [];
  const flat = (v: unknown): string => {
    if (v === null || typeof v !== 'object') return String(v);
    const o = v as Record<string, unknown>;
    if ('stringValue' in o) return String(o.stringValue);
    if ('intValue' in o) return String(o.intValue);
    if ('doubleValue' in o) return String(o.doubleValue);
    if ('arrayValue' in o) return ((o.arrayValue as { values?: unknown[] }).values ?? []).map(flat).join(' ');
    return JSON.stringify(o);
  };
  for (const line of json.split('\n'))
    JSON.parse(line, (key, value: unknown) => {
      if (key === 'body' && value !== null && typeof value === 'object') out.push(flat(value));
      const kv = value as { key?: unknown; value?: unknown } | null;
      if (kv !== null && typeof kv === 'object' && (kv.key === 'app.note' || kv.key === 'client.address'))
        out.push(flat(kv.value));
      return value;
    });
  return out;
}

/** Sends `value` as a span attribute, a span event attribute, a log body and a log attribute; returns what was exported. */
function roundTrip(value: AttributeValue): string[] {
  const span = tracerProvider.getTracer('attack').startSpan('work', { attributes: { 'app.note': value } });
  span.addEvent('note', { 'app.note': value });
  span.end();
  loggerProvider.getLogger('attack').emit({ body: value, attributes: { 'app.note': value } });
  return exportedValues();
}

const alnum = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');

/** Requires every exported copy of each value to be the value as written. */
function expectKept(values: readonly string[]): void {
  for (const value of values) for (const v of roundTrip(value)) expect(v).toBe(value);
}

function expectGone(value: AttributeValue, canary: string): void {
  const out = roundTrip(value);
  expect(out.length, JSON.stringify(value)).toBeGreaterThanOrEqual(4);
  for (const v of out) expect(alnum(v), `${JSON.stringify(value)} → ${JSON.stringify(v)}`).not.toContain(alnum(canary));
}

const CANARIES = {
  email: ['jane.doe@example.com', 'j.smith@mail.example.org'],
  card: ['4111111111111111', '5555555555554444', '378282246310005'],
  iban: ['GB82WEST12345698765432', 'DE89370400440532013000'],
  phone: ['+12025550143', '+442079460958'],
  ssn: ['123-45-6789'],
  ipv4: ['203.0.113.7', '198.51.100.23'],
  aws: ['AKIAIOSFODNN7EXAMPLE'],
  token: ['ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z01'],
} as const;
const anyCanary = fc.constantFrom(...Object.values(CANARIES).flat());

/** Generated AWS key ids: a credential prefix and 16 characters of the base32 alphabet AWS issues them in. */
const AWS_PREFIXES = ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'APKA'] as const;
const keyIds = fc
  .tuple(fc.constantFrom(...AWS_PREFIXES), fc.stringMatching(/^[A-Z2-7]{16}$/))
  .filter(([, body]) => new Set(body).size >= 4)
  .map(([prefix, body]) => prefix + body);
/** Generated vendor tokens (few digits: the spaced view's digit condition does not hold for most). */
const tokens = fc.oneof(
  fc.stringMatching(/^[A-Za-z]{30}[0-9]{6}$/).map((b) => `ghp_${b}`),
  fc.stringMatching(/^[A-Za-z0-9]{20}$/).map((b) => `glpat-${b}`),
);
const spacedCanary = fc.oneof(
  fc.constantFrom(
    ...[...CANARIES.email, ...CANARIES.card, ...CANARIES.iban, ...CANARIES.phone, ...CANARIES.ssn, ...CANARIES.ipv4],
  ),
  keyIds,
  keyIds.map((k) => k.toLowerCase()),
  tokens,
);

/** Generated Luhn-valid Visa, Mastercard and Discover numbers (16 digits). */
const cards = fc
  .tuple(fc.constantFrom('4', '51', '55', '6011'), fc.stringMatching(/^[0-9]{15}$/))
  .map(([p, d]) => (p + d).slice(0, 15))
  .map((body) => body + luhnCheckDigit(body));
/** Generated North American numbers (area code and exchange 2-9) and issuable SSNs, as their digit groups. */
const phoneGroups = fc
  .tuple(fc.stringMatching(/^[2-9][0-8][0-9]$/), fc.stringMatching(/^[2-9][0-9]{2}$/), fc.stringMatching(/^[0-9]{4}$/))
  .map((g) => ['+1', ...g]);
const ssnGroups = fc
  .tuple(fc.integer({ min: 1, max: 899 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9999 }))
  .filter(([area]) => area !== 666)
  .map(([a, g, s]) => [String(a).padStart(3, '0'), String(g).padStart(2, '0'), String(s).padStart(4, '0')]);

/** Code points of the separator categories (punctuation, symbols, spaces, letter and other numbers). */
const SEPARATOR = /^[\p{P}\p{S}\p{Zs}\p{Nl}\p{No}]$/u;
const separatorChar = fc
  .oneof(
    fc.integer({ min: 0x20, max: 0x7e }),
    fc.integer({ min: 0xa0, max: 0x2bff }),
    fc.integer({ min: 0x3000, max: 0x303f }),
    fc.integer({ min: 0xfe30, max: 0xfe6f }),
  )
  .map((c) => String.fromCharCode(c))
  .filter((c) => SEPARATOR.test(c) && !/[%\\&+=]/.test(c));

describe('values split across array elements', () => {
  it('string elements: the array is masked (property)', () => {
    fc.assert(
      fc.property(
        anyCanary.chain((c) => fc.tuple(fc.constant(c), pieces(c))),
        ([canary, parts]) => expectGone(parts, canary),
      ),
      { numRuns: 120 },
    );
  });

  it('number elements: a card, phone or SSN written as numbers (property)', () => {
    // Phone numbers as numbers lose their `+`: an unformatted run needs a keyword, split or not.
    const digits = fc.constantFrom('4111111111111111', '5555555555554444', '378282246310005');
    fc.assert(
      fc.property(
        digits.chain((c) => fc.tuple(fc.constant(c), pieces(c))),
        ([canary, parts]) => {
          // Pieces with a leading zero stay strings (a number would lose it).
          const values = parts.map((p) => (p.startsWith('0') ? p : Number(p)));
          if (values.every((v) => typeof v === 'number')) expectGone(values as number[], canary);
          else expectGone(parts, canary);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('an SSN in three elements', () => {
    expectGone(['123', '45', '6789'], '123456789');
  });

  it('leaves arrays of numbers, versions, timestamps and words alone', () => {
    for (const value of [
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
      [10, 20, 30, 40],
      [10, 0, 0, 5],
      [100, 200, 250, 5],
      [4001, 4002, 4003, 4004],
      ['1.2.3', '4.5.6', '7.8.9'],
      ['2026-01-15T10:20:30Z', '2026-01-15T10:20:31Z'],
      ['GET', 'POST', 'PUT'],
      [0.25, 0.5, 0.75],
      Array.from({ length: 5000 }, (_, i) => 1000 + i),
    ]) {
      const out = roundTrip(value);
      for (const v of out) expect(v).toBe(value.join(' '));
    }
  });
});

describe('one separator between every character', () => {
  it('any canary, any separator of the categories, 1-3 of it (property)', () => {
    fc.assert(
      fc.property(
        spacedCanary,
        separatorChar,
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom('%s', 'value %s', 'card: %s ok', '{"v":"%s"}'),
        (canary, sep, times, ctx) => {
          const s = sep.repeat(times);
          // A separator the canary contains reads as one of its characters (`.` in an address): not this operator.
          fc.pre(!canary.includes(sep) && !ctx.includes(sep));
          expectGone(ctx.replace('%s', canary.split('').join(s)), canary);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('leaves spaced words and short spaced numbers alone', () => {
    for (const value of ['W A R N I N G: disk almost full', 'steps 1 2 3 4 5', 'grid 1 0 1 1 0 1 0 0', 'a b c']) {
      const out = roundTrip(value);
      for (const v of out) expect(v).toBe(value);
    }
  });
});

describe('AWS key ids with Cyrillic or Greek look-alikes in their prefix', () => {
  /** Look-alikes of the prefix letters (upper and lower case; Cyrillic, Greek). */
  const LOOKALIKES: Record<string, string[]> = {
    A: ['\u0410', '\u0391'],
    a: ['\u0430', '\u03b1'],
    K: ['\u041a', '\u039a'],
    k: ['\u043a', '\u03ba'],
    I: ['\u0406', '\u0399', '\u04c0'],
    i: ['\u0456', '\u03b9'],
    S: ['\u0405'],
    s: ['\u0455'],
    B: ['\u0412', '\u0392'],
    C: ['\u0421', '\u03f9'],
    c: ['\u0441', '\u03f2'],
    P: ['\u0420', '\u03a1'],
    p: ['\u0440', '\u03c1'],
    O: ['\u041e', '\u039f'],
    o: ['\u043e', '\u03bf'],
    N: ['\u039d'],
    G: ['\u050c'],
    V: ['\u0474'],
  };
  it('finds and masks the key id (property)', () => {
    fc.assert(
      fc.property(
        keyIds,
        fc.boolean(),
        fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
        fc.constantFrom('%s', 'key %s used', '{"id":"%s"}', 'aws_key=%s', 'keyId%s'),
        (id, lower, picks, ctx) => {
          const cased = lower ? id.toLowerCase() : id;
          let prefix = '';
          for (let k = 0; k < 4; k++) {
            const alts = LOOKALIKES[cased[k]] ?? [];
            // Each letter a look-alike or itself (nat parity), at least one look-alike when there is one.
            prefix += alts.length > 0 && picks[k] % 2 === 0 ? alts[picks[k] % alts.length] : cased[k];
          }
          fc.pre(/[\u0080-\uffff]/.test(prefix));
          expectGone(ctx.replace('%s', prefix + cased.slice(4)), cased.slice(4));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('leaves Cyrillic and Greek words before ordinary words alone', () => {
    expectKept(['\u0410\u041a\u0418\u042f ORDERSHIPPEDTODAYOK', '\u0430\u043a\u0438\u044f abc', 'ΑΣΙΑ ΚΑΙ ΕΥΡΩΠΗ']);
  });
});

describe('digit groups with long or unusual separators', () => {
  const group4 = (s: string) => s.match(/.{1,4}/g)!;
  it('cards and IBANs in groups of four, 5-12 blanks or one separator character between (property)', () => {
    const blanks = fc
      .array(fc.constantFrom(' ', '\t', '\u00a0', '\u2003', '\u3000'), { minLength: 5, maxLength: 12 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(
        fc.constantFrom(...CANARIES.card.filter((c) => c.length === 16), ...CANARIES.iban),
        fc.oneof(blanks, separatorChar),
        (canary, sep) => {
          // `?=&#%@\` are URL and escape punctuation: between groups of digits only (below), not of IBAN letters.
          fc.pre(!/[A-Za-z0-9,;\u060c\u061b\u3001]/.test(sep) && !(/[?=&#%@\\]/.test(sep) && /[A-Z]/.test(canary)));
          expectGone(`value ${group4(canary).join(sep)} end`, canary);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('cards, phone numbers and SSNs with `? = & # % @ \\` between their digit groups (property)', () => {
    const groups = fc.oneof(
      cards.map((c) => c.match(/.{4}/g)!),
      phoneGroups,
      ssnGroups,
    );
    fc.assert(
      fc.property(
        groups,
        fc.constantFrom('?', '=', '&', '#', '%', '@', '\\'),
        fc.integer({ min: 1, max: 2 }),
        fc.constantFrom('%s', 'value %s end', '{"v":"%s"}', 'id=%s', '<td>%s</td>'),
        (g, sep, times, ctx) => {
          const written = g.join(sep.repeat(times));
          const text = ctx.replace('%s', ctx.startsWith('{') ? JSON.stringify(written).slice(1, -1) : written);
          expectGone(text, g.join('').replace('+', ''));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('leaves query strings of distinct values, percent-encoding, paths and CSV with empty fields alone', () => {
    expectKept([
      'a=4111&b=1111&c=1111&d=1111',
      '?page=2&size=1111&sort=4111&offset=1111',
      '%41%42%43%44%45%46%47%48%49',
      'C:\\logs\\2024\\01\\15\\0001.log',
      'ids 12,,34,,56,,78,,90',
      'order #1234 #5678 #9012',
      'v1@2024@0115@1200',
    ]);
  });

  it('phone numbers across a line break (property)', () => {
    const gap = fc.constantFrom('\n', '\r\n', ' \n', '\n ', '\t');
    fc.assert(
      fc.property(fc.constantFrom('+1 202 555 0143', '+44 20 7946 0958', '(202) 555-0143'), gap, (phone, g) => {
        const words = phone.split(' ');
        const at = 1 + Math.floor(words.length / 2) - 1;
        const text = `call ${words.slice(0, at + 1).join(' ')}${g}${words.slice(at + 1).join(' ')} today`;
        expectGone(text, phone);
      }),
      { numRuns: 40 },
    );
  });

  it('the international 00 prefix glued to a North American number', () => {
    expectGone('call 0012025550143', '12025550143');
  });

  it('the 00 prefix glued to numbers outside North America, without a keyword (property)', () => {
    // Generated national significant numbers of a few countries (drama and documentation ranges where there are
    // some), their country code after `00`, in a neutral context.
    const national = fc.oneof(
      fc.stringMatching(/^20794[0-9]{5}$/).map((n) => `44${n}`),
      fc.stringMatching(/^7700900[0-9]{3}$/).map((n) => `44${n}`),
      fc.stringMatching(/^[1-5][0-9]{8}$/).map((n) => `33${n}`),
      fc.stringMatching(/^30[0-9]{8}$/).map((n) => `49${n}`),
      fc.stringMatching(/^491570[0-9]{3}$/).map((n) => `61${n}`),
      fc.stringMatching(/^[6-9][0-9]{8}$/).map((n) => `34${n}`),
    );
    fc.assert(
      fc.property(
        national,
        fc.constantFrom('%s', 'from %s today', '{"v":"%s"}', 'id=%s', '<td>%s</td>', 'x %s.'),
        (number, ctx) => {
          expectGone(ctx.replace('%s', `00${number}`), number);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('short phone labels before unformatted numbers (property)', () => {
    fc.assert(
      fc.property(
        phoneGroups.map((g) => g.slice(1).join('')),
        fc.constantFrom('ph#', 'ph# ', 'Ph: ', 'ph:', 'PH. ', 'ph. ', 'mob# ', 'mob: ', 'tel# ', 'tel. '),
        fc.constantFrom('%s', 'contact %s ok', '{"v":"%s"}'),
        (number, label, ctx) => expectGone(ctx.replace('%s', label + number), number),
      ),
      { numRuns: 120 },
    );
  });

  it('leaves zero-padded ids and pH values alone', () => {
    expectKept([
      'order 00000012345678',
      'id 00012345678901',
      'seq 00999999999999',
      'pH 7.4 sample 2025550143',
      'Ph.D 2025550143',
      'batch 00442079',
      '0044207946095812',
    ]);
  });

  it('leaves tables of small numbers, versions and timestamps alone', () => {
    expectKept([
      'id     count     size',
      '12     34     56',
      '2026-01-15     10:20:30',
      'v1.2.3     v1.2.4     v1.2.5',
      '4001,      4002,      4003,      4004',
    ]);
  });
});

describe('e-mail syntax', () => {
  it('comments, folding, a bracketed @ and domain literals (property)', () => {
    const local = fc.constantFrom('jane.doe', 'j.smith', 'fake.user');
    const domain = fc.constantFrom('example.com', 'mail.example.org');
    const form = fc.constantFrom(
      (l: string, d: string) => `${l}(c)@${d}`,
      (l: string, d: string) => `${l}@(work)${d}`,
      (l: string, d: string) => `${l} (home) @ ${d}`,
      (l: string, d: string) => `${l}\r\n @${d}`,
      (l: string, d: string) => `${l}@\r\n ${d}`,
      (l: string, d: string) => `${l}[@]${d}`,
      (l: string, d: string) => `${l}(@)${d}`,
      (l: string, d: string) => `${l}{@}${d}`,
      (l: string) => `${l}@[203.0.113.7]`,
      (l: string) => `${l}@[IPv6:2001:db8::7]`,
    );
    fc.assert(
      fc.property(local, domain, form, fc.constantFrom('%s', 'to: %s', 'mail %s sent'), (l, d, f, ctx) => {
        const text = ctx.replace('%s', f(l, d));
        const out = roundTrip(text);
        for (const v of out) expect(alnum(v), JSON.stringify(text)).not.toContain(alnum(l));
      }),
      { numRuns: 80 },
    );
  });

  it('leaves array indexes and decorators alone', () => {
    for (const value of ['items@[0]', 'fn() @decorator', 'see (docs) @ page 4']) {
      const out = roundTrip(value);
      for (const v of out) expect(v).toBe(value);
    }
  });
});

describe('IPv4 addresses', () => {
  it('comma quads in prose', () => {
    expectGone('seen 203,0,113,7 today', '2030113');
  });

  it('one number, hex or octal parts under an address key, as a string or a number', () => {
    for (const value of ['3405803783', '0xCB007107', '0313.0.0161.07', 3405803783]) {
      const span = tracerProvider.getTracer('attack').startSpan('work', { attributes: { 'client.address': value } });
      span.end();
      const out = exportedValues();
      expect(out.join(' '), String(value)).toContain('[REDACTED:ipv4]');
      expect(out.join(' ')).not.toContain(String(value));
    }
  });

  it('keeps the same numbers under other keys and lists of numbers in prose', () => {
    const out = roundTrip('3405803783');
    for (const v of out) expect(v).toBe('3405803783');
    for (const value of ['[100,200,250,5]', 'a,203,0,113,7', 'counts 4,12,200,7']) {
      for (const v of roundTrip(value)) expect(v).toBe(value);
    }
  });
});

describe('JSON objects of cookies', () => {
  it('masks session cookie values in nested objects, also escaped', () => {
    for (const text of [
      '{"cookies":{"sid":"abc"}}',
      '{"req":{"cookies": {"lang": "en-US", "sid": "letmein"}}}',
      '{"log":"{\\"cookies\\":{\\"sid\\":\\"abc\\"}}"}',
    ]) {
      const out = roundTrip(text);
      for (const v of out) {
        expect(v, text).toContain('[REDACTED:labeled-secret]');
        expect(v).not.toMatch(/"(?:abc|letmein)\\?"/);
      }
    }
  });

  it('leaves preference cookies alone', () => {
    const text = '{"cookies":{"lang":"en-US","theme":"dark"}}';
    for (const v of roundTrip(text)) expect(v).toBe(text);
  });
});
