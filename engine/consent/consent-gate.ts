import { propagation } from '@opentelemetry/api';
import type { Attributes, Context } from '@opentelemetry/api';
import type { AttributeRules } from '../attribute-rules';
import { MAX_DEPTH } from '../attribute-redactor';
import { canonicalString } from '../canonical-value';
import type { Pseudonymizer } from '../crypto/pseudonymizer';
import { GlobList } from '../glob-list';
import { printOnlySummary } from '../inspect-summary';
import { CONSENT_SUBJECT_KEY } from './consent-context';
import type { OptOutSet } from './opt-out-set';
import type { OptedOutValues } from './opted-out-values';
import { compileSubjectPath, isMap, someAtPath } from './subject-path';
import type { SubjectPath } from './subject-path';
import { MAX_SUBJECT_VALUES } from './subject-mask';

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** What happens to an opted-out subject's items. */
export type ConsentAction = 'drop' | 'minimize';

/** The compiled `consent` section. */
export interface ConsentSettings {
  /** Attribute keys whose values identify the subject. */
  readonly attributes: readonly string[];
  /** Baggage entries whose values identify the subject. */
  readonly baggage: readonly string[];
  /** Whether the subject set with `withConsentSubject` is read. */
  readonly context: boolean;
  /** What happens to opted-out items. */
  readonly action: ConsentAction;
  /** Keys `minimize` removes besides hashed, encrypted and generalized keys and the subject keys. */
  readonly personal: readonly string[];
}

/** Length of a pseudonym after its `<keyId>:` prefix (base64url of 16 bytes). */
const PSEUDONYM_BODY = 22;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** The engine's name for log body entries (`log.body.<path>`). */
const BODY_PREFIX = 'log.body.';

/**
 * Consent gating, compiled once per policy: finds the subject of an item (attributes, context, baggage), looks its
 * pseudonym up in the opt-out set (raw identifiers are pseudonymized with the policy's HMAC key first; values that
 * already are that key's pseudonyms are looked up as they are), and says which attribute keys `minimize` removes.
 * Decisions are cached per raw value and filter; identifying-key decisions per rule set.
 */
export class ConsentGate {
  /** `drop` or `minimize`. */
  readonly action: ConsentAction;
  private readonly attributes: readonly string[];
  private readonly baggage: readonly string[];
  private readonly context: boolean;
  private readonly subjectKeys: ReadonlySet<string>;
  private readonly personal: GlobList;
  private readonly prefix: string;
  private readonly identifying = new WeakMap<AttributeRules, Map<string, boolean>>();
  /** The subject keys compiled as paths into attributes (literal key, or a dotted path into map values). */
  private readonly paths: readonly SubjectPath[];
  /** The same, from a log body map's root (`user.id` finds body `{user: {id}}`; `log.body.user.id` too). */
  private readonly bodyPaths: readonly SubjectPath[];
  /** `optedOut`, bound once (passed to the path lookups). */
  private readonly test = (value: unknown): boolean => this.optedOut(value);

  constructor(
    settings: ConsentSettings,
    private readonly pseudonymizer: Pseudonymizer,
    /** The opt-out set (its filter is replaced on reload). */
    readonly optOut: OptOutSet,
  ) {
    this.action = settings.action;
    this.attributes = settings.attributes;
    this.baggage = settings.baggage;
    this.context = settings.context;
    this.subjectKeys = new Set(settings.attributes);
    const memo = new Map<string, SubjectPath>();
    this.paths = settings.attributes.map((k) => compileSubjectPath(k, memo));
    this.bodyPaths = settings.attributes.map((k) =>
      compileSubjectPath(k.startsWith(BODY_PREFIX) ? k.slice(BODY_PREFIX.length) : k, memo),
    );
    this.personal = new GlobList(settings.personal);
    this.prefix = `${pseudonymizer.keyId}:`;
  }

  /**
   * The identifier values of opted-out subjects found under the filter in effect (raw or pseudonyms; bounded; a new
   * set when the filter is reloaded): what a metric point's attribute text is checked for at export, where the
   * context it was recorded in is gone.
   */
  get seen(): OptedOutValues {
    return this.optOut.seen;
  }

  /**
   * True when the subject identifier `value` (raw or the policy's pseudonym; arrays: any element; bytes: as their
   * UTF-8 text, and as the pseudonym the policy gives the bytes) opted out.
   */
  optedOut(value: unknown): boolean {
    if (value === undefined || value === null) return false;
    if (Array.isArray(value)) return value.some((v) => this.optedOut(v));
    if (value instanceof Uint8Array && this.optedOut(utf8.decode(value))) return true;
    const raw = canonicalString(value);
    const set = this.optOut;
    const hit = set.cached(raw);
    if (hit !== undefined) {
      // noted again as on a first lookup: both values may have been forgotten since (the noted values are bounded)
      if (hit) this.noteSeen(raw, this.pseudonymOf(raw));
      return hit;
    }
    const pseudonym = this.pseudonymOf(raw);
    // identifiers are matched in any case (`consent build` adds each raw identifier's lower-case form too):
    // `Jane.Doe@Example.com`, `FAKE-USER-13` are the subject `jane.doe@example.com`, `fake-user-13`
    const lower = pseudonym === raw ? raw : raw.toLowerCase();
    const out = set.has(pseudonym) || (lower !== raw && set.has(this.pseudonymizer.pseudonym(lower)));
    set.remember(raw, out);
    if (out) this.noteSeen(raw, pseudonym);
    return out;
  }

  /** Notes an opted-out value, and its pseudonym: a metric point naming the subject by it in text is the subject's too. */
  private noteSeen(raw: string, pseudonym: string): void {
    this.seen.note(raw);
    if (pseudonym !== raw) this.seen.note(pseudonym);
  }

  /** The pseudonym the opt-out set is searched for: `raw` itself when it already is one of this key. */
  pseudonymOf(raw: string): string {
    if (
      raw.length === this.prefix.length + PSEUDONYM_BODY &&
      raw.startsWith(this.prefix) &&
      BASE64URL.test(raw.slice(this.prefix.length))
    )
      return raw;
    return this.pseudonymizer.pseudonym(raw);
  }

  /**
   * True when a key named in `subject.attributes` carries an opted-out subject: the attribute of that name, or the
   * entry its dotted path names inside a map value (`enduser.id` → attribute `enduser` `{ id }`; see `SubjectPath`).
   */
  attributesOptedOut(attributes: Attributes | undefined): boolean {
    if (attributes === undefined) return false;
    const paths = this.paths;
    for (let i = 0; i < paths.length; i++)
      if (someAtPath(attributes as Record<string, unknown>, paths[i], this.test)) return true;
    return false;
  }

  /**
   * True when a log record's attributes, or its body's map entries (subject keys from the body's root; in an array
   * body, from the root of each of its maps, as the engine decides them under `log.body`), opt out.
   */
  recordOptedOut(attributes: Attributes | undefined, body: unknown): boolean {
    if (this.attributesOptedOut(attributes)) return true;
    if (typeof body !== 'object' || body === null) return false;
    const paths = this.bodyPaths;
    return someBodyMap(body, (map) => {
      for (let i = 0; i < paths.length; i++) if (someAtPath(map, paths[i], this.test)) return true;
      return false;
    });
  }

  /**
   * True when the span's own attributes, any event's or any link's attributes carry an opted-out subject (a subject
   * named only on an event or a link is the span's subject too).
   */
  spanOptedOut(span: {
    readonly attributes: Attributes;
    readonly events: readonly { readonly attributes?: Attributes }[];
    readonly links: readonly { readonly attributes?: Attributes }[];
  }): boolean {
    if (this.attributesOptedOut(span.attributes)) return true;
    for (const e of span.events) if (this.attributesOptedOut(e.attributes)) return true;
    for (const l of span.links) if (this.attributesOptedOut(l.attributes)) return true;
    return false;
  }

  /** True when the context names an opted-out subject (`withConsentSubject`, or a `subject.baggage` entry). */
  contextOptedOut(ctx: Context | undefined): boolean {
    if (ctx === undefined) return false;
    if (this.context) {
      const v = ctx.getValue(CONSENT_SUBJECT_KEY);
      if (v !== undefined && this.optedOut(v)) return true;
    }
    if (this.baggage.length > 0) {
      const bag = propagation.getBaggage(ctx);
      if (bag !== undefined)
        for (const key of this.baggage) {
          const v = bag.getEntry(key)?.value;
          if (v !== undefined && this.optedOut(v)) return true;
        }
    }
    return false;
  }

  /**
   * True when `minimize` removes `key` under `rules`: the rules hash, encrypt or generalize it, or it is a subject
   * key or named by `consent.personal` (cached per rule set).
   */
  isIdentifying(rules: AttributeRules, key: string): boolean {
    let byKey = this.identifying.get(rules);
    if (byKey === undefined) this.identifying.set(rules, (byKey = new Map()));
    let out = byKey.get(key);
    if (out === undefined) {
      const action = rules.decide(key).action;
      out =
        action === 'hash' ||
        action === 'encrypt' ||
        action === 'generalize' ||
        this.subjectKeys.has(key) ||
        this.personal.match(key) !== undefined;
      if (byKey.size >= 4096) byKey.clear();
      byKey.set(key, out);
    }
    return out;
  }

  /**
   * `attributes` without the keys `minimize` removes, also inside map values and the maps of array values (an entry
   * is decided under its dotted key, `enduser.id` in a map under `enduser`, as the engine decides it): the same object
   * when none is there.
   */
  minimize(rules: AttributeRules, attributes: Attributes): Attributes {
    return this.minimizeMap(rules, attributes as Record<string, unknown>, '') as Attributes;
  }

  /**
   * A log body without the map entries `minimize` removes (`log.body.<path>` decided by the rules, or a subject key;
   * in a map body, or in the maps of an array body).
   */
  minimizeBody(rules: AttributeRules, body: unknown): unknown {
    if (isMap(body)) return this.minimizeMap(rules, body, BODY_PREFIX);
    return Array.isArray(body) ? this.minimizeArray(rules, body, BODY_PREFIX) : body;
  }

  private minimizeMap(rules: AttributeRules, map: Record<string, unknown>, prefix: string): Record<string, unknown> {
    let out: Record<string, unknown> | undefined;
    for (const key in map) {
      if (!Object.prototype.hasOwnProperty.call(map, key)) continue;
      const dotted = prefix + key;
      if (this.isIdentifying(rules, dotted) || (prefix === BODY_PREFIX && this.subjectKeys.has(key))) {
        if (out === undefined) out = { ...map };
        delete out[key];
        continue;
      }
      const v = map[key];
      let inner: unknown = v;
      if (isMap(v)) inner = this.minimizeMap(rules, v, `${dotted}.`);
      else if (Array.isArray(v)) inner = this.minimizeArray(rules, v, `${dotted}.`);
      if (inner !== v) (out ??= { ...map })[key] = inner;
    }
    return out ?? map;
  }

  /** The maps of an array (nested arrays too) minimized with their entries under `prefix` (the engine's keys). */
  private minimizeArray(rules: AttributeRules, array: readonly unknown[], prefix: string): readonly unknown[] {
    let out: unknown[] | undefined;
    for (let i = 0; i < array.length; i++) {
      const el = array[i];
      let inner: unknown = el;
      if (isMap(el)) inner = this.minimizeMap(rules, el, prefix);
      else if (Array.isArray(el)) inner = this.minimizeArray(rules, el, prefix);
      if (inner !== el) (out ??= array.slice())[i] = inner;
    }
    return out ?? array;
  }

  /**
   * Adds to `out` the raw identifier values of an item (what `minimize` masks in its text): the values at the subject
   * keys (paths into maps too) and the values under every key `minimize` removes (hashed, encrypted, generalized,
   * personal), also inside maps and the maps of arrays. Strings and numbers (array elements and map leaves too), at
   * most `MAX_SUBJECT_VALUES`. False when the item cannot be minimized with certainty (the caller drops it): it holds
   * a map or array nested deeper than the engine keeps (`MAX_DEPTH`: not read), or more identifier values than a
   * mask covers (`MAX_SUBJECT_VALUES`: the rest would stay in its text).
   */
  identifierValues(rules: AttributeRules, attributes: Attributes | undefined, out: Set<string>): boolean {
    if (attributes === undefined) return true;
    return this.valuesOf(rules, attributes as Record<string, unknown>, this.paths, '', 0, out);
  }

  /**
   * `identifierValues` for a log body (a map: subject keys from its root, rules under `log.body.<path>`; an array:
   * the same for each of its maps, as the engine decides them). False as there.
   */
  bodyIdentifierValues(rules: AttributeRules, body: unknown, out: Set<string>): boolean {
    // the body is a value under `log.body`: its own entries are one level deeper than an item's attributes
    if (isMap(body)) return this.valuesOf(rules, body, this.bodyPaths, BODY_PREFIX, 1, out);
    if (!Array.isArray(body)) return true;
    let complete = true;
    someBodyMap(body, (map) => {
      for (const path of this.bodyPaths)
        someAtPath(map, path, (v) => {
          complete = this.subjectLeaves(v, out) && complete;
          return false;
        });
      return false;
    });
    return this.identifyingIn(rules, body, 'log.body', out, 0) && complete;
  }

  /**
   * Adds the subject identifiers the context names (`withConsentSubject`, `subject.baggage` entries) to `out`; false
   * when one did not fit (`MAX_SUBJECT_VALUES`).
   */
  contextValues(ctx: Context | undefined, out: Set<string>): boolean {
    if (ctx === undefined) return true;
    let complete = true;
    if (this.context) complete = this.subjectLeaves(ctx.getValue(CONSENT_SUBJECT_KEY), out);
    if (this.baggage.length > 0) {
      const bag = propagation.getBaggage(ctx);
      if (bag !== undefined)
        for (const key of this.baggage) complete = this.subjectLeaves(bag.getEntry(key)?.value, out) && complete;
    }
    return complete;
  }

  /**
   * The leaves of a subject identifier value into `out`, each with the pseudonym the policy gives it: a subject named
   * by its raw id is found in text by its pseudonym too (`cache user:k1:…` in a note), which identifies it as well.
   * False when one did not fit.
   */
  private subjectLeaves(v: unknown, out: Set<string>): boolean {
    const leaves = new Set<string>();
    let complete = collectLeaves(v, leaves);
    for (const leaf of leaves) complete = addValue(out, leaf) && addValue(out, this.pseudonymOf(leaf)) && complete;
    return complete;
  }

  private valuesOf(
    rules: AttributeRules,
    map: Record<string, unknown>,
    paths: readonly SubjectPath[],
    prefix: string,
    depth: number,
    out: Set<string>,
  ): boolean {
    let complete = true;
    for (const path of paths)
      someAtPath(map, path, (v) => {
        complete = this.subjectLeaves(v, out) && complete;
        return false;
      });
    return this.identifyingLeaves(rules, map, prefix, out, depth) && complete;
  }

  /**
   * The leaves under the identifying keys of `map`, whose entries the engine decides at `depth` (an item's attributes
   * at 0, as `AttributeRedactor` counts): through map values and the maps of array values, exactly as deep as the
   * engine keeps them. False when a map or array lies deeper (the engine drops its whole top-level attribute; what
   * it holds was not read).
   */
  private identifyingLeaves(
    rules: AttributeRules,
    map: Record<string, unknown>,
    prefix: string,
    out: Set<string>,
    depth: number,
  ): boolean {
    if (depth >= MAX_DEPTH) return false;
    let complete = true;
    for (const key in map) {
      if (!Object.prototype.hasOwnProperty.call(map, key)) continue;
      const dotted = prefix + key;
      const v = map[key];
      if (this.isIdentifying(rules, dotted)) complete = collectLeaves(v, out, depth) && complete;
      else complete = this.identifyingIn(rules, v, dotted, out, depth) && complete;
    }
    return complete;
  }

  /** `identifyingLeaves` in the value `v` of the (non-identifying) key `dotted`, at the engine's `depth`. */
  private identifyingIn(rules: AttributeRules, v: unknown, dotted: string, out: Set<string>, depth: number): boolean {
    if (isMap(v)) return this.identifyingLeaves(rules, v, `${dotted}.`, out, depth + 1);
    if (!Array.isArray(v)) return true;
    if (depth >= MAX_DEPTH) return false;
    let complete = true;
    // the engine decides an array's maps at the array's depth plus one, its nested arrays one level down
    for (const el of v)
      complete =
        (isMap(el)
          ? this.identifyingLeaves(rules, el, `${dotted}.`, out, depth + 1)
          : this.identifyingIn(rules, el, dotted, out, depth + 1)) && complete;
    return complete;
  }
}

/**
 * The strings, numbers and bytes (as UTF-8) in `v` (array elements, map leaves) into `out`, up to
 * `MAX_SUBJECT_VALUES`; `v` is at the engine's `depth`. False when a map or array lies deeper than the engine keeps
 * (`MAX_DEPTH`, counted as `AttributeRedactor` does: its leaves were not read), or a leaf did not fit.
 */
function collectLeaves(v: unknown, out: Set<string>, depth = 0): boolean {
  if (typeof v === 'string') return v === '' || addValue(out, v);
  if (typeof v === 'number' || typeof v === 'bigint') return addValue(out, String(v));
  if (v instanceof Uint8Array) {
    const text = utf8.decode(v);
    return text === '' || addValue(out, text);
  }
  if (Array.isArray(v)) {
    if (depth >= MAX_DEPTH) return false;
    let complete = true;
    for (const e of v)
      complete = (isMap(e) ? mapLeaves(e, out, depth + 1) : collectLeaves(e, out, depth + 1)) && complete;
    return complete;
  }
  return isMap(v) ? mapLeaves(v, out, depth + 1) : true;
}

/**
 * True when `test` holds for a map of a log body: the body itself, or a map of an array body (nested arrays too, down
 * to the engine's `MAX_DEPTH`, past which it removes the body).
 */
function someBodyMap(body: unknown, test: (map: Record<string, unknown>) => boolean, depth = 0): boolean {
  if (isMap(body)) return test(body);
  if (!Array.isArray(body) || depth >= MAX_DEPTH) return false;
  for (const el of body) if (someBodyMap(el, test, depth + 1)) return true;
  return false;
}

/** Adds `v` to `out`: false when it is new and `out` already holds `MAX_SUBJECT_VALUES` (more than a mask covers). */
function addValue(out: Set<string>, v: string): boolean {
  if (out.has(v)) return true;
  if (out.size >= MAX_SUBJECT_VALUES) return false;
  out.add(v);
  return true;
}

/** `collectLeaves` of the entries of a map the engine decides at `depth`. */
function mapLeaves(map: Record<string, unknown>, out: Set<string>, depth: number): boolean {
  if (depth >= MAX_DEPTH) return false;
  let complete = true;
  for (const k in map)
    if (Object.prototype.hasOwnProperty.call(map, k)) complete = collectLeaves(map[k], out, depth) && complete;
  return complete;
}

// Its opt-out set caches raw subject identifiers: a print shows only the action.
printOnlySummary(ConsentGate.prototype, 'ConsentGate', (g) => ({ action: g.action }));
