import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailDetector } from '../../../../engine/detectors/email';
import type { Finding } from '../../../../engine/detectors/types';
import { edges } from './helpers';

// The outside attack's e-mail forms at the edges of RFC 5322 (docs/detectors.md, `email` row): a local part that ends
// with a dot (`jane.doe.@docomo.ne.jp`, as Japanese carriers issued them) or an atext symbol right before the `@`
// (`! = ~ # $ & * ? ^ | /`), braces in pairs anywhere in it (`{jane.doe}@`, `jane{doe}@`) or a `}` right before the
// `@`; a domain label holding `_` (`sub_domain.example.com`) or starting or ending with `-` (`-example.com`). Each is
// found exactly (the detector through its module entry, and the scanner with and without its pre-filter); the npm,
// asset, digest, host and mention look-alikes stay unmatched.

const email = edges('email');

function found(text: string): string[] {
  const out: Finding[] = [];
  emailDetector.find(text, out);
  return out.map((f) => text.slice(f.start, f.end));
}

const word = fc.stringMatching(/^[a-z][a-z0-9]{1,7}$/);
/** A local part of one to three words joined by `.`, `-`, `_` or `+`, starting with a letter or digit. */
const local = fc
  .tuple(word, fc.array(fc.tuple(fc.constantFrom('.', '-', '_', '+'), word), { maxLength: 2 }))
  .map(([first, rest]) => first + rest.map(([sep, w]) => sep + w).join(''));
/** The characters the attack put right before the `@`: a dot and the RFC 5322 atext symbols. */
const TAIL = [...'.!=~#$&*?^|/'];
const tail = fc.array(fc.constantFrom(...TAIL), { minLength: 1, maxLength: 3 }).map((t) => t.join(''));
/** Domains with a common, a country and a second-level country top-level domain. */
const domain = fc
  .tuple(word, fc.constantFrom('com', 'org', 'jp', 'ne.jp', 'co.uk', 'example'))
  .map(([w, t]) => `${w}.${t}`);
/** What comes before the address: prose, a key (its separator is no part of the local part), brackets and quotes. */
const before = fc.constantFrom('', 'x ', 'password reset requested for ', 'user=', 'to: ', '(', '"', '<', 'a&b ');
/** What follows it: nothing, prose, sentence punctuation, a quote or bracket. */
const after = fc.constantFrom('', ' now', '. Next', ', y', '"', ')', '>');

describe('email: a local part that ends with a dot or an atext symbol', () => {
  it('the address is found whole, the symbols before the @ with it', () => {
    fc.assert(
      fc.property(before, local, tail, domain, after, (b, l, t, d, a) => {
        email.masks(b, `${l}${t}@${d}`, a);
      }),
      { numRuns: 300 },
    );
  });

  it('the attack examples, exactly', () => {
    for (const l of ['jane.doe.', 'jane.doe!', 'jane.doe=', 'jane.doe~', 'jane.doe#', 'jane.doe$', 'jane.doe&'])
      expect(found(`password reset requested for ${l}@example.com`), l).toEqual([`${l}@example.com`]);
    for (const l of ['jane.doe*', 'jane.doe?', 'jane.doe^', 'jane.doe|', 'jane.doe/', 'jane.doe}'])
      expect(found(`password reset requested for ${l}@example.com`), l).toEqual([`${l}@example.com`]);
    expect(found('password reset requested for jane.doe.@docomo.ne.jp')).toEqual(['jane.doe.@docomo.ne.jp']);
    expect(found('password reset requested for jane.doe-@example.com')).toEqual(['jane.doe-@example.com']);
  });

  it('symbols alone before the @, or a dot before a spaced @ (a sentence end), are no local part', () => {
    fc.assert(
      fc.property(tail, domain, (t, d) => {
        email.keeps(`x ${t}@${d} y`);
        email.keeps(`Done. @${d} y`);
      }),
      { numRuns: 100 },
    );
  });
});

describe('email: braces in a local part', () => {
  /** Where the pair of braces goes: around the whole local part, around its first or last word, or one at its end. */
  const braced = fc.constantFrom(
    (w: string[]) => `{${w.join('.')}}`,
    (w: string[]) => `{${w[0]}}${w.slice(1).join('.')}`,
    (w: string[]) => `${w.slice(0, -1).join('.')}{${w[w.length - 1]}}`,
    (w: string[]) => `${w.join('.')}}`,
  );

  it('braces in pairs, or a } right before the @, are part of it: the address is found whole', () => {
    fc.assert(
      fc.property(before, fc.array(word, { minLength: 2, maxLength: 3 }), braced, domain, after, (b, w, f, d, a) => {
        email.masks(b, `${f(w)}@${d}`, a);
      }),
      { numRuns: 300 },
    );
  });

  it('a brace without its pair elsewhere is a separator (key{jane@, key}jane@)', () => {
    fc.assert(
      fc.property(word, local, domain, fc.constantFrom('{', '}'), (k, l, d, brace) => {
        email.masks(`${k}${brace}`, `${l}@${d}`, ' y');
      }),
      { numRuns: 100 },
    );
    expect(found('password reset requested for {jane.doe}@example.com')).toEqual(['{jane.doe}@example.com']);
    expect(found('password reset requested for jane{doe}@example.com')).toEqual(['jane{doe}@example.com']);
  });
});

describe('email: domain labels with _ or an edge -', () => {
  /** A label changed the way the attack changed it: `_` inside, `-` before or after. */
  const changed = fc
    .tuple(word, word)
    .chain(([x, y]) => fc.constantFrom(`${x}_${y}`, `-${x}`, `${x}-`, `-${x}-`, `${x}__${y}`));

  it('a changed label anywhere before the top-level domain: the address is found whole', () => {
    fc.assert(
      fc.property(
        before,
        local,
        fc.array(word, { maxLength: 2 }),
        changed,
        fc.nat(2),
        fc.constantFrom('com', 'org', 'jp', 'co.uk'),
        after,
        (b, l, labels, c, at, t, a) => {
          const parts: string[] = [...labels];
          parts.splice(Math.min(at, parts.length), 0, c);
          email.masks(b, `${l}@${parts.join('.')}.${t}`, a);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a _ in the last label ends the domain there, as without one', () => {
    fc.assert(
      fc.property(local, word, word, fc.constantFrom('_2026', '_x', '_v2 y'), (l, x, y, suffix) => {
        email.masks('x ', `${l}@${x}_${y}.com`, `${suffix} y`);
        email.masks('x ', `${l}@${x}.com`, `${suffix} y`);
      }),
      { numRuns: 100 },
    );
  });

  it('the attack examples, exactly', () => {
    for (const d of ['sub_domain.example.com', 'example_shop.com', 'example-.com', '-example.com'])
      expect(found(`contact jane.doe@${d} now`), d).toEqual([`jane.doe@${d}`]);
  });
});

describe('email: look-alikes stay unmatched', () => {
  it('npm specs, assets, digests, hosts without a top-level domain, mentions, file names', () => {
    for (const text of [
      'lodash@4.17.21',
      'npm i @scope/pkg',
      'npm i @babel/core@7.24.0',
      'node_modules/@types/node/index.d.ts',
      'icon@2x.png',
      'icon_dark@2x.png',
      'clip@2x.mp4-.x',
      'img@sha256:abcdef0123',
      'user@localhost',
      'root@db_host',
      'ping @jane please',
      'thanks @jane.doe!',
      'cc @-jane',
      'jane@-.com',
      'jane@_.com',
      'jane@a_b',
      'x=@example',
      '"$@" and $@',
      '...@example',
      'key{@example.com',
    ])
      expect(found(`x ${text} y`), text).toEqual([]);
  });
});

describe('email: a local part written with obfuscated dots', () => {
  const name = fc.constantFrom('jane', 'doe', 'taro', 'yamada', 'marta', 'j');
  const dot = fc.constantFrom(' dot ', ' DOT ', '[dot]', '(dot)', ' [.] ', '(.)', '  dot  ');
  const at = fc.constantFrom(' at ', ' (at) ', '[at]', ' AT ');
  const domainDot = fc.constantFrom(' dot ', '[dot]', '(.)');

  it('its words joined by an obfuscated dot (up to four) are masked with the address', () => {
    fc.assert(
      fc.property(
        fc.array(name, { minLength: 2, maxLength: 4 }),
        dot,
        at,
        domainDot,
        fc.constantFrom('contact ', 'mail to ', '', '('),
        (w, d, a, dd, b) => {
          email.masks(b, `${w.join(d)}${a}example${dd}com`, ' now');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a prose word before the obfuscated dot stays (the dot jane at …)', () => {
    expect(found('contact jane dot doe at example dot com')).toEqual(['jane dot doe at example dot com']);
    expect(found('the dot jane at example dot com')).toEqual(['jane at example dot com']);
    expect(found('look at the dot com bubble')).toEqual([]);
  });
});
