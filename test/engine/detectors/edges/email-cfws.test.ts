import { describe, it } from 'vitest';
import { edges } from './helpers';

// Comments and folding white space around a plain `@` (docs/detectors.md: `jane(c)@example.com`,
// `jane\r\n @example.com`, a lone CR `jane\r@\rexample.com`; the detector: up to two blanks, a line break and a comment
// of at most 64 characters, in any order, three steps at most), each form on both sides of the `@`, against its
// nearest form that is none.

const email = edges('email');

describe('email: comments and folding around the @', () => {
  it('a comment of 1 to 64 characters on either side; an empty one, 65 characters, or a broken one is none', () => {
    for (const n of [1, 2, 62, 63, 64]) {
      const c = `(${'c'.repeat(n)})`;
      email.masks('mail ', `jane${c}@example.com`, ' ok');
      email.masks('mail ', `jane@${c}example.com`, ' ok');
    }
    for (const c of ['()', `(${'c'.repeat(65)})`, '(c', 'c)', '(c(d)', '(c@d)', '(c\nd)', '(c\rd)']) {
      // (`jane(c@…` holds the plain address `c@…`)
      if (c !== '(c') email.keeps(`mail jane${c}@example.local ok`);
      email.keeps(`mail jane@${c}example.local ok`);
    }
    email.keeps(`mail jane(${'c'.repeat(65)})@example.com ok`.replace('jane(', 'jane ('));
  });

  it('blanks, a line break (CRLF, LF, a lone CR) and a comment: each alone and together, on either side', () => {
    const forms = [' ', '  ', '\t', ' \t', '\r\n', '\n', '\r', '\r\n ', '\n\t', '(c)', ' (c) ', '(c)\r\n ', '\r\n (c)'];
    for (const f of forms) {
      email.masks('mail ', `jane${f}@example.com`, ' ok');
      email.masks('mail ', `jane@${f}example.com`, ' ok');
      email.masks('mail ', `jane${f}@${f}example.org`, ' ok');
      // blanks around the @ need a common top-level domain
      email.keeps(`mail jane${f}@example.local ok`);
      email.keeps(`mail jane@${f}example.local ok`);
    }
  });

  it('a lone CR after the @ is one line break, and a line break inside the domain is none', () => {
    email.masks('mail ', 'jane@\rx.com', ' ok'); // the CR alone, not the CR and the letter after it
    email.masks('mail ', 'jane@\r\nx.com', ' ok');
    email.keeps('mail jane@a\nexample.com ok');
    email.keeps('mail jane@a\rexample.com ok');
  });

  it('a folded line (a line break and a blank) before a comment is one step', () => {
    email.masks('mail ', 'jane@\r\n (a)\r\n (b) example.com', ' ok');
    email.masks('mail ', 'jane@\n\t(a)\n\t(b)\n\texample.com', ' ok');
  });

  it('a fourth step is none: three are read', () => {
    email.keeps('mail jane(a) (b) (c) (d) @example.com ok');
    email.keeps('mail jane@ (a) (b) (c) (d)example.com ok');
    email.keeps(`mail jane${' '.repeat(7)}@example.com ok`);
    email.masks('mail ', 'jane(a) (b) (c)@example.com', ' ok');
    email.masks('mail ', 'jane@(a) (b) (c)example.com', ' ok');
    email.masks('mail ', 'jane (b) (c) @example.com', ' ok');
  });

  it('a bracketed @ with blanks or comments around it', () => {
    for (const [o, c] of ['()', '[]', '{}', '<>']) {
      email.masks('mail ', `jane${o}@${c}example.com`, ' ok');
      email.masks('mail ', `jane ${o}@${c} example.com`, ' ok');
      email.keeps(`mail jane${o}@${c}example.local ok`.replace(`${o}@${c}`, `${o}@`));
    }
  });
});
