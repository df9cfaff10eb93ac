import { describe, expect, it } from 'vitest';
import { emailDetector } from '../../../../engine/detectors/email';
import type { Finding } from '../../../../engine/detectors/types';
import { edges, scannersFor } from './helpers';

// What follows a top-level domain (docs/detectors.md `email` row and "A `.` after a word does not glue"): a digit or
// `-word` glued after a two-letter or common top-level domain (`jane@example.com2026`, `jane@example.com-backup`), a
// `.` and a label that is no top-level domain (`jane@example.com.1`, `.v2`, `.2024`), and the next address glued to it
// (`jane@example.comjohn@example.org`): the address up to the top-level domain is masked, the rest kept. Every common
// top-level domain, a two-letter one, and their nearest neighbours that are no top-level domain.

const email = edges('email');

const COMMON =
  'com net org edu gov mil int info biz name pro app dev email mail online site tech store shop cloud xyz live blog news museum travel jobs aero coop asia mobi company group global world'.split(
    ' ',
  );
/** Three letters or more, none of them a common top-level domain or a file extension. */
const NOT_COMMON = ['local', 'corp', 'abc', 'comx', 'xcom', 'orgs', 'informatics', 'a'.repeat(24)];

describe('email: what follows a top-level domain', () => {
  it('a digit or -word glued after a two-letter or common one; none after another', () => {
    for (const tld of [...COMMON, 'de', 'UK', 'io'])
      for (const after of ['1', '2026', '-x', '-backup', '2026.csv', '-1'])
        email.masks('x ', `jane@example.${tld}`, `${after} y`);
    for (const tld of NOT_COMMON) for (const after of ['1', '-backup']) email.keeps(`x jane@example.${tld}${after} y`);
    // the glued label is the last one, or one before a file extension
    email.masks('x ', 'jane@mail.example.co', '2026.tar');
    email.keeps('x clip@2x.mp4 y');
    // the file extension is the last label only, not what follows the domain up to a later dot
    email.keeps('loaded clip@2x.mp4, then cdn.example.net');
    email.keeps('loaded clip@2x.mp4-.x');
    email.keeps('x logs@2x.bz2 y');
  });

  it('a dot and a label that is no top-level domain after a two-letter or common one; none after another', () => {
    for (const tld of [...COMMON, 'de', 'UK'])
      for (const after of ['.1', '.v2', '.2024', '.z', '.x1y']) email.masks('x ', `jane@example.${tld}`, `${after} y`);
    for (const tld of NOT_COMMON) email.keeps(`x jane@example.${tld}.1 y`);
    email.masks('x ', 'jane@example.co.uk', '.v2 y');
    email.masks('x ', 'jane@example.com', '.1.2 y');
    email.keeps('x jane@com.1 y');
    email.keeps('x jane@c.1 y');
  });

  it('the next address glued after a two-letter or common one, the longest common one first', () => {
    for (const s of scannersFor('email'))
      for (const tld of [...COMMON, 'de', 'Com'])
        for (const next of ['zed', 'z9', 'q', 'éva'])
          expect(s.scan(`x jane@example.${tld}${next}@example.org y`).value, tld + next).toBe('x [X:email][X:email] y');
  });
});

describe('email: an @ right after a top-level domain that starts with no ASCII letters', () => {
  it('the address before it is found as with an ASCII one (jane@example.com@host)', () => {
    for (const [text, first] of [
      ['x jane@example.com@host y', 'jane@example.com'],
      ['x jane@пример.рф@host y', 'jane@пример.рф'],
      ['x jane@example.рф@example.org y', 'jane@example.рф'],
    ]) {
      const out: Finding[] = [];
      emailDetector.find(text!, out);
      expect(text!.slice(out[0]!.start, out[0]!.end), text).toBe(first);
    }
  });
});
