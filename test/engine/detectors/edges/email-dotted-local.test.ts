import { describe, it } from 'vitest';
import { edges } from './helpers';

// A local part written with obfuscated dots before an obfuscated at (docs/detectors.md, `email` row: `jane dot doe at
// example dot com`, `jane[dot]doe(at)…`): up to three words before the last one, each touching its obfuscated dot,
// none of them a prose word, each at most 64 characters.

const email = edges('email');

describe('email: a local part written with obfuscated dots', () => {
  it('three words before the last one at most: a fourth is left', () => {
    email.masks('w dot ', 'x dot y dot z dot jane(at)example.com');
    email.masks('note ', 'x dot y dot jane(at)example.com', ' ok');
  });

  it('the obfuscated dot must touch the word after it', () => {
    email.masks('jane dot x ', 'doe(at)example.com');
  });

  it('a word of more than 64 characters: its last 64', () => {
    const word = 'a'.repeat(70);
    email.masks(word.slice(0, 6), `${word.slice(6)} dot doe(at)example.com`);
    email.masks('', `${'a'.repeat(64)} dot doe(at)example.com`);
  });

  it('a word with no letter, digit or _ to start it: no part of the local part', () => {
    email.masks('x -- dot ', 'doe(at)example.com');
  });

  it('prose words of three to five letters are no word of it, anywhere in the text', () => {
    email.masks('see the dot ', 'jane(at)example.com');
    email.masks('see their dot ', 'jane(at)example.com');
    email.masks('the dot ', 'jane(at)example.com');
  });
});
