import { isIPv4, isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipPrefix } from '../../../../engine/generalizers';
import { scannersFor } from './helpers';

// Differential oracles for engine/detectors/ipv4.ts and ipv6.ts: addresses built by transformation operators around
// the forms' edges (octet 255/256, leading zeros, 3/4/5 parts, 7/8/9 groups, a group of 5 hex digits, `::` anywhere
// and twice, case, an IPv4 tail), standing alone between blanks, are masked exactly when `node:net` (and the
// exclusions docs/detectors.md lists) say they are addresses.

const ipv4Scanners = scannersFor('ipv4');
const ipv6Scanners = scannersFor('ipv6');
/** How one detector's scanners write `text` (both pre-filter settings agree). */
function scan(scanners: ReturnType<typeof scannersFor>, text: string): string {
  const [a, b] = scanners.map((s) => s.scan(text).value);
  expect(a, JSON.stringify(text)).toBe(b);
  return a;
}

// ---------------------------------------------------------------------------------------------
// IPv4 dotted quads: docs/detectors.md `ipv4` row.

/** An octet around the edges, written plainly or with leading zeros. */
const octet = fc.oneof(
  fc.constantFrom(0, 1, 9, 10, 99, 100, 127, 199, 200, 249, 250, 254, 255, 256, 299, 999).map(String),
  fc.integer({ min: 0, max: 255 }).map(String),
  fc.integer({ min: 0, max: 255 }).map((v) => String(v).padStart(3, '0')),
  fc.integer({ min: 0, max: 99 }).map((v) => String(v).padStart(2, '0')),
  fc.constantFrom('0000', '1000', '2555'),
  fc.integer({ min: 0, max: 255 }).map((v) => String(v).padStart(4, '0')),
);

/** The reference reading of a dotted quad written from the docs. */
function ipv4Oracle(q: string): boolean {
  const parts = q.split('.');
  if (parts.length !== 4) return false;
  const allPadded = parts.every((p) => /^\d{3}$/.test(p) && Number(p) <= 255);
  if (!isIPv4(q) && !allPadded) return false;
  const o = parts.map(Number);
  if (o[0] === 127 || o[0] === 255 || o[3] === 0) return false; // loopback, netmasks/broadcast, networks
  return true;
}

describe('ipv4: dotted quads against node:net', () => {
  it('3, 4 or 5 parts of edge octets between blanks: masked exactly when the oracle reads an address', () => {
    fc.assert(
      fc.property(
        fc.array(octet, { minLength: 3, maxLength: 5 }),
        fc.constantFrom('ip ', 'from ', ''),
        (parts, before) => {
          const q = parts.join('.');
          const text = `${before}${q} end`;
          const got = scan(ipv4Scanners, text);
          // A fifth part from 256 to 65535 without a leading zero is a port after the address (tcpdump).
          const head = parts.slice(0, 4).join('.');
          const port =
            parts.length === 5 &&
            /^[1-9]\d{2,4}$/.test(parts[4]) &&
            Number(parts[4]) >= 256 &&
            Number(parts[4]) <= 65535;
          if (ipv4Oracle(q)) expect(got, text).toBe(`${before}[X:ipv4] end`);
          else if (port && ipv4Oracle(head)) expect(got, text).toBe(`${before}[X:ipv4].${parts[4]} end`);
          else expect(got, text).toBe(text);
        },
      ),
      { numRuns: 400 },
    );
  });
});

/** The separators of the other forms: dashed and underscored, blanks around the dots, commas. */
const SEPARATORS = ['-', '_', ' . ', '. ', ' .', '  .  ', '\t.\t', ',', ', ', ' , '];
/** Where a quad stands: [before, after, kind]. */
const CONTEXTS: [string, string, 'alone' | 'word' | 'prose' | 'host' | 'list'][] = [
  ['', '', 'alone'],
  ['ip-', '', 'word'],
  ['ip: ', ' end', 'word'],
  ['client: ', ' end', 'word'],
  ['seen ', ' today', 'prose'],
  ['seen ', '. Next', 'prose'],
  ['seen ', '!', 'prose'],
  ['', '.sslip.io', 'host'],
  ['[', ']', 'list'],
  ['n ', ' end', 'list'],
  ['(', ')', 'list'],
  ['a\n', '\r\nb', 'list'],
  ['a\t', '\tb', 'list'],
  ['', '?', 'list'],
  ['', '.', 'list'],
];

/**
 * The reference reading of a quad written with `sep` in a context, from docs/detectors.md: four octets 0-255 (no
 * leading zeros; dashed quads may have all four zero-padded), not loopback, `255.…` or ending in `0`. Dashed quads:
 * one octet of two digits or more; with every octet below 100 only after an address word, before `.domain` or as the
 * whole value. Blanks around dots: with every octet below 100 only after an address word. Commas: after an address
 * word, as the whole value, or as a word of prose (blanks around it, none inside, a first octet of three digits),
 * never thousands grouping.
 */
function separatedOracle(parts: string[], sep: string, before: string, after: string, kind: string): boolean {
  const o = parts.map(Number);
  if (o.some((v) => v > 255) || o[0] === 127 || o[0] === 255 || o[3] === 0) return false;
  const small = parts.every((p) => p.length < 3);
  const padded = parts.some((p) => p.length > 1 && p.startsWith('0'));
  const word = kind === 'word';
  if (sep === '-' || sep === '_') {
    if (padded && !parts.every((p) => p.length === 3)) return false;
    if (parts.every((p) => p.length < 2)) return false;
    // The address word of a dashed quad is joined to it (`ip-10-0-0-5`, `host_10_0_0_5`).
    return !small || (word && /[-_]$/.test(before)) || kind === 'host' || kind === 'alone';
  }
  if (padded) return false;
  if (sep.trim() === '.') return !small || word;
  const thousands = parts.slice(1).every((p) => p.length === 3);
  if (thousands) return false;
  // A word of prose: the start or a blank before it, the end, a blank or a sentence mark (not before a digit) after it.
  const prose =
    sep === ',' && parts[0].length === 3 && /(^|[ \t\n])$/.test(before) && /^($|[ \t\n\r]|[.!?]($|\D))/.test(after);
  if (!(word || kind === 'alone' || prose)) return false;
  return !small || word;
}

describe('ipv4: dashed, blank-dotted and comma quads against the reference reading', () => {
  it('edge octets, every separator, every context: masked exactly when the reference reads an address', () => {
    fc.assert(
      fc.property(
        fc.array(octet, { minLength: 4, maxLength: 4 }),
        fc.constantFrom(...SEPARATORS),
        fc.constantFrom(...CONTEXTS),
        (parts, sep, [before, after, kind]) => {
          const q = parts.join(sep);
          const text = `${before}${q}${after}`;
          const got = scan(ipv4Scanners, text);
          if (separatedOracle(parts, sep, before, after, kind)) expect(got, text).toBe(`${before}[X:ipv4]${after}`);
          else expect(got, text).toBe(text);
        },
      ),
      { numRuns: 600 },
    );
  });
});

describe('ipv4: longer runs and hexadecimal parts against the reference reading', () => {
  it('a number and a separator before or after a dashed or comma quad make it part of a longer run: not read', () => {
    fc.assert(
      fc.property(
        fc.array(octet, { minLength: 4, maxLength: 4 }),
        fc.constantFrom('-', '_', ','),
        fc.constantFrom('7', '12', '203'),
        fc.boolean(),
        (parts, sep, n, left) => {
          const q = parts.join(sep);
          const text = left ? `ip: ${n}${sep}${q}` : `ip: ${q}${sep}${n}`;
          expect(scan(ipv4Scanners, text), text).toBe(text);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('four 0x parts of one or two hex digits, any case: an address unless 255.… or ending in 0', () => {
    const part = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 1, 15, 16, 127, 255));
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 4, maxLength: 4 }),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.boolean(),
        fc.constantFrom(['see ', ' ok'], ['', ''], ['(', ')']),
        (o, pad, upper, [before, after]) => {
          let q = o.map((v, k) => `0x${v.toString(16).padStart(pad[k] ? 2 : 1, '0')}`).join('.');
          if (upper) q = q.toUpperCase();
          const text = `${before}${q}${after}`;
          const address = o[0] !== 255 && o[3] !== 0;
          expect(scan(ipv4Scanners, text), text).toBe(address ? `${before}[X:ipv4]${after}` : text);
          // A fifth part, a hex digit too many or a letter glued on either side is no quad.
          for (const t of [`${before}${q}.0x1${after}`, `${before}x${q}${after}`, `${before}${q}g${after}`])
            expect(scan(ipv4Scanners, t), t).toBe(t);
        },
      ),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// IPv6: docs/detectors.md `ipv6` row.

const hexGroup = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 1, maxLength: 4 });
const v4Octet = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 1, 255, 256));

type Op = 'none' | 'drop' | 'add' | 'five' | 'double' | 'letter' | 'upper' | 'lower' | 'lead' | 'trail' | 'tail';
/** Transformation operators on the written address. */
const op = fc.constantFrom<Op>(
  'none',
  'none',
  'none',
  'drop',
  'add',
  'five',
  'double',
  'letter',
  'upper',
  'lower',
  'lead',
  'trail',
  'tail',
);

/** An address of eight groups, `::` over groups [a, b), an optional IPv4 tail, then one operator. */
const ipv6Text = fc
  .record({
    groups: fc.array(hexGroup, { minLength: 8, maxLength: 8 }),
    cut: fc.option(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 })), { nil: undefined }),
    tail: fc.option(fc.array(v4Octet, { minLength: 4, maxLength: 4 }), { nil: undefined }),
    op,
    at: fc.nat(),
  })
  .map(({ groups, cut, tail, op, at }) => {
    let g = [...groups];
    const tailText = tail?.join('.');
    if (tailText !== undefined) g = g.slice(0, 6);
    let text: string;
    if (cut !== undefined && cut[0] !== cut[1]) {
      const [a, b] = cut[0] < cut[1] ? cut : [cut[1], cut[0]];
      const lim = Math.min(b, g.length);
      if (a >= lim) text = g.join(':');
      else text = `${g.slice(0, a).join(':')}::${g.slice(lim).join(':')}`;
    } else text = g.join(':');
    if (tailText !== undefined) text = text.endsWith('::') ? text + tailText : `${text}:${tailText}`;
    const colons = [...text].flatMap((c, k) => (c === ':' ? [k] : []));
    const k = colons.length === 0 ? 0 : colons[at % colons.length];
    switch (op) {
      case 'drop': // one group fewer
        return text.replace(/^[0-9A-Fa-f]{1,4}:|:[0-9A-Fa-f]{1,4}$/, '');
      case 'add':
        return `${text}:1a`;
      case 'five':
        return text.replace(/[0-9A-Fa-f]{1,4}$/, 'abcd1'); // a last group of five
      case 'double':
        return `${text.slice(0, k)}::${text.slice(k + 1)}`;
      case 'letter':
        return `${text}g`; // glued to a word on the right
      case 'upper':
        return text.toUpperCase();
      case 'lower':
        return text.toLowerCase();
      case 'lead':
        return `:${text}`;
      case 'tail': // a hex letter for the last dot of an IPv4 tail
        return text.replace(/\.(\d+)$/, 'a$1');
      case 'trail':
        return text.endsWith(':') ? text : `${text}:`;
      default:
        return text;
    }
  });

/**
 * The reference reading written from the docs: an address, not loopback/unspecified nor what ip-prefix writes (with a
 * zone id it is none of those).
 */
function ipv6Oracle(a: string, zoned = false): boolean {
  if (!isIPv6(a) || a.includes('%')) return false;
  if (a.length > 45) return false;
  const chars = a.replace(/[:.]/g, '');
  if (!/\d/.test(chars) || chars.length < 4) return false; // a decimal digit and four hex digits
  if (zoned) return true;
  if (a === '::1' || a.endsWith('::')) return false;
  return ipPrefix(a) !== a.toLowerCase();
}

/**
 * How `a` standing between blanks is written: a single `:` before it ends a key and one after it ends a sentence
 * (`fe80::1: refused`), so the address is read without them.
 */
function expectedIPv6(a: string): string {
  const lead = /^:[^:]/.test(a) ? ':' : '';
  const body = a.slice(lead.length);
  if (ipv6Oracle(body)) return `${lead}[X:ipv6]`;
  if (/[^:]:$/.test(body) && ipv6Oracle(body.slice(0, -1))) return `${lead}[X:ipv6]:`;
  return a;
}

describe('ipv6: generated addresses against node:net', () => {
  it('between blanks: masked exactly when the oracle reads an address (a trailing `:` ends a sentence)', () => {
    fc.assert(
      fc.property(ipv6Text, (a) => {
        const text = `addr ${a} end`;
        expect(scan(ipv6Scanners, text), text).toBe(`addr ${expectedIPv6(a)} end`);
      }),
      { numRuns: 600 },
    );
  });

  it('in brackets with a port, and with a zone id: the same reading', () => {
    fc.assert(
      fc.property(ipv6Text, fc.constantFrom('eth0', '3', 'en-1.2'), (a, zone) => {
        const e = expectedIPv6(a);
        expect(scan(ipv6Scanners, `url http://[${a}]:8443/x`)).toBe(`url http://[${e}]:8443/x`);
        if (!/^:[^:]|[^:]:$/.test(a)) {
          const text = `addr ${a}%${zone} end`;
          expect(scan(ipv6Scanners, text), text).toBe(ipv6Oracle(a, true) ? 'addr [X:ipv6] end' : text);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('ipv6: Windows literal host names and keys against node:net', () => {
  it('the address label of a .ipv6-literal.net name (with - for :, s before a zone) is masked exactly when it is an address', () => {
    fc.assert(
      fc.property(ipv6Text, fc.constantFrom('', 's4', 's12'), fc.boolean(), (a, zone, upper) => {
        fc.pre(!a.includes('.'));
        let label = a.replace(/:/g, '-') + zone;
        if (upper) label = label.toUpperCase();
        const text = `host ${label}.ipv6-literal.net ok`;
        const ok = label.length > 1 && isIPv6(a);
        expect(scan(ipv6Scanners, text), text).toBe(ok ? 'host [X:ipv6].ipv6-literal.net ok' : text);
      }),
      { numRuns: 300 },
    );
  });

  it('an address after a key and one colon, after `_`, before `_` and a word, in a list: masked alike', () => {
    fc.assert(
      fc.property(ipv6Text, (a) => {
        fc.pre(ipv6Oracle(a) && !a.startsWith(':'));
        for (const [before, after] of [
          ['key:', ''],
          ['peer_:', ' ok'],
          ['addr_', ' ok'],
          ['x ', '_eth0'],
          ['[', ', ::7]'],
          ['', ''],
          ['(', ')'],
        ])
          expect(scan(ipv6Scanners, `${before}${a}${after}`), `${before}${a}${after}`).toBe(
            `${before}[X:ipv6]${after}`,
          );
      }),
      { numRuns: 200 },
    );
  });
});
