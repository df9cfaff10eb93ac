/** How one detector's findings are masked (`values.masks`): a mask text, or a partial mask. */
export type FindingMask = string | { readonly keepLast: number; readonly char?: string };

/** A partial mask never reveals more than this many trailing characters. */
export const MAX_KEEP_LAST = 8;

/**
 * Whether a partial mask masks (or keeps last) this character: every character but the separators
 * (space, tab, no-break space, `-`, `.`, `/`, `@`, `:`, `_`, `+`, `(`, `)`), which stay as they are.
 */
function isMaskable(c: number): boolean {
  return !(
    c === 32 ||
    c === 45 ||
    c === 46 ||
    c === 47 ||
    c === 64 ||
    c === 58 ||
    c === 95 ||
    c === 43 ||
    c === 40 ||
    c === 41 ||
    c === 9 ||
    c === 160
  );
}

/**
 * The replacement of each finding, by type (`values.masks`), for findings whose type has an entry;
 * others get `defaultMask` (`values.mask`). A mask text takes `{type}`. A partial mask `{ keepLast: n }`
 * replaces every character but the last `n` by `char` (default `*`), keeping separators (space, `-`,
 * `.`, `/`, `@`, `:`, `_`, `+`, parentheses): `4111 1111 1111 1111` → `**** **** **** 1111`; a finding
 * with no more than `2n` such characters is masked whole (by `defaultMask`), so a partial mask never
 * shows most of a short value.
 *
 * @param classify the type of a finding from its text (the scanner hands the text only)
 */
export function createFindingMasker(
  masks: Readonly<Record<string, FindingMask>>,
  defaultMask: string,
  classify: (text: string) => string,
): (text: string) => string {
  const full = (type: string, mask: string) => mask.split('{type}').join(type);
  return (text) => {
    const type = classify(text);
    const m = Object.prototype.hasOwnProperty.call(masks, type) ? masks[type] : undefined;
    if (m === undefined) return full(type, defaultMask);
    if (typeof m === 'string') return full(type, m);
    const keep = Math.min(Math.max(1, Math.floor(m.keepLast)), MAX_KEEP_LAST);
    let alnum = 0;
    for (let i = 0; i < text.length; i++) if (isMaskable(text.charCodeAt(i))) alnum++;
    if (alnum <= 2 * keep) return full(type, defaultMask);
    const char = m.char ?? '*';
    let out = '';
    let seen = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (!isMaskable(c)) out += text[i];
      else out += ++seen > alnum - keep ? text[i] : char;
    }
    return out;
  };
}
