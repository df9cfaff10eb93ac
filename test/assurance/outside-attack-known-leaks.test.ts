import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cardNumbers } from './canaries';
import { appValuesPolicy, privacyPipelines } from './helpers/outside-attack';

// Writings that used to get through (docs/detectors.md, "still gets through"), sent by an outside tester through real
// SDK providers with the real privacy processors and in-memory exporters; the exported OTLP/JSON requests are read
// whole. Each class is a family of transformations (neighbours, separators, element types) drawn by fast-check. All
// canaries are fake (4111…/5…-test-shaped generated cards, 555 numbers, documentation address ranges).
process.env.OTEL_PRIVACY_HMAC_KEY ??= `base64:${Buffer.alloc(32, 0x5c).toString('base64')}`; // fake test key
const { roundTrip } = privacyPipelines(appValuesPolicy());

const alnum = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');
/** Whether the letters and digits of `canary` survive, in order, in any exported string. */
const survives = (out: string[], canary: string) => out.some((s) => alnum(s).includes(alnum(canary)));

/** A number written before `.` (`1`, `203`), maybe glued to a version word (`v2`, `rc10`, `x1`). */
const number = fc.integer({ min: 0, max: 999 }).map(String);
const versionWord = fc.constantFrom('v', 'x', 'rc', 'build', 'V', 'ver', 'app');
const ssn = fc
  .tuple(fc.integer({ min: 1, max: 665 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9999 }))
  .filter(([a, g, s]) => !(a === 78 && g === 5 && s === 1120) && !(a === 219 && g === 9 && s === 9999))
  .map(([a, g, s]) => [String(a).padStart(3, '0'), String(g).padStart(2, '0'), String(s).padStart(4, '0')]);
/** An address and a port no octet can be (256-65535) after one more `.`, as tcpdump prints them. */
const addressAndPort = fc
  .tuple(
    fc.integer({ min: 1, max: 223 }).filter((a) => a !== 127),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 1, max: 254 }),
    fc.integer({ min: 256, max: 65535 }),
  )
  .map(([a, b, c, d, port]) => ({ address: `${a}.${b}.${c}.${d}`, port: String(port) }));
const cardLayout = fc.constantFrom('', ' ', '-');

describe('identifiers next to a digit and a dot', () => {
  it('an SSN written with a separator other than `.` after a number and `.` is not exported', () => {
    fc.assert(
      fc.property(
        fc.option(versionWord, { nil: '' }),
        number,
        ssn,
        fc.constantFrom('-', '/', '_', '\u2044'),
        fc.constantFrom('', ' today', '.json'),
        (word, n, parts, sep, after) => {
          const id = parts.join(sep);
          const text = `${word}${n}.${id}${after}`;
          expect(survives(roundTrip(text), parts.join('')), text).toBe(false);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('an IPv4 address followed by `.` and a port above 255 is not exported', () => {
    fc.assert(
      fc.property(
        addressAndPort,
        fc.constantFrom('', 'IP ', 'src=', '> '),
        fc.constantFrom('', ': Flags [S]', ' > 10.0.0.1.53'),
        ({ address, port }, before, after) => {
          const text = `${before}${address}.${port}${after}`;
          const out = roundTrip(text);
          expect(
            out.some((s) => s.includes(address)),
            text,
          ).toBe(false);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('a card after a version word, a number and `.` is not exported', () => {
    fc.assert(
      fc.property(
        versionWord,
        number,
        cardNumbers,
        cardLayout,
        fc.constantFrom('', ' ok', '.5'),
        (word, n, card, sep, after) => {
          const digits = String(card);
          const written = sep === '' ? digits : digits.replace(/(\d{4})(?=\d)/g, `$1${sep}`);
          const text = `${word}${n}.${written}${after}`;
          expect(survives(roundTrip(text), digits), text).toBe(false);
        },
      ),
      { numRuns: 80 },
    );
  });

  it.each([
    '1.123.45.6789', // a dotted number sequence
    '1.2.3.4.5', // a version
    '1.3.6.1.4.1.311', // an OID
    '5.15.0.91.1', // five parts below 100
    '1.4111111111111111', // a decimal fraction
    'took 0.4111111111111111 s',
  ])('%s stays as written', (text) => {
    expect(roundTrip(text)).toContain(text);
  });
});

/** IPv6 addresses in full or `::`-compressed form (a first and last group that are not zero, a decimal digit). */
const ipv6 = fc
  .tuple(
    fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }),
    fc.integer({ min: 1, max: 6 }),
    fc.integer({ min: 0, max: 5 }),
    fc.boolean(),
  )
  .map(([groups, from, span, compress]) => {
    const hex = groups.map((g, k) => (k === 0 || k === 7 ? Math.max(g, 0x10) : g).toString(16));
    if (!compress) return hex.join(':');
    const to = Math.min(7, from + span + 1);
    return `${hex.slice(0, from).join(':')}::${hex.slice(to).join(':')}`;
  })
  .filter((a) => /\d/.test(a));

describe('an IPv6 address after a word and `.`', () => {
  it('is not exported, not even its first group', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('x', 'host', 'cafe', 'app', 'db', 'node7', 'v6', 'eth0.peer', '1'),
        ipv6,
        fc.constantFrom('', ' ok', '.', '%eth0'),
        (word, address, after) => {
          const text = `${word}.${address}${after}`;
          const first = address.slice(0, address.indexOf(':'));
          const out = roundTrip(text);
          expect(
            out.some((s) => s.includes(address) || s.includes(`${word}.${first}:`)),
            text,
          ).toBe(false);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('is not exported after a dotted name whose last segment is a key of five or more hex digits and `:`', () => {
    // `host.abcde:2001:db8::1`: the segment after the `.` is no group of an address (more than four hex digits), it is
    // the key the address follows.
    fc.assert(
      fc.property(
        fc.constantFrom('host', 'node', 'x', 'eth0', '1', 'a.b'),
        fc.array(fc.constantFrom(...'0123456789abcdefABCDEF'), { minLength: 5, maxLength: 12 }).map((k) => k.join('')),
        ipv6,
        fc.constantFrom('', ' ok', '.'),
        (word, key, address, after) => {
          const text = `${word}.${key}:${address}${after}`;
          expect(
            roundTrip(text).some((s) => s.includes(address)),
            text,
          ).toBe(false);
        },
      ),
      { numRuns: 80 },
    );
  });

  it.each(['std::vector', 'app.v1::run', 'at 12.10:30:45', 'Foo.bar::baz'])('%s stays as written', (text) => {
    expect(roundTrip(text)).toContain(text);
  });
});

/** Fake phone numbers as people write them: North American (dashed, dotted-free, bracketed, `+1`) and `+44`. */
const writtenPhone = fc
  .tuple(
    fc.integer({ min: 201, max: 989 }).filter((a) => a % 100 !== 11 && Math.floor(a / 10) % 10 !== 9),
    fc.integer({ min: 100, max: 9999 }),
    fc.constantFrom('dash', 'paren', 'plus1', 'uk'),
  )
  .map(([area, line, form]) => {
    const l = String(line).padStart(4, '0');
    if (form === 'uk') return { text: `+44 20 7946 ${l}`, digits: `44207946${l}` };
    if (form === 'paren') return { text: `(${area}) 555-${l}`, digits: `${area}555${l}` };
    if (form === 'plus1') return { text: `+1 ${area} 555 ${l}`, digits: `1${area}555${l}` };
    return { text: `${area}-555-${l}`, digits: `${area}555${l}` };
  });

/** SSNs written with `-` or `/` (the letters and digits of `text` are `digits`). */
const writtenSsn = fc
  .tuple(ssn, fc.constantFrom('-', '/'))
  .map(([parts, sep]) => ({ text: parts.join(sep), digits: parts.join('') }));

describe('a phone number or an SSN before `.` and a number', () => {
  it('is not exported, not even its last group', () => {
    fc.assert(
      fc.property(
        fc.oneof(writtenPhone, writtenSsn),
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom('', 'call ', 'to: '),
        fc.constantFrom('', ' ok', ','),
        (phone, n, before, after) => {
          const text = `${before}${phone.text}.${n}${after}`;
          const last = phone.text.slice(-4);
          const out = roundTrip(text);
          expect(survives(out, phone.digits), text).toBe(false);
          expect(
            out.some((s) => s.includes(`${last}.${n}`)),
            text,
          ).toBe(false);
        },
      ),
      { numRuns: 80 },
    );
  });

  it.each(['202.555.0143.1', '123.45.6789.1', 'took 20255501.43 s', 'v2.0.1 build 1234.5', '2025550143.5'])(
    '%s stays as written',
    (text) => {
      expect(roundTrip(text)).toContain(text);
    },
  );
});
