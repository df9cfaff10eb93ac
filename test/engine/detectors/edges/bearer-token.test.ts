import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALNUM, DIGITS, LOWER, UPPER, chars, defaultPipeline, edgeScanners, prose } from './secret-edges-helpers';

// `bearer-token` (engine/detectors/bearer-token.ts, docs/detectors.md): each scheme and each separator after it, the
// left boundary, the shortest token of each kind (letters and digits from 4; one case from 16; an `Authorization`
// label's 6 within 24 characters), the placeholder words, the `Token` scheme's label rule, `Basic` as base64 of
// printable `user:password`, and `Bearer-` with a dash.

const scan = edgeScanners(['bearer-token']);

/** Letters and digits, a digit and a letter in it, `n` characters. */
const credential = (n: number) =>
  fc
    .tuple(chars(ALNUM, n - 2), fc.constantFrom(...DIGITS), fc.constantFrom(...LOWER))
    .map(([s, d, l]) => `${l}${s}${d}`);
const SCHEMES = ['Bearer', 'bearer', 'BEARER', 'Basic', 'Token'];
const SEPARATORS = [
  ' ',
  '\t',
  '   ',
  ':',
  '=',
  ' : ',
  ' =',
  '%20',
  '+',
  '&nbsp;',
  '&#160;',
  '&#xa0;',
  '\n',
  '\r\n',
  ' \n ',
  '\\n',
  '\\r\\n',
  '<br>',
  '<br/>',
  '<br />',
];

describe('bearer-token: the separators after Bearer', () => {
  it('each separator of the scheme pattern reaches the token; four blanks do not', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SEPARATORS), credential(10), prose, (sep, token, word) => {
        scan.found(`${word} Bearer${sep}${token}`, token);
        scan.found(`Bearer${sep}${token} ${word}`, token);
        scan.found(`Bearer${sep}"${token}"`, token);
        scan.kept(`${word} Bearer    ${token}`);
        scan.kept(`${word} Bearer${sep}${sep === ' ' ? '' : ' '}`);
      }),
      { numRuns: 80 },
    );
  });

  it('glued to a letter or digit on the left it is no scheme; after `_` or punctuation it is', () => {
    fc.assert(
      fc.property(
        credential(10),
        prose,
        fc.constantFrom(...'aZ7'),
        fc.constantFrom('_', '-', '"', '(', '/'),
        (token, word, glue, sep) => {
          scan.kept(`${word}${glue}Bearer ${token}`);
          scan.found(`${word}${sep}Bearer ${token}`, token);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a token glued to a word character is not read; trailing `.` and `/` are not part of it', () => {
    fc.assert(
      fc.property(credential(10), (token) => {
        for (const s of scan.scanners) {
          expect(s.scan(`Bearer ${token}.`).value).toBe('Bearer [REDACTED:bearer-token].');
          expect(s.scan(`Bearer ${token}/`).value).toBe('Bearer [REDACTED:bearer-token]/');
          expect(s.scan(`Bearer ${token}== next`).value).toBe('Bearer [REDACTED:bearer-token] next');
        }
      }),
      { numRuns: 20 },
    );
  });
});

describe('bearer-token: how long and how random a Bearer token must be', () => {
  it('letters and digits from 4 characters; 3 are prose', () => {
    fc.assert(
      fc.property(credential(4), credential(3), prose, (four, three, word) => {
        scan.found(`${word} Bearer ${four} ${word}`, four);
        scan.kept(`${word} Bearer ${three} ${word}`);
      }),
      { numRuns: 40 },
    );
  });

  it('one case of letters is prose at any length; mixed case from 16 characters, 15 are not', () => {
    const mixed = (n: number) =>
      fc
        .tuple(chars(LOWER + UPPER, n - 2), fc.constantFrom(...UPPER), fc.constantFrom(...LOWER))
        .map(([s, u, l]) => `${u}${s}${l}`);
    fc.assert(
      fc.property(
        mixed(16),
        mixed(15),
        chars(LOWER, 20, 30),
        chars(DIGITS, 8, 20),
        prose,
        (m16, m15, lower, digits, word) => {
          scan.found(`${word} Bearer ${m16} ${word}`, m16);
          scan.kept(`${word} Bearer ${m15} ${word}`);
          scan.kept(`${word} Bearer ${lower} ${word}`);
          scan.kept(`${word} Bearer ${digits} ${word}`);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('punctuation in a token: 8 letters or digits in 16 characters are a token, 15 characters or 7 letters are not', () => {
    fc.assert(
      fc.property(chars(LOWER, 8), chars('-_~', 8), prose, (letters, punct, word) => {
        const t16 = letters.slice(0, 4) + punct + letters.slice(4);
        scan.found(`${word} Bearer ${t16} ${word}`, t16);
        scan.kept(`${word} Bearer ${letters.slice(0, 4)}${punct.slice(1)}${letters.slice(4)} ${word}`);
        scan.kept(`${word} Bearer ${letters.slice(0, 4)}${punct}-${letters.slice(5)} ${word}`);
      }),
      { numRuns: 40 },
    );
  });

  it('after an Authorization label (24 characters before the scheme at most): any non-placeholder of 6+', () => {
    fc.assert(
      fc.property(
        chars(LOWER, 6, 12).filter(
          (s) => !/^(?:token|tokens|redacted|placeholder|undefined|null|none|string|example|secret|value|x+)$/.test(s),
        ),
        fc.constantFrom('Authorization', 'authorization', 'AUTHORISATION', 'Proxy-Authorization', 'x-authorization'),
        fc.nat(),
        (word, label, n) => {
          // Blanks after `label:` while the word `authorization` stays within the 24 characters before the scheme.
          const room = 24 - (label.length - label.toLowerCase().indexOf('authori')) - 1;
          const head = `${label}:${' '.repeat(n % (room + 1))}`;
          scan.found(`${head}Bearer ${word}`, word);
          scan.kept(`${head}Bearer ${word.slice(0, 5)}`);
          scan.kept(`note Bearer ${word}`);
          // The label wholly within the 24 characters before the scheme, and one further away.
          scan.found(`Authorization${' '.repeat(11)}Bearer ${word}`, word);
          scan.kept(`Authorization${' '.repeat(12)}Bearer ${word}`);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('placeholder words are no credential after a label', () => {
    for (const word of [
      'token',
      'tokens',
      'REDACTED',
      'placeholder',
      'undefined',
      'null',
      'none',
      'string',
      'example',
      'secret',
      'value',
      'xxxxxx',
      '******',
      '......',
    ])
      scan.kept(`Authorization: Bearer ${word}`);
  });
});

describe('bearer-token: the Token scheme', () => {
  it('counts only after an Authorization label and when the token looks random', () => {
    fc.assert(
      fc.property(
        credential(12),
        chars(LOWER, 8, 14),
        fc.constantFrom(' ', '%20', '+', '=', ': '),
        (token, word, sep) => {
          scan.found(`Authorization: Token${sep}${token}`, token);
          scan.found(`authorization=token${sep}${token}`, token);
          scan.found(`Authorization: Token token="${token}"`, token);
          scan.kept(`note Token${sep}${token} rotated`);
          scan.kept(`Authorization: Token${sep}${word}`);
          scan.found(`Authorization${' '.repeat(11)}Token ${token}`, token);
          scan.kept(`Authorization${' '.repeat(12)}Token ${token}`);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a refused token scheme is read again as text (`?token=Bearer …`)', () => {
    fc.assert(
      fc.property(credential(12), (token) => {
        scan.found(`/cb?token=Bearer ${token}`, token);
        scan.found(`token Bearer ${token}`, token);
      }),
      { numRuns: 20 },
    );
  });
});

describe('bearer-token: Basic is base64 of printable user:password', () => {
  const printable = (min: number, max: number) =>
    fc.string({
      unit: fc.integer({ min: 32, max: 126 }).map((c) => String.fromCharCode(c)),
      minLength: min,
      maxLength: max,
    });
  const b64 = (s: string) => Buffer.from(s, 'latin1').toString('base64');

  it('found with a user and a password of printable characters; a control or DEL character, no colon or an empty user is no credential', () => {
    fc.assert(
      fc.property(
        printable(1, 10).filter((u) => !u.includes(':')),
        printable(1, 10),
        fc.constantFrom(0, 9, 10, 31, 127),
        (user, pass, control) => {
          const token = b64(`${user}:${pass}`);
          fc.pre(token.length >= 8 && !token.endsWith('/'));
          scan.found(`Authorization: Basic ${token}`, token);
          scan.found(`Basic ${token} next`, token);
          const bad = [
            b64(`${user}:${pass}${String.fromCharCode(control)}`),
            b64(`${user}${pass}`.replace(/:/g, '')),
            b64(`:${pass}`),
          ];
          for (const t of bad) if (!t.endsWith('/') && t.length >= 8) scan.kept(`frame basic ${t} decoded`);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('space (32) and tilde (126) are printable', () => {
    for (const pass of [' x ', '~~~~', 'a b~']) scan.found(`Basic ${b64(`user:${pass}`)}`, b64(`user:${pass}`));
  });

  it('a base64 length that is no whole number of quads, or shorter than 8, is no credential', () => {
    scan.kept(`basic ${b64('u:pw').replace(/=+$/, '')} more`);
    scan.kept(`basic ${b64('us:pwd')}A more`);
    scan.found(`Basic ${b64('us:pwd')}`, b64('us:pwd'));
    scan.kept(`basic ${b64('u:p')} more`);
  });

  it('%3D padding is read as =', () => {
    const token = b64('jo:pw1').replace(/=/g, '%3D');
    for (const s of scan.scanners) expect(s.scan(`basic%20${token}`).types).toContain('bearer-token');
  });
});

describe('bearer-token: Bearer and a dash', () => {
  it('a token of 8+ whose first part has a digit or both cases; a compound word is not', () => {
    fc.assert(
      fc.property(
        credential(8),
        credential(7),
        chars(LOWER, 8, 14),
        fc.constantFrom('-', ' - ', '- ', ' -'),
        (token, short, word, dash) => {
          scan.found(`header Bearer${dash}${token}`, token);
          scan.kept(`header Bearer${dash}${short} next`);
          scan.kept(`header Bearer${dash}${word} next`);
          scan.kept(`header Basic${dash}${token} next`);
          scan.kept(`config bearer-token-v2 next`);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('the first part ends at `-` or `.`: a digit after it does not count', () => {
    fc.assert(
      fc.property(chars(LOWER, 4, 6), credential(6), (head, tail) => {
        scan.kept(`x Bearer-${head}-${tail} y`);
        scan.kept(`x Bearer-${head}.${tail} y`);
        scan.found(`x Bearer-${head}${tail} y`, head + tail);
        scan.found(`x Bearer-A${head}-${tail} y`, head);
      }),
      { numRuns: 30 },
    );
  });
});

describe('bearer-token: through real SDK providers with the default policy', () => {
  const pipeline = defaultPipeline();
  it('no credential at the edges above is exported from a log body', () => {
    fc.assert(
      fc.property(
        credential(4).chain((t) => fc.constantFrom(t, t + 'Q9z')),
        fc.constantFrom(...SEPARATORS),
        fc.constantFrom(...SCHEMES.slice(0, 3)),
        (token, sep, scheme) => {
          expect(pipeline.exported(`call ${scheme}${sep}${token} ok`)).not.toContain(token);
        },
      ),
      { numRuns: 40 },
    );
  });
});
