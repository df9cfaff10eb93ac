import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPipeline, edgeScanners } from './secret-edges-helpers';

// `jwt` (engine/detectors/jwt.ts, docs/detectors.md): the header's `eyJ` and 10 characters, the payload's 2, the
// two-part fragment's 16-character second part, the fourth part (a word after the signature vs a JWE), the blanks
// around the dots (1 to 3), and the left boundary (a base64url character before `eyJ`), each on both sides.

const scan = edgeScanners(['jwt']);
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const part = (min: number, max = min) =>
  fc.string({ unit: fc.constantFrom(...B64URL), minLength: min, maxLength: max });
const header = (n: number) => part(n - 3).map((s) => `eyJ${s}`);

describe('jwt: part lengths', () => {
  it('a header of 10 characters is a token, 9 is not', () => {
    fc.assert(
      fc.property(header(10), header(9), part(2, 30), part(16, 43), (h10, h9, payload, sig) => {
        scan.found(`t ${h10}.${payload}.${sig} x`, `${h10}.${payload}.${sig}`);
        scan.kept(`t ${h9}.${payload}.${sig} x`);
      }),
      { numRuns: 40 },
    );
  });

  it('a payload of 2 characters is a token, 1 is not', () => {
    fc.assert(
      fc.property(header(12), part(2), part(1), part(16, 43), (h, p2, p1, sig) => {
        scan.found(`t ${h}.${p2}.${sig} x`, `${h}.${p2}.${sig}`);
        scan.kept(`t ${h}.${p1}.${sig} x`);
      }),
      { numRuns: 40 },
    );
  });

  it('two parts: a second part of 16 characters is a fragment of a token, 15 is not', () => {
    fc.assert(
      fc.property(header(12), part(16), fc.constantFrom('', ' ', ' then', ', then'), (h, second, after) => {
        scan.found(`t ${h}.${second}${after}`, second);
        scan.kept(`t ${h}.${second.slice(1)}${after}`);
      }),
      { numRuns: 40 },
    );
  });

  it('a fourth part under 16 characters is a word after the token; 16 or more is a JWE cut short', () => {
    fc.assert(
      fc.property(header(12), part(2, 20), part(16, 30), part(1, 15), part(16, 30), (h, p, sig, word, more) => {
        for (const s of scan.scanners) {
          expect(s.scan(`${h}.${p}.${sig}.${word}`).value).toBe(`[REDACTED:jwt].${word}`);
          expect(s.scan(`${h}.${p}.${sig}.`).value).toBe('[REDACTED:jwt].');
          expect(s.scan(`${h}.${p}.${sig}.${more}`).value).toBe('[REDACTED:jwt]');
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('jwt: blanks around the dots and the left boundary', () => {
  it('1 to 3 blanks on either side of each dot; 4 are not the same token', () => {
    fc.assert(
      fc.property(
        header(12),
        part(4, 20),
        part(16, 30),
        fc.constantFrom(' ', '\t', '  ', '   ', ' \t '),
        fc.constantFrom('', ' ', '  ', '   '),
        (h, p, sig, left, right) => {
          const dot = `${left}.${right}`;
          scan.found(`t ${h}${dot}${p}${dot}${sig} x`, sig);
          scan.found(`t ${h}${right}.${left}${p}${right}.${left}${sig} x`, sig);
          scan.kept(`t ${h}    .    ${p}    .    ${sig} x`);
          scan.kept(`t ${h}    .${p}    .${sig} x`);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('with blanks around the dots, a sentence after the signature is no fourth part, however long its word', () => {
    fc.assert(
      fc.property(header(12), part(4, 20), part(16, 30), fc.stringMatching(/^[a-z]{16,24}$/), (h, p, sig, word) => {
        for (const s of scan.scanners)
          expect(s.scan(`t ${h} . ${p} . ${sig}. ${word} x`).value).toBe(`t [REDACTED:jwt]. ${word} x`);
      }),
      { numRuns: 30 },
    );
  });

  it('a five-part JWE is masked whole', () => {
    fc.assert(
      fc.property(header(12), part(16, 30), part(2, 16), part(16, 40), part(16, 22), (h, key, iv, ct, tag) => {
        for (const s of scan.scanners)
          expect(s.scan(`jwe ${h}.${key}.${iv}.${ct}.${tag} x`).value).toBe('jwe [REDACTED:jwt] x');
      }),
      { numRuns: 30 },
    );
  });

  it('glued to a base64url character on the left it is no token; after other punctuation it is', () => {
    fc.assert(
      fc.property(
        header(12),
        part(2, 20),
        part(16, 30),
        fc.constantFrom(...'aZ9-_'),
        fc.constantFrom(...' "=:/(,'),
        (h, p, sig, glue, sep) => {
          scan.kept(`t${glue}${h}.${p}.${sig.slice(0, 15)}`);
          scan.found(`t${sep}${h}.${p}.${sig}`, sig);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('parts joined by a blank, a line break, `:` or `,`: a third part joins only after the same separator; text after another is kept', () => {
    const noUnderscore = (min: number, max: number) =>
      fc.string({ unit: fc.constantFrom(...B64URL.replace('_', '')), minLength: min, maxLength: max });
    fc.assert(
      fc.property(
        noUnderscore(9, 20).map((s) => `eyJ${s}`),
        part(13, 30).map((s) => `eyJ${s}`),
        part(16, 30),
        fc.constantFrom(' ', ':', '\t', '\n', ','),
        fc.constantFrom(' ', ':', '\t', ',', ';', '|', '!'),
        fc.stringMatching(/^[a-z]{3,12}$/),
        (h, p, sig, sep, other, word) => {
          for (const s of scan.scanners) {
            expect(s.scan(`t ${h}${sep}${p}${sep}${sig} x`).value).toBe('t [REDACTED:jwt] x');
            if (other !== sep)
              expect(s.scan(`t ${h}${sep}${p}${other}${word} x`).value).toBe(`t [REDACTED:jwt]${other}${word} x`);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('dots with line breaks around them (a token wrapped at its dots) join the parts', () => {
    fc.assert(
      fc.property(
        header(12),
        part(2, 20),
        part(16, 30),
        fc.constantFrom('\n.', '.\n', '\r\n.', '.\r\n', '\n.\n', ' \n. '),
        (h, p, sig, dot) => {
          for (const s of scan.scanners) expect(s.scan(`t ${h}${dot}${p}${dot}${sig}`).value).toBe('t [REDACTED:jwt]');
        },
      ),
      { numRuns: 30 },
    );
  });

  it('standard base64 characters (+ / =) inside a part belong to it', () => {
    fc.assert(
      fc.property(header(12), part(2, 10), part(16, 20), fc.constantFrom('+', '/', '='), (h, p, sig, c) => {
        for (const s of scan.scanners)
          expect(s.scan(`${h}.${p}${c}${p}.${sig}${c}${sig}`).value).toBe('[REDACTED:jwt]');
      }),
      { numRuns: 20 },
    );
  });
});

describe('jwt through real SDK providers with the default policy', () => {
  const pipeline = defaultPipeline();
  it('no token at the shortest accepted lengths is exported from a log body', () => {
    fc.assert(
      fc.property(header(10), part(2), part(16), fc.boolean(), (h, p, sig, two) => {
        const token = two ? `${h}.${sig}` : `${h}.${p}.${sig}`;
        expect(pipeline.exported(`auth ${token} ok`)).not.toContain(sig);
      }),
      { numRuns: 30 },
    );
  });
});
