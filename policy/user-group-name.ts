/** Invisible format characters (zero-width space and joiners, soft hyphen, byte-order mark, bidi marks …). */
const FORMAT_CHARACTERS = /\p{Cf}/gu;

/** The word `base` in `userGroups.order` and `userGroups.unknown`: the rules of items without a user group. */
export const BASE_GROUP = 'base';

/**
 * The canonical form of a user-group name or value: compatibility-normalized (NFKC: fullwidth and other look-alike
 * forms become their plain letters), invisible format characters removed, surrounding whitespace trimmed, lower
 * case. `Strict`, ` strict `, `STRICT\u200b` and `ｓｔｒｉｃｔ` are all `strict`; declared names are compared in
 * this form too, so two blocks naming `Beta` and `beta` apply to the same group.
 */
export function canonicalUserGroup(name: string): string {
  return name.normalize('NFKC').replace(FORMAT_CHARACTERS, '').trim().toLowerCase();
}
