import { describe, expect, it } from 'vitest';
import { emailDetector } from '../../../../engine/detectors/email';
import type { Finding } from '../../../../engine/detectors/types';
import { scannersFor } from './helpers';

// Where the local part starts in a run of local-part characters with no blank before it (docs/detectors.md, `email`
// row: a local part in any script; leading punctuation belongs to the sentence; from a run longer than 64 characters
// its last 64): Japanese and Chinese write no blank between words, so an address follows the sentence's ideographic
// comma or full stop directly (`お願いします。山田@example.jp`), and the run before `@` can be a whole sentence.

function found(text: string): string[] {
  const out: Finding[] = [];
  emailDetector.find(text, out);
  return out.map((f) => text.slice(f.start, f.end));
}

describe('email: a local part after the punctuation of a sentence written without blanks', () => {
  it('after an ideographic comma or full stop, a bracket, colon or wave dash: the address from its first letter', () => {
    // All of these were exported whole, domain too: the run before `@` mixed scripts (`、` is no CJK letter), so the
    // start fell back to the first ASCII letter, and there was none.
    for (const punct of ['、', '「', '：', '〜', '。', '【'])
      for (const name of ['山田', 'やまだ', '김민준', 'ジェーン.ドウ'])
        for (const [before, domain] of [
          ['お願いします', 'example.jp'],
          ['请联系', 'example.cn'],
          ['', 'example.com'],
        ]) {
          expect(found(`${before}${punct}${name}@${domain} ok`)).toEqual([`${name}@${domain}`]);
          // Through the scanner (`。` is also an IDNA full stop: its normalized view reads the sentence as a dotted local
          // part and masks it too).
          for (const s of scannersFor('email')) {
            const out = s.scan(`${before}${punct}${name}@${domain} ok`).value;
            expect(out).not.toContain(name.slice(1));
            expect(out).not.toContain(domain);
          }
        }
    // The same after an obfuscated at.
    expect(found('お願いします、山田(at)example.jp ok')).toEqual(['山田(at)example.jp']);
    expect(found('お願いします、山田 [at] example [dot] jp ok')).toEqual(['山田 [at] example [dot] jp']);
  });

  it('a whole sentence before it: the local part after its last full stop, or from an earlier ASCII letter', () => {
    const sentence =
      '本件についてのお問い合わせは担当者までメールでご連絡いただきますようお願い申し上げます。担当者は営業部の';
    // The local part is read after the sentence's last full stop (a run of one script, as `連絡先は山田@…` and
    // `連絡先はyamada@…` are).
    expect(found(`${sentence}山田@example.jp`)).toEqual(['担当者は営業部の山田@example.jp']);
    expect(found(`${sentence}yamada@example.jp`)).toEqual(['担当者は営業部のyamada@example.jp']);
    expect(found(`お願い、jane。yamada@example.jp`)).toEqual(['jane。yamada@example.jp']);
    expect(found(`${sentence}山田2@example.jp`)).toEqual(['担当者は営業部の山田2@example.jp']);
  });

  it('what a misaligned decoding puts before an @ is still no local part (one letter after the script change)', () => {
    for (const text of ['x 筪þ@example.com y', 'x 。þ@example.com y', 'x 、李@example.jp y', 'x 筪。þ@example.com y'])
      expect(found(text), text).toEqual([]);
    // ASCII punctuation after the sentence's belongs to the sentence too.
    expect(found('お願いします、.山田@example.jp')).toEqual(['山田@example.jp']);
    expect(found('お願いします、-.山田@example.jp')).toEqual(['山田@example.jp']);
  });
});

describe('email: the 64-character window in any script', () => {
  it('a run of 65 letters or more of one script: its last 64 are masked, not only the domain', () => {
    // The window fell back to the first ASCII letter of the last 64: with none, the finding started at the `@` and the
    // local part was left.
    for (const letter of ['и', 'あ', 'é'])
      for (const n of [65, 70, 100]) {
        const run = letter.repeat(n);
        expect(found(`x ${run}@example.com y`), `${letter} ${n}`).toEqual([`${letter.repeat(64)}@example.com`]);
        expect(found(`x ${run}(at)example.com y`), `${letter} ${n}`).toEqual([`${letter.repeat(64)}(at)example.com`]);
      }
  });

  it('before an obfuscated at as before a plain one: 64 characters whole, the last 64 of a longer run', () => {
    for (const at of ['(at)', ' [at] ', '@'])
      for (const n of [1, 63, 64, 65, 66, 100]) {
        const local = 'b'.repeat(n);
        expect(found(`x ${local}${at}example.com y`), `${at} ${n}`).toEqual([
          `${'b'.repeat(Math.min(n, 64))}${at}example.com`,
        ]);
        // The 64th character back is punctuation: the match starts at the first letter after it.
        expect(found(`x ${'c'.repeat(n)}.${'b'.repeat(63)}${at}example.com y`), `${at} ${n}`).toEqual([
          `${'b'.repeat(63)}${at}example.com`,
        ]);
      }
  });
});
