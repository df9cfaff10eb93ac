/**
 * Letters of other scripts that look like ASCII letters (confusables: `ѕ` U+0455 for `s`, `р` U+0440 for `p`, Greek
 * `ο` U+03BF for `o`, small capitals such as `ᴏ` U+1D0F, `Α` U+0391 for `A`, …), each one UTF-16 unit as its ASCII
 * letter is, so a folded text keeps the offsets of the text. Shared by the detectors that read a fixed word (vendor
 * token prefixes in `api-token`, credential labels in `labeled-secret`) and by the reading of attribute keys
 * (`engine/key-meaning.ts`: `app.pаssword` is `app.password`). Fullwidth forms are not here: the scanner's
 * normalized view reads them as NFKC folds them.
 */
export const LOOKALIKES: Readonly<Record<string, string>> = {
  // Cyrillic lower case
  '\u0430': 'a',
  '\u0435': 'e',
  '\u043e': 'o',
  '\u0440': 'p',
  '\u0441': 'c',
  '\u0443': 'y',
  '\u0445': 'x',
  '\u0455': 's',
  '\u0456': 'i',
  '\u0457': 'i',
  '\u0458': 'j',
  '\u04bb': 'h',
  '\u0501': 'd',
  '\u051b': 'q',
  '\u051d': 'w',
  '\u043a': 'k',
  '\u0433': 'r', // г
  '\u0442': 't', // т
  '\u0461': 'w', // ѡ
  // Cyrillic capitals
  '\u0410': 'A',
  '\u0412': 'B',
  '\u0415': 'E',
  '\u041a': 'K',
  '\u041c': 'M',
  '\u041d': 'H',
  '\u041e': 'O',
  '\u0420': 'P',
  '\u0421': 'C',
  '\u0422': 'T',
  '\u0425': 'X',
  '\u0405': 'S',
  '\u0406': 'I',
  '\u0408': 'J',
  '\u0423': 'Y', // У
  '\u0500': 'D', // Ԁ
  '\u051c': 'W', // Ԝ
  // Greek
  '\u03bf': 'o',
  '\u03b1': 'a',
  '\u03b5': 'e', // ε
  '\u03ba': 'k',
  '\u03c1': 'p',
  '\u03b9': 'i',
  '\u03c4': 't', // τ
  '\u03c5': 'u', // υ
  '\u03bd': 'v', // ν
  '\u03f2': 'c', // ϲ (lunate sigma)
  '\u0391': 'A',
  '\u0392': 'B',
  '\u0395': 'E',
  '\u0396': 'Z',
  '\u0397': 'H',
  '\u0399': 'I',
  '\u039a': 'K',
  '\u039c': 'M',
  '\u039d': 'N',
  '\u039f': 'O',
  '\u03a1': 'P',
  '\u03a4': 'T',
  '\u03a5': 'Y',
  '\u03a7': 'X',
  '\u03f9': 'C', // Ϲ
  // Latin letters of IPA and small capitals, Armenian
  '\u0251': 'a', // ɑ
  '\u0131': 'i', // ı (dotless)
  '\u026a': 'i', // ɪ
  '\u0274': 'n', // ɴ
  '\u0280': 'r', // ʀ
  '\u1d00': 'a', // ᴀ
  '\u1d05': 'd', // ᴅ
  '\u1d07': 'e', // ᴇ
  '\u1d0b': 'k', // ᴋ
  '\u1d0f': 'o', // ᴏ
  '\u1d18': 'p', // ᴘ
  '\u1d1b': 't', // ᴛ
  '\u1d21': 'w', // ᴡ
  '\ua731': 's', // ꜱ
  '\u0578': 'n', // ո
  '\u0585': 'o', // օ
  '\u0555': 'O', // Օ
  '\u01a6': 'R', // Ʀ
  '\u2c6d': 'A', // Ɑ
  '\ua7ae': 'I', // Ɪ
};

/** Whether a text holds one of `LOOKALIKES` (no `g` flag: `test` keeps no state). */
export const LOOKALIKE = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`);
const LOOKALIKE_ALL = new RegExp(LOOKALIKE.source, 'g');

/** `text` with every look-alike of `LOOKALIKES` written as its ASCII letter (same length, same offsets). */
export function foldLookalikes(text: string): string {
  return text.replace(LOOKALIKE_ALL, (ch) => LOOKALIKES[ch]!);
}
