import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';
import { LOWER, chars } from './secret-edges-helpers';

// Separated hex bytes and decimal byte lists (engine/detectors/encoded-forms.ts `byteRuns`, docs/detectors.md "Hex
// bytes with separators", "Decimal byte lists"): a run of six or more bytes, one separator throughout (a blank, `:`,
// `-`, `,` or `;`, the last four optionally followed by one blank), hex pairs optionally after `0x`/`0X`, decimal
// bytes of one to three digits up to 255, is decoded and scanned; the whole run is masked when its text holds a
// finding. The nearest layouts the rule refuses break the run, so an address written across the break is no finding.

const scanners = [true, false].map((prefilter) =>
  createValueScanner({ detectors: ['email'], action: 'mask', mask: '[X:{type}]', cleanCacheSize: 0, prefilter }),
);
const masked = (before: string, run: string, after: string) => {
  for (const s of scanners)
    expect(s.scan(before + run + after).value, JSON.stringify(run)).toBe(`${before}[X:email]${after}`);
};
const kept = (text: string) => {
  for (const s of scanners) expect(s.scan(text).value, JSON.stringify(text)).toBe(text);
};

const address = fc
  .tuple(chars(LOWER, 3, 8), chars(LOWER, 2, 6), fc.constantFrom('example.com', 'example.org', 'mail.example.net'))
  .map(([a, b, host]) => `${a}.${b}@${host}`);
const separator = fc.constantFrom(' ', ':', '-', ',', ';', ', ', ': ', '- ', '; ');
const around = fc.constantFrom<[string, string]>(
  ['note ', ' end'],
  ['', ''],
  ['[', ']'],
  ['<Buffer ', '>'],
  ['"', '"'],
  // After the run: a word of two letters that are no hex pair (` go`, ` ex`) is no byte.
  ['see ', ' go'],
  ['', ' ex'],
);
const bytesOf = (s: string) => [...Buffer.from(s)];
const hex = (b: number) => b.toString(16).padStart(2, '0');

describe('separated hex bytes', () => {
  it('an address in hex pairs with any one separator, either case, with or without 0x, is masked whole', () => {
    fc.assert(
      fc.property(
        address,
        separator,
        fc.constantFrom('', '0x', '0X'),
        fc.boolean(),
        around,
        // Text before the address with a tab or a line break in it: the bytes 09, 0a, 0d are text too.
        fc.constantFrom('', 'to\t', 'cc\n', 'id\r\n'),
        (addr, sep, prefix, upper, [before, after], lead) => {
          const run = bytesOf(lead + addr)
            .map((b) => prefix + (upper ? hex(b).toUpperCase() : hex(b)))
            .join(sep);
          masked(before, run, after);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('a second separator, a third hex digit or a pair glued to the next word breaks the run', () => {
    fc.assert(
      fc.property(
        address,
        fc.constantFrom(' ', ':', '-', ',', ';'),
        fc.constantFrom(' ', ':', '-', ',', ';', '.', '_', '|', '\t', '  '),
        fc.constantFrom('separator', 'digit'),
        (addr, sep, other, how) => {
          fc.pre(other !== sep);
          const pairs = bytesOf(addr).map(hex);
          const at = addr.indexOf('@');
          // The break falls just before the `@`: neither side is an address.
          const text =
            how === 'separator'
              ? `${pairs.slice(0, at).join(sep)}${other}${pairs.slice(at).join(sep)}`
              : `${pairs.slice(0, at).join(sep)}${sep}${pairs[at]}0${sep}${pairs.slice(at + 1).join(sep)}`;
          kept(`note ${text} end`);
        },
      ),
      { numRuns: 80 },
    );
  });
  it('pairs separated by `.`, `_`, `|` or `/` throughout are no run (dotted and joined ids)', () => {
    fc.assert(
      fc.property(address, fc.constantFrom('.', '_', '|', '/'), (addr, sep) => {
        kept(`id ${bytesOf(addr).map(hex).join(sep)} end`);
      }),
      { numRuns: 40 },
    );
  });
});

describe('decimal byte lists', () => {
  it('an address as decimal bytes with any one separator, zero-padded or not, is masked whole', () => {
    fc.assert(
      fc.property(address, separator, fc.boolean(), around, (addr, sep, padded, [before, after]) => {
        const run = bytesOf(addr)
          .map((b) => (padded ? String(b).padStart(3, '0') : String(b)))
          .join(sep);
        masked(before, run, after);
      }),
      { numRuns: 120 },
    );
  });

  it('a byte over 255, of four digits, with a fraction or glued to a letter breaks the list', () => {
    fc.assert(
      fc.property(
        address,
        fc.constantFrom(',', ' ', ', ', ';'),
        fc.constantFrom('256', '0064', '64.0', '64a', '640'),
        (addr, sep, at) => {
          const codes = bytesOf(addr).map(String);
          const k = addr.indexOf('@');
          kept(`note ${[...codes.slice(0, k), at, ...codes.slice(k + 1)].join(sep)} end`);
        },
      ),
      { numRuns: 60 },
    );
  });
});
