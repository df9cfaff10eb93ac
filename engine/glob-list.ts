import picomatch from 'picomatch';

const SLASH_STANDIN = '\u2215';
const GLOB_CHARS = /[*?[\]{}()!+@]/;

/** Bound on compiled globs kept for reuse (policies hold a few hundred; reloads add their own). */
const MAX_COMPILED = 4096;

/** Pattern → its compiled form: a pattern is compiled once per process, however many rule sets use it. */
const compiled = new Map<string, RegExp>();

/**
 * True when `pattern` uses glob syntax (`*`, `?`, `[…]`, `{…}`, extglobs); false for a literal name, which is
 * matched by equality.
 */
export function isGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/**
 * A list of glob patterns compiled once (micromatch semantics via picomatch, `dot: true`).
 * Attribute keys are matched as one path segment: a `/` inside a key is an ordinary character,
 * so `*password*` also catches `form/password` (fail closed). The only place globs are compiled.
 */
export class GlobList {
  private readonly exact = new Map<string, string>();
  private readonly patterns: { readonly pattern: string; readonly re: RegExp }[] = [];

  /** @throws Error naming the pattern when one cannot be compiled. */
  constructor(patterns: readonly string[]) {
    for (const pattern of patterns) {
      if (!isGlob(pattern)) {
        if (!this.exact.has(pattern)) this.exact.set(pattern, pattern);
        continue;
      }
      this.patterns.push({ pattern, re: compileGlob(pattern) });
    }
  }

  /** True when the list has no pattern at all. */
  get isEmpty(): boolean {
    return this.exact.size === 0 && this.patterns.length === 0;
  }

  /** The first pattern that matches `key` (exact names first), or undefined. */
  match(key: string): string | undefined {
    const hit = this.exact.get(key);
    if (hit !== undefined) return hit;
    if (this.patterns.length === 0) return undefined;
    const subject = key.includes('/') ? key.replaceAll('/', SLASH_STANDIN) : key;
    for (const p of this.patterns) if (p.re.test(subject)) return p.pattern;
    return undefined;
  }
}

/**
 * Compiles one glob (cached: the policy loader's validation and every rule set share one compiled form);
 * throws `Error('invalid glob "…": reason')` for a malformed one.
 */
export function compileGlob(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (re !== undefined) return re;
  try {
    re = picomatch.makeRe(pattern.replaceAll('/', SLASH_STANDIN), { dot: true, strictBrackets: true });
  } catch (err) {
    throw new Error(`invalid glob ${JSON.stringify(pattern)}: ${(err as Error).message.split('\n')[0]}`, {
      cause: err,
    });
  }
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  compiled.set(pattern, re);
  return re;
}
