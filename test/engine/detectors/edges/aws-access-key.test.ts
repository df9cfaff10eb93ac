import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALNUM, DIGITS, UPPER, chars, defaultPipeline, edgeScanners, prose } from './secret-edges-helpers';

// `aws-access-key` (engine/detectors/aws-access-key.ts, docs/detectors.md): every key-id prefix of the list, in both
// cases, at 16 characters after the prefix and one fewer or more, bounded or glued on the left (a lower-case word: an
// upper-case key id; a lower-case letter or digit: base32 with a digit; an upper-case letter: never), the placeholder
// rule (four distinct characters), the grouped form with each separator, and the 40-character secret after each label.

const scan = edgeScanners(['aws-access-key']);
const PREFIXES = ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'APKA'];
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const distinct = (s: string) => new Set(s).size;

/** 16 upper-case letters and digits with at least four distinct characters (no placeholder). */
const keyBody = chars(UPPER + DIGITS, 16).filter((s) => distinct(s) >= 4);
/** 16 base32 characters with a digit (`2-7`) among them. */
const base32Body = fc
  .tuple(chars(BASE32, 15), fc.constantFrom(...'234567'), fc.nat(15))
  .map(([s, d, at]) => s.slice(0, at) + d + s.slice(at))
  .filter((s) => distinct(s) >= 4);
const prefix = fc.constantFrom(...PREFIXES);

describe('aws-access-key: key ids', () => {
  for (const p of PREFIXES) {
    it(`${p}: 16 characters after the prefix, in upper and lower case, bounded by anything but a letter or digit`, () => {
      fc.assert(
        fc.property(keyBody, prose, fc.constantFrom(' ', '_', '=', '"', '/', '.'), (b, word, sep) => {
          const id = p + b;
          scan.found(id, id);
          scan.found(`${word}${sep}${id}${sep}${word}`, id);
          scan.found(`${word}${sep}${id.toLowerCase()}${sep}${word}`, id.toLowerCase());
          scan.kept(`${word}${sep}${id.slice(0, 19)}${sep}${word}`);
          scan.kept(`${word}${sep}${id}Q${sep}${word}`);
          scan.kept(`${word}${sep}${id}7${sep}${word}`);
        }),
        { numRuns: 6 },
      );
    });
  }

  it('a prefix not in the list is no key id', () => {
    fc.assert(
      fc.property(keyBody, fc.constantFrom('AKIB', 'ABCD', 'AXIA', 'BKIA', 'AKKA', 'APIA'), (b, p) =>
        scan.kept(`id ${p}${b} ok`),
      ),
      { numRuns: 20 },
    );
  });

  it('placeholders: three distinct characters after the prefix are kept, four are found', () => {
    fc.assert(
      fc.property(
        prefix,
        fc.uniqueArray(fc.constantFrom(...(UPPER + DIGITS)), { minLength: 4, maxLength: 4 }),
        fc.array(fc.nat(3), { minLength: 12, maxLength: 12 }),
        (p, four, picks) => {
          const three = [...four.slice(0, 3).join('').repeat(2), ...picks.map((i) => four[i % 3])]
            .join('')
            .slice(0, 16);
          fc.pre(three.length === 16);
          scan.kept(`key ${p}${three} end`);
          const withFourth = four[3] + three.slice(1);
          scan.found(`key ${p}${withFourth} end`, p + withFourth);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('aws-access-key: glued on the left', () => {
  it('placeholders glued to a lower-case word: three distinct characters after the prefix are kept, four are found', () => {
    // `secretAKIA…` (a label run into the key id): the same placeholder rule as a key id standing alone.
    const three = 'ABCABCABCABCABCA';
    const four = 'DBCABCABCABCABCA';
    for (const p of ['AKIA', 'ASIA']) {
      scan.kept(`secret${p}${three} end`);
      scan.found(`secret${p}${four} end`, p + four);
    }
  });

  it('upper case after a lower-case letter is found (camelCase), after an upper-case letter kept', () => {
    fc.assert(
      fc.property(prefix, keyBody, prose, fc.constantFrom(...UPPER), (p, b, word, upper) => {
        scan.found(`${word}${p}${b}`, p + b);
        scan.kept(`${word}${upper}${p}${b}`);
      }),
      { numRuns: 40 },
    );
  });

  it('after a lower-case letter or digit in any case only when the 16 are base32 with a digit', () => {
    fc.assert(
      fc.property(
        prefix,
        base32Body,
        chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 16).filter((s) => distinct(s) >= 4),
        fc.constantFrom(...'0189'),
        fc.nat(15),
        fc.constantFrom(...'abz'),
        fc.constantFrom(...DIGITS),
        (p, b32, letters, off, at, lower, digit) => {
          const id = (p + b32).toLowerCase();
          scan.found(`key${lower}${id}`, id);
          scan.found(`${digit}${p}${b32}`, p + b32);
          // Letters only, or a character outside base32, glued to a digit or lower-cased: no visible start.
          scan.kept(`key${lower}${(p + letters).toLowerCase()}`);
          scan.kept(`${digit}${p}${letters}`);
          const notBase32 = b32.slice(0, at) + off + b32.slice(at + 1);
          scan.kept(`${digit}${p}${notBase32}`);
          scan.kept(`key${lower}${(p + notBase32).toLowerCase()}`);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('aws-access-key: look-alike prefix letters', () => {
  const CYRILLIC_A = '\u0410';
  it('a Cyrillic or Greek A in the prefix is read as A; glued to an upper-case letter of any script it is not', () => {
    fc.assert(
      fc.property(
        prefix,
        keyBody,
        prose,
        fc.constantFrom(CYRILLIC_A, '\u0391', '\u0430', '\u03b1'),
        (p, b, word, a) => {
          const id = `${a}${p.slice(1)}${b}`;
          scan.found(`${word} ${id} ${word}`, b);
          scan.kept(`${word} \u0416${id} ${word}`);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('aws-access-key: groups of four', () => {
  it('found with each separator used throughout; kept with two separators or four-letter words', () => {
    fc.assert(
      fc.property(
        prefix,
        keyBody.filter((s) => /\d/.test(s)),
        fc.constantFrom(' ', '-', '_', '.', ':'),
        fc.constantFrom(' ', '-', '_', '.', ':'),
        (p, b, sep, other) => {
          const groups = [b.slice(0, 4), b.slice(4, 8), b.slice(8, 12), b.slice(12)];
          const text = `id ${[p, ...groups].join(sep)} ok`;
          scan.found(text, groups.join(sep));
          scan.found(text.toLowerCase(), groups.join(sep).toLowerCase());
          if (other !== sep) scan.kept(`id ${p}${sep}${groups[0]}${other}${groups.slice(1).join(sep)} ok`);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('words with a vowel in every group and no digit are prose; a group without a vowel is random', () => {
    fc.assert(
      fc.property(
        prefix,
        fc.array(fc.tuple(chars('BCDFGHJKLMNPQRSTVWXYZ', 3), fc.constantFrom(...'AEIOU'), fc.nat(3)), {
          minLength: 4,
          maxLength: 4,
        }),
        chars('BCDFGHJKLMNPQRSTVWXZ', 4),
        (p, parts, consonants) => {
          const groups = parts.map(([c, v, at]) => c.slice(0, at) + v + c.slice(at));
          fc.pre(distinct(groups.join('')) >= 4);
          scan.kept(`${p} ${groups.join(' ')}`);
          scan.found(`${p} ${groups.slice(0, 3).join(' ')} ${consonants}`, consonants);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('aws-access-key: 40-character secret access keys after a label', () => {
  const LABELS = [
    'aws_secret_access_key=',
    'AWS_SECRET_ACCESS_KEY: ',
    'SecretAccessKey: ',
    'secret-access-key = ',
    '"secret_access_key": "',
    'aws secret ',
    'aws_secret_key: ',
    'aws-secret-access-key=',
    'awssecret=',
  ];
  const secret = (n: number) => chars(ALNUM + '+/', n).map((s) => `Q${s.slice(1, -1)}7`);
  it('40 characters are found after each label, 39 and 41 are not', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LABELS), secret(40), secret(39), secret(41), (label, s40, s39, s41) => {
        scan.found(`${label}${s40}`, s40);
        scan.found(`${label}${s40}" next`, s40);
        scan.kept(`${label}${s39} next`);
        scan.kept(`${label}${s41} next`);
        scan.kept(`note ${s40}`);
      }),
      { numRuns: 60 },
    );
  });
});

describe('aws-access-key: through real SDK providers with the default policy', () => {
  const pipeline = defaultPipeline();
  it('no key id of any prefix, bounded, glued or grouped, is exported from a log body', () => {
    fc.assert(
      fc.property(
        prefix,
        base32Body,
        prose,
        fc.constantFrom('plain', 'glued', 'lower', 'grouped'),
        (p, b, word, how) => {
          const id = p + b;
          const written =
            how === 'plain'
              ? `${word} ${id}`
              : how === 'glued'
                ? `${word}${id}`
                : how === 'lower'
                  ? `${word}${id.toLowerCase()}`
                  : `${word} ${p} ${b.match(/.{4}/g)!.join(' ')}`;
          const json = pipeline.exported(written);
          expect(json).not.toContain(b.slice(4));
          expect(json.toLowerCase()).not.toContain(b.slice(4).toLowerCase());
        },
      ),
      { numRuns: 40 },
    );
  });
});
