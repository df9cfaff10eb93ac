import type { AttributeValue } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { definePolicy } from '../../index';
import { pieces, privacyPipelines } from './helpers/outside-attack';

// An outside tester's structural tricks, through real SDK providers with the real privacy processors and in-memory
// exporters; the exported OTLP/JSON requests are read whole. Fake canaries of every kind are split across array
// elements (strings, or numbers where the piece is one), written with one separator between every character (drawn
// from the Unicode categories of punctuation, symbols, spaces and non-decimal numbers), in groups with separators of 5
// or more blanks or one unusual separator, across line breaks, and as e-mail syntax (comments, folding, a bracketed
// `@`, a domain literal), and must leave no run of their letters and digits in any exported value. Look-alikes
// (arrays of numbers, versions, timestamps, spaced words, tables of small numbers) must be exported as written.
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
// Known gap (docs/detectors.md): key ids and tokens written one character apart (fewer than eight digits and no `@`:
// the spaced view does not run on them).
const spacedCanary = fc.constantFrom(
  ...[...CANARIES.email, ...CANARIES.card, ...CANARIES.iban, ...CANARIES.phone, ...CANARIES.ssn, ...CANARIES.ipv4],
);

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
          // A doubled comma or semicolon is a list (`4,, 1,, 1`), left alone by design.
          fc.pre(!(times > 1 && /[,;\u060c\u061b\u3001]/.test(sep)));
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
          // `?=&#%@\` are URL and escape punctuation, never read between digit groups (a known gap, listed in
          // docs/detectors.md).
          fc.pre(!/[A-Za-z0-9,;?=&#%@\\\u060c\u061b\u3001]/.test(sep));
          expectGone(`value ${group4(canary).join(sep)} end`, canary);
        },
      ),
      { numRuns: 150 },
    );
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

  it('leaves tables of small numbers, versions and timestamps alone', () => {
    for (const value of [
      'id     count     size',
      '12     34     56',
      '2026-01-15     10:20:30',
      'v1.2.3     v1.2.4     v1.2.5',
      '4001,      4002,      4003,      4004',
    ]) {
      const out = roundTrip(value);
      for (const v of out) expect(v).toBe(value);
    }
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
