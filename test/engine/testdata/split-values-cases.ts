/**
 * Hand-labeled cases for engine/split-values.ts, written from its comments (the rules for joining a map's string
 * values, for reading numbers and bytes as text), not from its output. Each rule has the case at its edge and the
 * nearest case on the other side.
 */

/** `[code unit, printable]`: a printable unit is read as itself, any other as a line break. */
export const PRINTABLE_UNITS: readonly (readonly [number, boolean])[] = [
  [8, false],
  [9, true], // tab
  [10, true], // line feed
  [11, false],
  [12, false],
  [13, true], // carriage return
  [14, false],
  [0x1f, false],
  [0x20, true],
  [0x7e, true],
  [0x7f, false], // DEL
  [0x9f, false], // last C1 control
  [0xa0, true],
  [0xd7ff, true],
  [0xd800, false], // surrogates
  [0xdfff, false],
  [0xe000, true],
  [0xfffd, true],
  [0xfffe, false], // non-characters
  [0xffff, false],
  [0x10000, false], // no code unit
  [-1, false],
  [65.5, false], // not an integer
];

/** `[texts, sep, expected separators]` for `junctionSeparators`. */
export const JUNCTIONS: readonly (readonly [readonly string[], string | undefined, readonly string[] | undefined])[] = [
  // ' ': a space at every junction.
  [['jane.doe@', 'example.com'], ' ', [' ']],
  // '': nothing, unless two words without digits meet letter to letter and a value has a blank.
  [['jane.doe@', 'example.com'], '', ['']],
  [['hello world', 'again'], '', [' ']],
  [['hello', 'again world'], '', [' ']],
  [['hello', 'world'], '', ['']],
  [['say w2d', 'again x'], '', ['']], // the left word holds a digit
  [['say x', 'ag2in'], '', ['']], // the right word holds a digit
  [['a1b say', 'again x'], '', [' ']], // only the meeting words count
  [['say x', 'again 2'], '', [' ']],
  [['hello world', '2nd'], '', ['']], // not letter to letter
  [['a b', 'c', 'd'], '', [' ', '']], // the blank of the value before counts for the next junction only
  // undefined: as '', and a space where three or more letters meet a digit; undefined when that is the '' join.
  [['1', '23-45-6789', 'checkout'], undefined, ['', ' ']],
  [['GB', '82 WEST'], undefined, undefined], // two letters: an IBAN's country stays glued
  [['ABC', '82'], undefined, [' ']],
  [['7', 'ab'], undefined, undefined],
  [['7', 'abc'], undefined, [' ']],
  [['x7', 'abc'], undefined, [' ']],
  [['abc', 'x'], undefined, undefined],
  [['hello world', 'again', '7'], undefined, [' ', ' ']],
];

/** `[texts, seps, out, expected]` for `changedEntries` (`joined` is `texts` joined with `seps`). */
export const CHANGES: readonly (readonly [
  readonly string[],
  readonly string[],
  string,
  { lo: number; hi: number; text: string },
])[] = [
  // A rewrite across two values: both, and the rewritten text without the unchanged rest.
  [['jane.doe@', 'example.com', 'x'], ['', ' '], '[email] x', { lo: 0, hi: 1, text: '[email]' }],
  // Nothing changed: the last value.
  [['ab', 'cd', 'x'], ['', ''], 'abcdx', { lo: 2, hi: 2, text: 'x' }],
  // One value in the middle.
  [['ab', 'cd', 'ef'], ['', ''], 'ab?ef', { lo: 1, hi: 1, text: '?' }],
  // The separator and the value after it removed.
  [['ab', 'cd'], [' '], 'ab', { lo: 0, hi: 1, text: 'ab' }],
  // Text added after the last value.
  [['ab', 'cd'], [''], 'abcdX', { lo: 1, hi: 1, text: 'cdX' }],
  // Only the separator changed: the value before it, with its new separator.
  [['ab', 'cd'], [' '], 'ab_cd', { lo: 0, hi: 0, text: 'ab_' }],
];
