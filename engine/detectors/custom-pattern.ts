import type { Detector, Finding } from './types';

/** Code units of the control-character escapes `\n \r \t \f \v`. */
const CONTROL_ESCAPES: Readonly<Record<'n' | 'r' | 't' | 'f' | 'v', number>> = { n: 10, r: 13, t: 9, f: 12, v: 11 };

/**
 * Custom patterns (`values.custom`) run on the JavaScript backtracking engine, so they are checked
 * at policy load: constructs that can backtrack catastrophically are refused with a reason, and
 * unbounded repetitions (`*`, `+`, `{n,}`) are capped at `CUSTOM_REPEAT_CAP` characters so every
 * match attempt does bounded work and a scan stays linear in the text.
 */

/** Upper bound written in place of unbounded repetitions (`\d+` runs as `\d{1,256}`). */
export const CUSTOM_REPEAT_CAP = 256;

/** Explicit repetition bounds above this are refused (`\w{1,100000}`). */
export const CUSTOM_MAX_BOUND = 1000;

/** Longest accepted pattern source. */
const MAX_PATTERN_LENGTH = 1000;

// ---------------------------------------------------------------------------------------------
// Character sets: a bitmap over ASCII plus one flag for "may match some non-ASCII character".

interface CharSet {
  bits: Uint32Array;
  other: boolean;
}

function emptySet(): CharSet {
  return { bits: new Uint32Array(4), other: false };
}

function fullSet(): CharSet {
  return { bits: new Uint32Array([~0, ~0, ~0, ~0]), other: true };
}

function addRange(s: CharSet, from: number, to: number): void {
  for (let c = from; c <= to && c < 128; c++) s.bits[c >> 5] |= 1 << (c & 31);
  if (to >= 128) s.other = true;
}

function union(a: CharSet, b: CharSet): CharSet {
  const out = emptySet();
  for (let k = 0; k < 4; k++) out.bits[k] = a.bits[k] | b.bits[k];
  out.other = a.other || b.other;
  return out;
}

function intersects(a: CharSet, b: CharSet): boolean {
  for (let k = 0; k < 4; k++) if ((a.bits[k] & b.bits[k]) !== 0) return true;
  return a.other && b.other;
}

function negate(s: CharSet): CharSet {
  const out = emptySet();
  for (let k = 0; k < 4; k++) out.bits[k] = ~s.bits[k];
  out.other = true;
  return out;
}

/** Adds the other case of every ASCII letter (for `(?i:…)`). */
function foldCase(s: CharSet): CharSet {
  const out = union(s, emptySet());
  for (let c = 65; c <= 90; c++) {
    const up = (s.bits[c >> 5] >> (c & 31)) & 1;
    const lo = (s.bits[(c + 32) >> 5] >> ((c + 32) & 31)) & 1;
    if (up || lo) {
      out.bits[c >> 5] |= 1 << (c & 31);
      out.bits[(c + 32) >> 5] |= 1 << ((c + 32) & 31);
    }
  }
  return out;
}

const DIGIT = (() => {
  const s = emptySet();
  addRange(s, 48, 57);
  return s;
})();
const WORD = (() => {
  const s = emptySet();
  addRange(s, 48, 57);
  addRange(s, 65, 90);
  addRange(s, 97, 122);
  addRange(s, 95, 95);
  return s;
})();
const SPACE = (() => {
  const s = emptySet();
  addRange(s, 9, 13);
  addRange(s, 32, 32);
  s.other = true;
  return s;
})();

// ---------------------------------------------------------------------------------------------
// A small parser for the JavaScript regex syntax (non-unicode mode) producing just what the
// analysis needs.

type Node =
  | { kind: 'chars'; set: CharSet }
  | { kind: 'empty' } // assertions, lookarounds: zero width
  | { kind: 'backref' }
  | { kind: 'group'; alts: Node[][] }
  | { kind: 'repeat'; body: Node; min: number; max: number };

class PatternError extends Error {}

interface Rewrite {
  at: number;
  length: number;
  text: string;
}

class Parser {
  pos = 0;
  /** Inside `(?s:…)`: `.` matches line breaks too. */
  dotAll = false;
  readonly rewrites: Rewrite[] = [];
  constructor(private readonly src: string) {}

  parse(): Node[][] {
    const alts = this.alternation(false);
    if (this.pos < this.src.length) throw new PatternError(`unbalanced ")" at ${this.pos}`);
    return alts;
  }

  private peek(): string {
    return this.src[this.pos] ?? '';
  }

  private alternation(fold: boolean): Node[][] {
    const alts: Node[][] = [this.sequence(fold)];
    while (this.peek() === '|') {
      this.pos++;
      alts.push(this.sequence(fold));
    }
    return alts;
  }

  private sequence(fold: boolean): Node[] {
    const seq: Node[] = [];
    while (this.pos < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.atom(fold);
      seq.push(this.quantified(atom));
    }
    return seq;
  }

  private quantified(atom: Node): Node {
    const start = this.pos;
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.pos++;
      min = c === '+' ? 1 : 0;
      max = c === '?' ? 1 : Infinity;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos, this.pos + 24));
      if (!m) return atom; // a literal '{' in non-unicode mode
      this.pos += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    } else {
      return atom;
    }
    if (atom.kind === 'empty') throw new PatternError('a quantifier on an assertion');
    if (max !== Infinity && max > CUSTOM_MAX_BOUND)
      throw new PatternError(`repetition bound ${max} above ${CUSTOM_MAX_BOUND}`);
    if (min > CUSTOM_MAX_BOUND) throw new PatternError(`repetition bound ${min} above ${CUSTOM_MAX_BOUND}`);
    if (max === Infinity) {
      if (min > CUSTOM_REPEAT_CAP) throw new PatternError(`repetition bound ${min} above ${CUSTOM_REPEAT_CAP}`);
      this.rewrites.push({ at: start, length: this.pos - start, text: `{${min},${CUSTOM_REPEAT_CAP}}` });
      max = CUSTOM_REPEAT_CAP;
    }
    if (this.peek() === '?') this.pos++; // lazy
    const next = this.peek();
    if (
      next === '*' ||
      next === '+' ||
      next === '?' ||
      (next === '{' && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.pos, this.pos + 24)))
    ) {
      throw new PatternError('a quantifier directly after a quantifier');
    }
    return { kind: 'repeat', body: atom, min, max };
  }

  private atom(fold: boolean): Node {
    const c = this.src[this.pos++];
    switch (c) {
      case '^':
      case '$':
        return { kind: 'empty' };
      case '.': {
        const s = fullSet();
        if (!this.dotAll) s.bits[0] &= ~((1 << 10) | (1 << 13));
        return { kind: 'chars', set: s };
      }
      case '[':
        return { kind: 'chars', set: this.cls(fold) };
      case '(':
        return this.group(fold);
      case '\\':
        return this.escape(fold, false);
      case '*':
      case '+':
      case '?':
        throw new PatternError(`nothing to repeat at ${this.pos - 1}`);
      default: {
        const s = emptySet();
        const code = c.charCodeAt(0);
        addRange(s, code, code);
        return { kind: 'chars', set: fold ? foldCase(s) : s };
      }
    }
  }

  private group(fold: boolean): Node {
    let zeroWidth = false;
    let innerFold = fold;
    const outerDotAll = this.dotAll;
    if (this.peek() === '?') {
      const rest = this.src.slice(this.pos, this.pos + 16);
      let m: RegExpExecArray | null;
      if (rest.startsWith('?:')) this.pos += 2;
      else if (rest.startsWith('?=') || rest.startsWith('?!')) {
        this.pos += 2;
        zeroWidth = true;
      } else if (rest.startsWith('?<=') || rest.startsWith('?<!')) {
        this.pos += 3;
        zeroWidth = true;
      } else if ((m = /^\?<[A-Za-z_$][\w$]*>/.exec(rest)) !== null) this.pos += m[0].length;
      else if ((m = /^\?([ims]*)(?:-([ims]+))?:/.exec(rest)) !== null) {
        this.pos += m[0].length;
        if (m[1].includes('i')) innerFold = true;
        if (m[2]?.includes('i')) innerFold = false;
        if (m[1].includes('s')) this.dotAll = true;
        if (m[2]?.includes('s')) this.dotAll = false;
      } else throw new PatternError(`unsupported group syntax at ${this.pos - 1}`);
    }
    const alts = this.alternation(innerFold);
    this.dotAll = outerDotAll;
    if (this.peek() !== ')') throw new PatternError('unterminated group');
    this.pos++;
    if (zeroWidth) {
      // Lookarounds match nothing themselves, but their bodies must also be safe.
      analyzeAlternation(alts);
      return { kind: 'empty' };
    }
    return { kind: 'group', alts };
  }

  /** An escape after `\`; inside a class `\b` is a backspace. */
  private escape(fold: boolean, inClass: boolean): Node {
    const c = this.src[this.pos++];
    if (c === undefined) throw new PatternError('trailing backslash');
    const s = emptySet();
    switch (c) {
      case 'd':
        return { kind: 'chars', set: DIGIT };
      case 'D':
        return { kind: 'chars', set: negate(DIGIT) };
      case 'w':
        return { kind: 'chars', set: WORD };
      case 'W':
        return { kind: 'chars', set: negate(WORD) };
      case 's':
        return { kind: 'chars', set: SPACE };
      case 'S':
        return { kind: 'chars', set: negate(SPACE) };
      case 'b':
        if (inClass) {
          addRange(s, 8, 8);
          return { kind: 'chars', set: s };
        }
        return { kind: 'empty' };
      case 'B':
        return { kind: 'empty' };
      case 'k':
        if (this.peek() === '<') {
          if (inClass) return { kind: 'chars', set: fullSet() };
          return { kind: 'backref' };
        }
        addRange(s, 107, 107);
        return { kind: 'chars', set: fold ? foldCase(s) : s };
      case 'n':
      case 'r':
      case 't':
      case 'f':
      case 'v':
        addRange(s, CONTROL_ESCAPES[c], CONTROL_ESCAPES[c]);
        return { kind: 'chars', set: s };
      case 'x':
      case 'u': {
        // A code unit escape (`\x41`, `\u00e9`) is that character; without its hex digits it is the letter itself.
        const digits = c === 'x' ? 2 : 4;
        const hex = this.src.slice(this.pos, this.pos + digits);
        let code = c.charCodeAt(0);
        if (hex.length === digits && /^[0-9A-Fa-f]+$/.test(hex)) {
          code = parseInt(hex, 16);
          this.pos += digits;
        }
        addRange(s, code, code);
        return { kind: 'chars', set: fold ? foldCase(s) : s };
      }
      case 'c':
        // A control escape (`\cA` is U+0001); `\c` before anything else reads as "any character" (conservative).
        if (/^[A-Za-z]$/.test(this.peek())) {
          const code = this.src.charCodeAt(this.pos++) % 32;
          addRange(s, code, code);
          return { kind: 'chars', set: s };
        }
        return { kind: 'chars', set: fullSet() };
      case 'p':
      case 'P':
        // Without the `u` flag `\p{L}` is the letter `p` followed by `{L}`.
        addRange(s, c.charCodeAt(0), c.charCodeAt(0));
        return { kind: 'chars', set: fold ? foldCase(s) : s };
      default:
        if (c >= '1' && c <= '9' && !inClass) return { kind: 'backref' };
        if (c >= '0' && c <= '9') return { kind: 'chars', set: fullSet() }; // octal / NUL
        addRange(s, c.charCodeAt(0), c.charCodeAt(0));
        return { kind: 'chars', set: fold ? foldCase(s) : s };
    }
  }

  private cls(fold: boolean): CharSet {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    let set = emptySet();
    let first = true;
    for (;;) {
      if (this.pos >= this.src.length) throw new PatternError('unterminated character class');
      const c = this.src[this.pos];
      if (c === ']' && !first) break;
      if (c === ']' && first) {
        // `[]` matches nothing, `[^]` anything.
        break;
      }
      first = false;
      this.pos++;
      let lo: number;
      if (c === '\\') {
        const e = this.escape(fold, true);
        if (e.kind !== 'chars') throw new PatternError('unsupported escape in character class');
        const bitsSet = e.set;
        // A single-character escape may start a range.
        const single = singleChar(bitsSet);
        if (single === -1) {
          set = union(set, bitsSet);
          continue;
        }
        lo = single;
      } else {
        lo = c.charCodeAt(0);
      }
      if (this.peek() === '-' && this.src[this.pos + 1] !== ']' && this.pos + 1 < this.src.length) {
        this.pos++;
        let hi: number;
        const d = this.src[this.pos++];
        if (d === '\\') {
          const e = this.escape(fold, true);
          const single = e.kind === 'chars' ? singleChar(e.set) : -1;
          if (single === -1) {
            // `[a-\d]` is a literal '-' in non-unicode mode: a, '-', digits.
            addRange(set, lo, lo);
            addRange(set, 45, 45);
            if (e.kind === 'chars') set = union(set, e.set);
            continue;
          }
          hi = single;
        } else hi = d.charCodeAt(0);
        if (hi < lo) throw new PatternError('range out of order in character class');
        addRange(set, lo, hi);
      } else {
        addRange(set, lo, lo);
      }
    }
    this.pos++; // ']'
    if (fold) set = foldCase(set);
    return negated ? negate(set) : set;
  }
}

/** The only character of a set, or -1. */
function singleChar(s: CharSet): number {
  if (s.other) return -1;
  let found = -1;
  for (let c = 0; c < 128; c++) {
    if ((s.bits[c >> 5] >> (c & 31)) & 1) {
      if (found !== -1) return -1;
      found = c;
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Analysis.

function canBeEmpty(node: Node): boolean {
  switch (node.kind) {
    case 'chars':
      return false;
    case 'empty':
      return true;
    case 'backref':
      return true;
    case 'group':
      return node.alts.some((seq) => seq.every(canBeEmpty));
    case 'repeat':
      return node.min === 0 || canBeEmpty(node.body);
  }
}

/** Every character the node may consume. */
function charsOf(node: Node): CharSet {
  switch (node.kind) {
    case 'chars':
      return node.set;
    case 'empty':
    case 'backref':
      return emptySet();
    case 'group': {
      let s = emptySet();
      for (const seq of node.alts) for (const n of seq) s = union(s, charsOf(n));
      return s;
    }
    case 'repeat':
      return charsOf(node.body);
  }
}

/** Characters the node may consume first. */
function firstOf(node: Node): CharSet {
  switch (node.kind) {
    case 'chars':
      return node.set;
    case 'empty':
    case 'backref':
      return emptySet();
    case 'group': {
      let s = emptySet();
      for (const seq of node.alts) s = union(s, firstOfSeq(seq));
      return s;
    }
    case 'repeat':
      return firstOf(node.body);
  }
}

function firstOfSeq(seq: Node[]): CharSet {
  let s = emptySet();
  for (const n of seq) {
    s = union(s, firstOf(n));
    if (!canBeEmpty(n)) break;
  }
  return s;
}

/** Whether the node holds a repetition whose count can vary (`+`, `*`, `?`, `{1,3}`). */
function hasVariableRepeat(node: Node): boolean {
  switch (node.kind) {
    case 'repeat':
      return node.min !== node.max || hasVariableRepeat(node.body);
    case 'group':
      return node.alts.some((seq) => seq.some(hasVariableRepeat));
    default:
      return false;
  }
}

/** Whether the node holds an alternation whose branches can start alike or be empty. */
function hasAmbiguousAlternation(node: Node): boolean {
  switch (node.kind) {
    case 'repeat':
      return hasAmbiguousAlternation(node.body);
    case 'group': {
      if (node.alts.length > 1) {
        const firsts = node.alts.map(firstOfSeq);
        for (let a = 0; a < node.alts.length; a++) {
          if (node.alts[a].every(canBeEmpty)) return true;
          for (let b = a + 1; b < node.alts.length; b++) if (intersects(firsts[a], firsts[b])) return true;
        }
      }
      return node.alts.some((seq) => seq.some(hasAmbiguousAlternation));
    }
    default:
      return false;
  }
}

function analyzeNode(node: Node): void {
  if (node.kind === 'backref') throw new PatternError('backreferences can backtrack exponentially');
  if (node.kind === 'group') analyzeAlternation(node.alts);
  if (node.kind !== 'repeat') return;
  analyzeNode(node.body);
  if (node.max <= 1) return;
  if (canBeEmpty(node.body)) throw new PatternError('a repeated group that can match the empty string');
  if (hasVariableRepeat(node.body))
    throw new PatternError('nested quantifiers ((a+)+ style) can backtrack catastrophically');
  if (hasAmbiguousAlternation(node.body)) {
    throw new PatternError(
      'overlapping alternatives under a quantifier ((a|ab)* style) can backtrack catastrophically',
    );
  }
}

function analyzeAlternation(alts: Node[][]): void {
  for (const seq of alts) analyzeSequence(seq);
}

/**
 * Within a sequence, two variable repetitions that can consume the same characters with nothing
 * mandatory and disjoint in between (`\d+\d+`, `.*x.*`, `\w+\s*\w+`) backtrack polynomially.
 */
function analyzeSequence(seq: Node[]): void {
  let open: CharSet | undefined;
  for (const node of seq) {
    analyzeNode(node);
    const chars = charsOf(node);
    if (hasVariableRepeat(node)) {
      if (open !== undefined && intersects(open, chars)) {
        throw new PatternError(
          'adjacent quantifiers over overlapping characters (\\d+\\d+ or .*x.* style) backtrack polynomially',
        );
      }
      open = canBeEmpty(node) && open !== undefined ? union(open, chars) : chars;
    } else if (open !== undefined && !canBeEmpty(node) && !intersects(open, chars)) {
      open = undefined;
    }
  }
}

/** The result of checking a custom pattern: the runnable (capped) source, or why it was refused. */
export type CompiledPattern = { ok: true; source: string } | { ok: false; reason: string };

/**
 * Checks a custom pattern and returns the source that will actually run (unbounded repetitions
 * capped at `CUSTOM_REPEAT_CAP`), or a one-line reason for refusing it.
 */
export function compileCustomPattern(pattern: string): CompiledPattern {
  if (pattern.length === 0) return { ok: false, reason: 'empty pattern' };
  if (pattern.length > MAX_PATTERN_LENGTH)
    return { ok: false, reason: `pattern longer than ${MAX_PATTERN_LENGTH} characters` };
  try {
    new RegExp(pattern, 'g');
  } catch (err) {
    return {
      ok: false,
      reason: `does not compile: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`,
    };
  }
  try {
    const parser = new Parser(pattern);
    const alts = parser.parse();
    analyzeAlternation(alts);
    if (alts.some((seq) => seq.every(canBeEmpty))) return { ok: false, reason: 'matches the empty string' };
    let source = pattern;
    for (let k = parser.rewrites.length - 1; k >= 0; k--) {
      const r = parser.rewrites[k];
      source = source.slice(0, r.at) + r.text + source.slice(r.at + r.length);
    }
    new RegExp(source, 'g');
    return { ok: true, source };
  } catch (err) {
    if (err instanceof PatternError) return { ok: false, reason: err.message };
    return { ok: false, reason: `unsupported pattern: ${(err as Error).message}` };
  }
}

/**
 * Returns a one-line reason when `pattern` must not be used as a custom detector: it does not
 * compile, matches the empty string, or contains a construct that can backtrack catastrophically
 * (nested quantifiers, overlapping alternatives or adjacent overlapping quantifiers under
 * repetition, backreferences, bounds above 1000). Returns `undefined` for an acceptable pattern.
 */
export function checkCustomPattern(pattern: string): string | undefined {
  const r = compileCustomPattern(pattern);
  return r.ok ? undefined : r.reason;
}

/**
 * A detector for a checked custom pattern (`{ name, pattern }` from `values.custom`). Throws when
 * the pattern is refused by `checkCustomPattern`.
 */
export function createCustomDetector(name: string, pattern: string): Detector {
  const compiled = compileCustomPattern(pattern);
  if (!compiled.ok) throw new Error(`custom pattern "${name}": ${compiled.reason}`);
  const re = new RegExp(compiled.source, 'g');
  return {
    name,
    trigger: /[^]/,
    mayMatch: () => true,
    find(text: string, out: Finding[]): void {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text)) !== null) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        out.push({ start: m.index, end: m.index + m[0].length, type: name });
      }
    },
  };
}
