import type { Attributes } from '@opentelemetry/api';
import type { AttributeRules, Decision, KeyTransforms } from './attribute-rules';
import { canonicalString } from './canonical-value';
import type { FieldEncryptor } from './crypto/field-encryption';
import { setOwn } from './own-property';
import type { Pseudonymizer } from './crypto/pseudonymizer';
import { TwoGenerationCache } from './two-generation-cache';

/** Returned by the engine for a value that must not be exported at all. */
export const DROPPED: unique symbol = Symbol('otel-privacy.dropped');

/** The fixed text written by `default: mask`. */
export const MASK = '[REDACTED]';

/** An attribute nested deeper than this is dropped whole (fail closed): bounds work on hostile or cyclic values. */
export const MAX_DEPTH = 32;

/** Positions of a top-level attributes object whose last decision is remembered. */
const MEMO_POSITIONS = 64;

/** Entries per generation of each rule's cache of clean transformed/generalized strings. */
const OUTPUT_CACHE_SIZE = 1024;

/** Strings longer than this are transformed/generalized and scanned every time, never cached. */
const MAX_CACHED_OUTPUT_INPUT = 256;

/** Internal: a value nested too deep; turns the whole top-level attribute into `DROPPED`. */
const TOO_DEEP: unique symbol = Symbol('otel-privacy.too-deep');

/**
 * Scans a kept string value (value detectors, URL/SQL sanitizers). Returns the value to keep, or
 * `DROPPED` to remove the whole attribute.
 */
export type ValueScanner = (value: string, key: string) => string | typeof DROPPED;

/** What the engine needs besides the rules. */
export interface RedactorTools {
  /** Present when the policy has an HMAC key. */
  readonly pseudonymizer?: Pseudonymizer;
  /** Present when the policy has an encryption key. */
  readonly encryptor?: FieldEncryptor;
  /** Present when the policy scans kept values (`values`). */
  readonly scanner?: ValueScanner;
  /**
   * With `scanner`: scans a value a URL/SQL sanitizer rewrote, looking at the raw value too (a finding
   * in either is masked in the output). Without it, only the rewritten value is scanned.
   */
  readonly scanTransformed?: (raw: string, transformed: string, key: string) => string | typeof DROPPED;
  /** With `scanner`: the findings it counted so far, by type (null-prototype record, per compiled policy). */
  readonly findings?: Readonly<Record<string, number>>;
  /** The URL and SQL sanitizers, by key (`sanitizers`). */
  readonly transforms?: KeyTransforms;
  /** Present with `sanitizers.spanName: true`: span names through the URL/SQL sanitizers. */
  readonly spanName?: (name: string) => string;
}

/**
 * Attribute entries a sanitizing pass wrote, as flat `key, value, key, value, …` pairs (cheaper to
 * record than an object with keyed stores; see `AttributeRedactor.sanitizeInto`).
 */
export type CleanEntries = unknown[];

/** Whether `entries` recorded exactly `value` under `key` (the slow path, when keys come back in another order). */
function recordedValueIs(entries: CleanEntries, key: string, value: unknown): boolean {
  for (let j = 0; j < entries.length; j += 2) if (entries[j] === key) return entries[j + 1] === value;
  return false;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/**
 * The engine (SPEC §4): applies one compiled rule set to attributes. Every signal uses this class;
 * there is no other redactor. Values are `AnyValue`: maps under kept keys are sanitized recursively
 * with dotted keys (`http.request.body.user.email` is decided as that key).
 */
export class AttributeRedactor {
  /** The key last seen at each position of a top-level attributes object, and its decision. */
  private readonly memoKeys: (string | undefined)[] = new Array<string | undefined>(MEMO_POSITIONS).fill(undefined);
  private readonly memoDecisions: (Decision | undefined)[] = new Array<Decision | undefined>(MEMO_POSITIONS).fill(
    undefined,
  );
  /**
   * Per rule with a URL/SQL sanitizer or a generalizer: raw string → final value, for results the
   * value scanner found nothing in (values with findings go the whole way every time, so every finding
   * is counted). One `Map.get` instead of transform + scan for values that repeat (URLs, client
   * addresses). Bounded: 2 × `OUTPUT_CACHE_SIZE` entries per rule, inputs of at most
   * `MAX_CACHED_OUTPUT_INPUT` characters (a URL's sanitized form can be about 2.5 × longer). Like the
   * pseudonym cache it holds raw inputs in memory only, for the life of this compiled rule set.
   */
  private readonly outputs = new Map<Decision, TwoGenerationCache<string>>();

  constructor(
    /** The compiled rules this sanitizer applies. */
    readonly rules: AttributeRules,
    private readonly tools: RedactorTools,
  ) {}

  /** Returns a sanitized copy of `attributes`. */
  sanitize(attributes: Attributes): Attributes {
    const out: Attributes = {};
    this.sanitizeInto(attributes, out);
    return out;
  }

  /**
   * `sanitize`, writing the entries into `out` (which must be empty, e.g. an object the caller
   * allocated with room for many properties). Returns the number of entries written.
   *
   * @param alreadyClean entries an earlier pass wrote (its `record`): a key whose value is still
   *   identical (`===`) to the one recorded is copied as it is (a pseudonym must not be hashed twice)
   * @param record when given, receives every written entry as `key, value` pairs
   */
  sanitizeInto(attributes: Attributes, out: Attributes, alreadyClean?: CleanEntries, record?: CleanEntries): number {
    const keys = Object.keys(attributes);
    const memoKeys = this.memoKeys;
    const memoDecisions = this.memoDecisions;
    let written = 0;
    let cursor = 0; // recorded entries usually come back first and in the same order
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const value = attributes[key];
      let v: unknown;
      let clean = false;
      if (alreadyClean !== undefined && cursor < alreadyClean.length) {
        if (alreadyClean[cursor] === key) {
          clean = alreadyClean[cursor + 1] === value;
          cursor += 2;
        } else clean = recordedValueIs(alreadyClean, key, value);
      }
      if (clean) v = value;
      else {
        // Spans of one kind carry their keys in the same order: the decision at each position is
        // remembered (an identity check) before falling back to the rules' cache.
        let d: Decision;
        if (i < MEMO_POSITIONS && memoKeys[i] === key) d = memoDecisions[i]!;
        else {
          d = this.rules.decide(key);
          if (i < MEMO_POSITIONS) {
            memoKeys[i] = key;
            memoDecisions[i] = d;
          }
        }
        d.count++;
        v = this.apply(d, key, value, 0);
        if (v === TOO_DEEP) v = DROPPED;
      }
      if (v !== DROPPED) {
        setOwn(out, key, v);
        written++;
        if (record !== undefined) record.push(key, v);
      }
    }
    return written;
  }

  /** The sanitized form of one top-level value under `key`, or `DROPPED`. */
  sanitizeValue(key: string, value: unknown): unknown {
    const v = this.decideAndApply(key, value, 0);
    return v === TOO_DEEP ? DROPPED : v;
  }

  /**
   * The sanitized form of `value` as if `key` were allowed: strings scanned, maps decided entry by
   * entry as `key.<entry>`, arrays element by element (e.g. a log body under `log.body`), or `DROPPED`.
   */
  sanitizeKept(key: string, value: unknown): unknown {
    const v = this.keep(key, value, 0);
    return v === TOO_DEEP ? DROPPED : v;
  }

  private decideAndApply(key: string, value: unknown, depth: number): unknown {
    const d = this.rules.decide(key);
    d.count++;
    return this.apply(d, key, value, depth);
  }

  private apply(d: Decision, key: string, value: unknown, depth: number): unknown {
    switch (d.action) {
      case 'drop':
        return DROPPED;
      case 'allow':
        if (d.transform !== undefined && typeof value === 'string') return this.cachedOutput(d, key, value, depth);
        return this.keep(key, value, depth, d.transform);
      case 'hash':
        if (value === null || value === undefined) return value;
        return this.tools.pseudonymizer!.pseudonym(canonicalString(value));
      case 'encrypt':
        if (value === null || value === undefined) return value;
        return this.tools.encryptor!.encrypt(canonicalString(value), key);
      case 'generalize': {
        if (typeof value === 'string') return this.cachedOutput(d, key, value, depth);
        const g = d.generalizer!(value);
        return g === undefined ? DROPPED : this.keep(key, g, depth);
      }
      case 'mask':
        return MASK;
    }
  }

  /**
   * A string under a rule with a URL/SQL sanitizer (`allow`) or a generalizer: the cached final value
   * when this raw string was seen before and came out clean, else transform/generalize and scan it.
   */
  private cachedOutput(d: Decision, key: string, value: string, depth: number): unknown {
    let cache = this.outputs.get(d);
    if (cache === undefined) this.outputs.set(d, (cache = new TwoGenerationCache<string>(OUTPUT_CACHE_SIZE)));
    const cacheable = value.length <= MAX_CACHED_OUTPUT_INPUT;
    if (cacheable) {
      const hit = cache.get(value);
      if (hit !== undefined) return hit;
    }
    let produced: string;
    if (d.action === 'allow') produced = d.transform!(value);
    else {
      const g = d.generalizer!(value);
      if (g === undefined) return DROPPED;
      produced = g;
    }
    const before = cacheable ? this.findingsTotal() : 0;
    const out = d.action === 'allow' ? this.scanTransformed(key, value, produced) : this.keep(key, produced, depth);
    // Only an output the scanner found nothing in is cached: a finding is counted every time it is seen.
    if (cacheable && out === produced && this.findingsTotal() === before) cache.set(value, produced);
    return out;
  }

  /** A kept string through the value scanner (when the policy scans values). */
  private scan(key: string, value: string): string | typeof DROPPED {
    return this.tools.scanner ? this.tools.scanner(value, key) : value;
  }

  /** A string a URL/SQL sanitizer rewrote: the output scanned, and the raw value too (see `RedactorTools.scanTransformed`). */
  private scanTransformed(key: string, raw: string, produced: string): string | typeof DROPPED {
    if (raw === produced || this.tools.scanTransformed === undefined) return this.scan(key, produced);
    return this.tools.scanTransformed(raw, produced, key);
  }

  /** Findings the value scanner has counted so far, all types together (read on cache misses only). */
  private findingsTotal(): number {
    const f = this.tools.findings;
    let n = 0;
    if (f !== undefined) for (const type in f) n += f[type];
    return n;
  }

  /**
   * A kept value: strings go through the key's sanitizer (URL/SQL) and the value scanner, maps
   * recurse with dotted keys, arrays element by element.
   */
  private keep(key: string, value: unknown, depth: number, transform?: (value: string) => string): unknown {
    if (typeof value === 'string')
      return transform ? this.scanTransformed(key, value, transform(value)) : this.scan(key, value);
    if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value;
    if (depth >= MAX_DEPTH) return TOO_DEEP;
    if (Array.isArray(value)) {
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) {
        const el = value[i];
        const v = isMap(el) ? this.sanitizeMap(key, el, depth + 1) : this.keep(key, el, depth + 1, transform);
        if (v === DROPPED || v === TOO_DEEP) return v;
        out[i] = v;
      }
      return out;
    }
    return this.sanitizeMap(key, value as Record<string, unknown>, depth + 1);
  }

  private sanitizeMap(prefix: string, map: Record<string, unknown>, depth: number): unknown {
    if (depth >= MAX_DEPTH) return TOO_DEEP;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(map)) {
      const v = this.decideAndApply(`${prefix}.${k}`, map[k], depth);
      if (v === TOO_DEEP) return TOO_DEEP;
      if (v !== DROPPED) setOwn(out, k, v);
    }
    return out;
  }
}
