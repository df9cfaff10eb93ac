import picomatch from 'picomatch';

const SLASH_STANDIN = '\u2215';
const GLOB_CHARS = /[*?[\]{}()!+@]/;

/**
 * A list of glob patterns compiled once (micromatch semantics via picomatch, `dot: true`).
 * Attribute keys are matched as one path segment: a `/` inside a key is an ordinary character,
 * so `*password*` also catches `form/password` (fail closed).
 */
export class GlobList {
  private readonly exact = new Map<string, string>();
  private readonly patterns: { readonly pattern: string; readonly re: RegExp }[] = [];

  /** @throws Error naming the pattern when one cannot be compiled. */
  constructor(patterns: readonly string[]) {
    for (const pattern of patterns) {
      if (!GLOB_CHARS.test(pattern)) {
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

/** Compiles one glob; throws `Error('invalid glob "…": reason')` for a malformed one. */
export function compileGlob(pattern: string): RegExp {
  try {
    return picomatch.makeRe(pattern.replaceAll('/', SLASH_STANDIN), { dot: true, strictBrackets: true });
  } catch (err) {
    throw new Error(`invalid glob ${JSON.stringify(pattern)}: ${(err as Error).message.split('\n')[0]}`, {
      cause: err,
    });
  }
}
