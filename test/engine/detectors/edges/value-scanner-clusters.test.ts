import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';
import { DIGITS, LOWER, chars } from './secret-edges-helpers';

// Overlapping findings (engine/detectors/value-scanner.ts `resolveCluster`): where findings overlap the more specific
// type wins, and what a lower one covers outside every winner is kept as a finding of its own type, so a finding
// partly covered by another is masked whole (a card glued to an address: both masked, each with its type); a piece
// that starts with `@` where a winner ends is the host after masked userinfo and stays as written.

const scanners = [true, false].map((prefilter) =>
  createValueScanner({ detectors: 'all', action: 'mask', mask: '[{type}]', cleanCacheSize: 0, prefilter }),
);
const expectOut = (text: string, out: string) => {
  for (const s of scanners) expect(s.scan(text).value, JSON.stringify(text)).toBe(out);
};

/** A Visa-shaped test number (4 then 14 random digits and its Luhn check digit). */
const card = chars(DIGITS, 14).map((body) => {
  const d = `4${body}`;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let v = Number(d[d.length - 1 - i]);
    if (i % 2 === 0) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
    sum += v;
  }
  return d + String((10 - (sum % 10)) % 10);
});
const grouped = (n: string, sep: string) => n.match(/.{4}/g)!.join(sep);
const address = fc
  .tuple(chars(LOWER, 3, 8), chars(LOWER, 2, 6), fc.constantFrom('example.com', 'example.org'))
  .map(([a, b, host]) => `${a}.${b}@${host}`);
const prose = fc.constantFrom<[string, string]>(['', ''], ['payment ', ' declined'], ['note: ', '.']);

describe('overlapping findings', () => {
  it('a card glued before an address: both masked whole, each with its own type', () => {
    fc.assert(
      fc.property(card, fc.constantFrom('', ' ', '-'), address, prose, (n, sep, addr, [before, after]) => {
        expectOut(`${before}${grouped(n, sep)}${addr}${after}`, `${before}[payment-card][email]${after}`);
      }),
      { numRuns: 60 },
    );
  });

  it('a card inside an address: the card masked, and the address on both sides of it', () => {
    fc.assert(
      fc.property(
        chars(LOWER, 2, 6),
        card,
        fc.constantFrom('', '.', '_'),
        chars(LOWER, 2, 6),
        fc.constantFrom('example.com', 'example.org'),
        prose,
        (a, n, sep, b, host, [before, after]) => {
          expectOut(
            `${before}${a}${sep}${n}${sep}${b}@${host}${after}`,
            `${before}[email][payment-card][email]${after}`,
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('userinfo of a URL masked, the host after its `@` kept', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('postgres', 'mysql', 'redis', 'amqp', 'mongodb'),
        chars(LOWER, 3, 8),
        fc.tuple(chars(LOWER, 3, 6), chars(DIGITS, 2, 4), chars(LOWER, 2, 4)).map((p) => p.join('')),
        fc.constantFrom('db.example.com', 'cache.example.org'),
        fc.constantFrom('', ':5432', ':5432/app', '/app'),
        (scheme, user, password, host, rest) => {
          expectOut(`${scheme}://${user}:${password}@${host}${rest}`, `${scheme}://[url-credentials]@${host}${rest}`);
        },
      ),
      { numRuns: 60 },
    );
  });
});
