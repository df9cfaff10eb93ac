import { deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';
import { defaultPipeline } from './secret-edges-helpers';

// Base64 and base32 runs read per `/` segment (engine/detectors/normalizer.ts, docs/detectors.md "Normalized views":
// "each `/` segment of 12 or more characters is also decoded on its own"; "a base64-looking run of upper-case letters
// and `2-7` only is also decoded as RFC 4648 base32"). The scanner decides in its single pass whether a value holds a
// run worth decoding; that decision must never hide a segment the decoder would read: with the pre-filter on, the
// output is the pre-filter-off output, and the encoded identifier is gone.

const scanners = [true, false].map((prefilter) =>
  createValueScanner({ detectors: 'all', action: 'mask', mask: '[X:{type}]', cleanCacheSize: 0, prefilter }),
);

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** RFC 4648 base32 of `text`, no padding. */
function base32(text: string): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of Buffer.from(text)) {
    acc = ((acc << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(acc >>> bits) & 31];
    }
  }
  return bits > 0 ? out + BASE32[(acc << (5 - bits)) & 31] : out;
}

/** Short identifiers: an IPv4 address (one-digit octets give the shortest encodings: 12 base32 characters). */
const octet = fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 254 }));
// Not 127.x (loopback is no identifier).
const firstOctet = fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 11, max: 126 }));
const ipv4 = fc.tuple(firstOctet, octet, octet, octet).map((o) => o.join('.'));
const email = fc.stringMatching(/^[a-z]{3,8}$/).map((name) => `${name}@example.com`);
const identifier = fc.oneof(ipv4, email);

/** An encoded segment of `text`: base32 (no padding), base64url (no padding), or base64 (padding only at the end). */
const encodings = ['base32', 'base64url', 'base64'] as const;
const encode = (text: string, how: (typeof encodings)[number]) =>
  how === 'base32' ? base32(text) : Buffer.from(text).toString(how === 'base64' ? 'base64' : 'base64url');

/** Other path segments: words with and without upper-case letters and digits (they change the whole run's mix). */
const word = fc.oneof(
  fc.stringMatching(/^[a-z]{1,10}$/),
  fc.stringMatching(/^[A-Za-z0-9]{1,10}$/),
  fc.constantFrom('Ab3dEf', 'v1', 'users', 'orders', 's', 'API', 'Get'),
);

describe('an identifier encoded in one `/` segment of a path', () => {
  it('is masked with the pre-filter as without it, wherever the segment stands', () => {
    fc.assert(
      fc.property(
        identifier,
        fc.constantFrom(...encodings),
        fc.array(word, { maxLength: 4 }),
        fc.array(word, { maxLength: 3 }),
        fc.constantFrom('', '/', 'https://x.example.org/', 'GET /', 'path='),
        (id, how, before, after, prefix) => {
          let segment = encode(id, how);
          // Padding ends a run: a padded base64 segment is the path's last.
          if (how === 'base64' && segment.endsWith('=')) after = [];
          else segment = segment.replace(/=+$/, '');
          const value = prefix + [...before, segment, ...after].join('/');
          const [on, off] = scanners.map((s) => s.scan(value).value);
          expect(on, JSON.stringify(value)).toBe(off);
          // The segment may stand in a whole run masked with it; either way its text is not exported. A run of 12 to 15
          // upper-case letters alone (no `/`, no padding) is not read (docs/detectors.md: what still gets through).
          const alone = before.length === 0 && after.length === 0 && !prefix.endsWith('/');
          if (segment.length >= 12 && !(alone && /^[A-Z]{12,15}$/.test(segment)))
            expect(off, JSON.stringify(value)).not.toContain(segment);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the shortest base32 segment (12 characters, all letters) before a mixed-case word is decoded on its own', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), word, (a, b, tail) => {
        const segment = base32(`${a}.1.${b}.1`);
        expect(segment).toHaveLength(12);
        for (const s of scanners) expect(s.scan(`${segment}/Ab3dEf/${tail}`).value).not.toContain(segment);
      }),
      { numRuns: 40 },
    );
  });

  it('through real SDK providers with the default policy, the encoded address is not exported', () => {
    const segment = base32('8.1.1.1');
    const json = defaultPipeline().exported(`GET /${segment}/Ab3dEf 200`);
    expect(json).toContain('GET ');
    expect(json).not.toContain(segment);
  });
});

describe('base64 wrapped across a line break (a line of 40 or more characters, whole quads, then LF or CRLF)', () => {
  // The run continues on the next line and is read whole: a `/` segment cut by the break (8 to 11 characters before
  // it) is decoded as one, after a first line that decodes to no text.
  it('a path segment cut by the break is found with the pre-filter as without it', () => {
    fc.assert(
      fc.property(
        email,
        fc.stringMatching(/^[A-Za-z0-9+]{40,76}$/),
        fc.integer({ min: 8, max: 11 }),
        fc.constantFrom('\n', '\r\n'),
        (id, filler, cut, lineBreak) => {
          const encoded = Buffer.from(id).toString('base64');
          const head = `/${encoded.slice(0, cut)}`;
          const line = filler.slice(0, filler.length - ((filler.length + head.length) % 4)) + head;
          fc.pre(line.length >= 40);
          const value = `${line}${lineBreak}${encoded.slice(cut)}`;
          const [on, off] = scanners.map((s) => s.scan(value).value);
          expect(on, JSON.stringify(value)).toBe(off);
          expect(on, JSON.stringify(value)).not.toContain(encoded.slice(cut));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('compressed and reversed base64 (gzip, zlib, the run read backwards)', () => {
  it('an identifier in them is masked with the pre-filter as without it', () => {
    fc.assert(
      fc.property(
        identifier,
        fc.constantFrom('gzip', 'zlib', 'reversed'),
        fc.constantFrom('', 'blob ', 'data=', '"'),
        fc.constantFrom('', 'client', 'from host', 'peer addr'), // no version word (`v 1.2.3.4` is a version)
        (id, how, before, words) => {
          const text = `${words} ${id} end`;
          const encoded =
            how === 'gzip'
              ? gzipSync(text).toString('base64')
              : how === 'zlib'
                ? deflateSync(text).toString('base64')
                : [...Buffer.from(text).toString('base64')].reverse().join('');
          const value = `${before}${encoded} ok`;
          const [on, off] = scanners.map((s) => s.scan(value).value);
          expect(on, JSON.stringify(value)).toBe(off);
          // Reversed, the padding comes first and stays as written (`=` ends no run: the run starts after it).
          const padding = /^=*/.exec(encoded)![0];
          expect(on, JSON.stringify(value)).toBe(`${before}${padding}[X:${id.includes('@') ? 'email' : 'ipv4'}] ok`);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('the shortest reversed run read (12 characters: a 9-character address, no padding) is found', () => {
    const two = fc.integer({ min: 11, max: 99 }).filter((n) => n !== 127 % 100);
    const one = fc.integer({ min: 1, max: 9 });
    fc.assert(
      fc.property(two, two, one, one, (a, b, c, d) => {
        const reversed = [...Buffer.from(`${a}.${b}.${c}.${d}`).toString('base64')].reverse().join('');
        expect(reversed).toHaveLength(12);
        for (const s of scanners) expect(s.scan(`x ${reversed} ok`).value).toBe('x [X:ipv4] ok');
      }),
      { numRuns: 40 },
    );
  });
});
