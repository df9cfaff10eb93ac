import { foldLookalikes } from './detectors/lookalikes';
import { GlobList } from './glob-list';

/** Characters that show nothing (zero-width space and joiners, soft hyphen, bidi controls, variation selectors, …). */
const INVISIBLE_ALL = /\p{Default_Ignorable_Code_Point}/gu;
const NOT_PRINTABLE_ASCII = /[^\x21-\x7e]/;

/**
 * `text` as it reads: compatibility forms in their plain form (NFKC: fullwidth `ｐａｓｓ`, ligatures), invisible
 * characters and blanks removed, look-alike letters written as the ASCII letter. Case is kept. ASCII text without
 * blanks is returned as is (no work).
 */
export function foldKeyText(text: string): string {
  if (!NOT_PRINTABLE_ASCII.test(text)) return text;
  return foldLookalikes(text.normalize('NFKC').replace(INVISIBLE_ALL, '').replace(/\s+/gu, ''));
}

/**
 * A key (or a glob) in naming-style-free form: read as `foldKeyText` does, lowercase, without `_` and `-`, so
 * `password`, `Password`, `dbPassword`, `db_password`, `db-password` and `db_pаssword` (Cyrillic `а`) all read
 * `…password`. Glob bracket expressions (`[a-z]`) are kept as written (lowercased). Used for `drop` patterns: a
 * credential or personal key is dropped under any case or naming style.
 */
export function keyByMeaning(text: string): string {
  const folded = foldKeyText(text);
  let out = '';
  let inBracket = false;
  for (let i = 0; i < folded.length; i++) {
    const ch = folded[i];
    if (ch === '[') inBracket = true;
    else if (ch === ']') inBracket = false;
    else if (!inBracket && (ch === '_' || ch === '-')) continue;
    out += ch;
  }
  return out.toLowerCase();
}

/**
 * A key as its words: read as `foldKeyText` does, cut at every character that is not a letter or digit, between a
 * lower-case letter and an upper-case one (`userPin`), before the last of a run of capitals followed by a lower-case
 * letter (`PINCode`) and between letters and digits (`cvv2`, both sides of the `6` in `otp6digits`); lowercase,
 * joined and enclosed by `.`:
 * `app.userPIN_code2` reads `.app.user.pin.code.2.`.
 */
export function keyWords(key: string): string {
  const words = foldKeyText(key)
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1.$2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1.$2')
    .replace(/(?<=\p{L})(?=\p{Nd})|(?<=\p{Nd})(?=\p{L})/gu, '.')
    .toLowerCase()
    .split(/[^\p{L}\p{Nd}]+/u)
    .filter((w) => w !== '');
  return `.${words.join('.')}.`;
}

/** A pattern naming a word anywhere in a key: `*password*` (meaning form `*` + letters and digits + `*`). */
const CONTAINED_WORD = /^\*([a-z0-9]+)\*$/;
/** A pattern naming a whole word (or words) of a key: `*.pin.*`, `*.session.id.*`. */
const WHOLE_WORD = /^\*(\.[\p{L}\p{N}]+(?:\.[\p{L}\p{N}]+)*\.)\*$/u;

/**
 * `drop` patterns matched by meaning, compiled once: each pattern in `keyByMeaning` form against the key in that
 * form; a pattern naming a contained word (`*password*`, `*api_key*`) also across the key's dots (`app.pass.word`,
 * `app.api.key`); a pattern naming a whole word (`*.pin.*`) against the key's words (`keyWords`), so it drops `pin`,
 * `app.pin`, `user_pin`, `userPin`, `PIN_CODE`, but not `ping`, `spinner` or `app.pinned`.
 */
export class KeyMeaningPatterns {
  private readonly globs: GlobList;
  /** Meaning form → the pattern as written. */
  private readonly written = new Map<string, string>();
  private readonly contained: { readonly word: string; readonly pattern: string }[] = [];
  private readonly whole: { readonly words: string; readonly pattern: string }[] = [];

  constructor(patterns: readonly string[]) {
    for (const p of patterns) {
      const m = keyByMeaning(p);
      if (this.written.has(m)) continue;
      this.written.set(m, p);
      const c = CONTAINED_WORD.exec(m);
      if (c) this.contained.push({ word: c[1], pattern: p });
      const w = WHOLE_WORD.exec(m);
      if (w) this.whole.push({ words: w[1], pattern: p });
    }
    this.globs = new GlobList([...this.written.keys()]);
  }

  /** The first pattern (as written) that matches `key` by meaning, or undefined. */
  match(key: string): string | undefined {
    const meaning = keyByMeaning(key);
    const m = this.globs.match(meaning);
    if (m !== undefined) return this.written.get(m) ?? m;
    if (this.contained.length > 0 && meaning.includes('.')) {
      const dotless = meaning.replaceAll('.', '');
      for (const c of this.contained) if (dotless.includes(c.word)) return c.pattern;
    }
    if (this.whole.length > 0) {
      const words = keyWords(key);
      for (const w of this.whole) if (words.includes(w.words)) return w.pattern;
    }
    return undefined;
  }
}
