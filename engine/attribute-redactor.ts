import type { Attributes } from '@opentelemetry/api';
import type { AttributeRules, Decision, KeyScanner, KeyTransforms } from './attribute-rules';
import { canonicalString } from './canonical-value';
import { printOnlySummary } from './inspect-summary';
import type { ValueEncryptor } from './crypto/field-encryption';
import { setOwn } from './own-property';
import type { ConsentGate } from './consent/consent-gate';
import type { Pseudonymizer } from './crypto/pseudonymizer';
import { TwoGenerationCache } from './two-generation-cache';
import { isDigitString, keyContextPrefix } from './key-context';
import {
  MAX_MAP_JOIN_VALUES,
  changedEntries,
  joinWith,
  codeUnitsText,
  junctionSeparators,
  utf16Text,
} from './split-values';
import type { FindingLog } from './finding-log';
import type { AlarmKeyLabels } from './alarm-key-label';
import type { FindingTally } from './detectors/value-scanner';
import {
  MIN_ISO_LENGTH,
  NOT_TIME_KEY,
  coarsenEpochNumber,
  coarsenEpochString,
  coarsenHrTimeValue,
  coarsenIsoString,
  timeKeyClass,
} from './time-precision';
import { DB_SYSTEM_KEYS, statementFamilies } from './sanitizers/statement-sanitizer';
import type { StatementFamily } from './sanitizers/statement-sanitizer';
import { sequential } from './sequential-string';
import { mayHoldEscapedSlash } from './sanitizers/people-routes';
import { templatePeoplePathsInText } from './sanitizers/url-text';

/** Returned by the engine for a value that must not be exported at all. */
export const DROPPED: unique symbol = Symbol('otel-privacy.dropped');

/** The fixed text written by `default: mask`. */
export const MASK = '[REDACTED]';

/**
 * An attribute nested deeper than this is dropped whole (fail closed), counted as a finding of type `too-deep` when
 * the policy scans values: bounds work on hostile or cyclic values. Every walk over telemetry values that decides
 * what is exported (consent, the log body's URL rules) reads at least this deep, counted the same way.
 */
export const MAX_DEPTH = 32;

/** Positions of a top-level attributes object whose last decision is remembered. */
const MEMO_POSITIONS = 64;

/** Keys remembered per position (a power of two). */
const MEMO_WAYS = 4;

/** Entries per generation of each rule's cache of clean transformed/generalized strings. */
const OUTPUT_CACHE_SIZE = 1024;

/**
 * The output caches store a value at its second sighting: most raw URLs, statements and addresses of a busy
 * service are seen once, and storing each cost more than it saved (see `TwoGenerationCache`).
 */
const ADMISSION = { admitOnSecondSighting: true } as const;

/** Keys whose context prefix (`keyContextPrefix`) is remembered; past it the oldest are evicted. */
const MAX_CONTEXT_KEYS = 4096;

/** Strings longer than this are transformed/generalized and scanned every time, never cached. */
const MAX_CACHED_OUTPUT_INPUT = 256;

/** Separators a string array is joined with for the second scan (see `AttributeRedactor.scanJoined`). */
const JOINS = ['', ' '] as const;

/**
 * Separators a map's string values are joined with (see `AttributeRedactor.scanMapJoined`): none, a space, and (the
 * `undefined`) none except a space where a letter meets a digit (`junctionSeparators`).
 */
const MAP_JOINS = ['', ' ', undefined] as const;

/** A three-element array is also joined with `-` (`['123', '45', '6789']` is an SSN's groups). */
const TRIPLE_JOIN = '-';

/**
 * Longest joined text scanned at once: a longer array is scanned as windows of consecutive elements of about this
 * length (cut between elements), each overlapping the previous by `JOIN_OVERLAP` characters of elements, so a value
 * split across elements anywhere is in one window, and a long clean array is not cut at `values.maxScanLength`.
 */
const JOIN_WINDOW = 4096;

/** Characters of elements a window repeats from the previous one (longer than any value split across elements). */
const JOIN_OVERLAP = 600;

/** Internal: a value nested too deep; turns the whole top-level attribute into `DROPPED`. */
const TOO_DEEP: unique symbol = Symbol('otel-privacy.too-deep');

/**
 * Scans a kept string value (value detectors, after the URL/statement sanitizers). Returns the value
 * to keep, or `DROPPED` to remove the whole attribute.
 */
export type ValueScanner = (value: string, key: string) => string | typeof DROPPED;

/** `values.bytes`: what happens to bytes values that are not valid UTF-8 (see `RedactorTools.bytes`). */
export type BytesMode = 'scan' | 'drop' | 'keep';

/** The finding type counted for a bytes value dropped because it cannot be scanned (or by `values.bytes: drop`). */
export const BYTES_TYPE = 'bytes';

/** The finding type counted for a top-level value removed because it nests deeper than `MAX_DEPTH`. */
export const TOO_DEEP_TYPE = 'too-deep';

/** Strict UTF-8: invalid input throws instead of becoming U+FFFD (which would hide what was there). */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** What the engine needs besides the rules. */
export interface RedactorTools {
  /** Present when the policy has an HMAC key. */
  readonly pseudonymizer?: Pseudonymizer;
  /**
   * With a key ring (`keys.hmac` as a list): one pseudonymizer per key, the active one first, for subject
   * lookups across key eras (`Policy.pseudonymsOf`). Never used to write telemetry.
   */
  readonly pseudonymRing?: readonly Pseudonymizer[];
  /** Present with a `consent` section: the subject lookup and opt-out set. */
  readonly consent?: ConsentGate;
  /** Present when the policy has an encryption key (a shared secret key, or a recipient's public key). */
  readonly encryptor?: ValueEncryptor;
  /** Present when the policy scans kept values (`values`). */
  readonly scanner?: ValueScanner;
  /**
   * With `scanner`: scans a value a URL/statement sanitizer rewrote, looking at the raw value too (a
   * finding in either is masked in the output). Without it, only the rewritten value is scanned.
   */
  readonly scanTransformed?: (raw: string, transformed: string, key: string) => string | typeof DROPPED;
  /**
   * With `scanner`: the findings counted so far, by type (null-prototype record, per compiled
   * policy). The scanner counts findings in values; the engine adds keys holding findings and bytes
   * dropped by `values.bytes` (type `bytes`).
   */
  readonly findings?: Record<string, number>;
  /**
   * With `findings`: incremented with every finding counted into it, by the scanner and by the engine (the scanner's
   * `ValueScannerOptions.tally`). Without it the engine sums `findings` where it needs to know whether a scan counted
   * anything.
   */
  readonly findingTally?: FindingTally;
  /** With `scanner`: scans attribute and map keys (see `AttributeRules`); keys with findings are dropped. */
  readonly keyScanner?: KeyScanner;
  /**
   * With `scanner`: bytes (`Uint8Array`) values. Valid UTF-8 is always decoded and scanned like text;
   * other bytes are dropped (`scan`, the default), or kept under keys named literally in an allow
   * list (`keep`); with `drop` every bytes value is dropped. Every dropped bytes value is counted.
   */
  readonly bytes?: BytesMode;
  /**
   * With `scanner`: numbers (and bigints) at least this large in magnitude are scanned as their
   * decimal string (`values.scanNumbers`); `Infinity` or absent: numbers are never scanned.
   */
  readonly numberFloor?: number;
  /** The URL and statement sanitizers, by key (`sanitizers`). */
  readonly transforms?: KeyTransforms;
  /**
   * The statement family of a database system (`db.system.name`/`db.system` value); without it
   * every statement is read as of an unknown system (the strictest reading).
   */
  readonly statementFamily?: (system: unknown) => StatementFamily;
  /**
   * Present with `sanitizers.spanName: true`: span names through the URL/SQL sanitizers (database
   * spans: see `Policy.redactSpanName`).
   */
  readonly spanName?: (name: string) => string;
  /**
   * Present with `sanitizers.spanName: true`: a span name after the value scanner with its identifier tokens
   * templated (`templateNameTokens`).
   */
  readonly spanNameTokens?: (name: string) => string;
  /**
   * Present with `sanitizers.url.logBody` (on by default with URL attributes): free text with its
   * URL-like words through the URL sanitizer (log bodies; see `sanitizeUrlsInText`).
   */
  readonly textUrls?: (text: string) => string;
  /**
   * With `scanner` and `alarms.leak`: where the scanner notes each finding's type; the engine attributes them to
   * its signal and the key it scanned (see `FindingLog`).
   */
  readonly findingLog?: FindingLog;
  /** With `findingLog`: what the leak alarm prints for a key (the key, or the pattern that decided it and a tag). */
  readonly alarmKeys?: AlarmKeyLabels;
  /**
   * `values.timestamps: coarsen`: the precision (ms) that kept values looking like high-precision times are rounded
   * down to (see `engine/time-precision.ts`); absent: times are kept as they are.
   */
  readonly timestampPrecision?: number;
}

/** A decimal number written as a string (an epoch time `coarsenTime` may have rounded). */
const DIGITS = /^\d+(?:\.\d+)?$/;

/** Numbers below this cannot be a time `coarsenEpochNumber` reads (seconds with a fraction since 2000). */
const TIME_FLOOR = 946_684_800;

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

/** Position of each statement family in a rule's per-family caches. */
const FAMILY_INDEX = Object.fromEntries(statementFamilies.map((f, i) => [f, i])) as Record<StatementFamily, number>;

/** The database system an attribute map names (`db.system.name`, else `db.system`), if any. */
function dbSystemOf(attributes: Attributes): unknown {
  const name = attributes[DB_SYSTEM_KEYS[0]];
  return name !== undefined ? name : attributes[DB_SYSTEM_KEYS[1]];
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/**
 * The significant digits of a number's decimal string: sign, decimal point, exponent and leading and trailing
 * zeros removed (`-0.004111e+21` → `4111`). A card number hidden in a double keeps its digits there.
 */
function significantDigits(decimal: string): string {
  let end = decimal.indexOf('e');
  if (end === -1) end = decimal.length;
  let out = '';
  for (let i = 0; i < end; i++) {
    const c = decimal.charCodeAt(i);
    if (c >= 48 && c <= 57) out += decimal[i];
  }
  let a = 0;
  while (a < out.length && out.charCodeAt(a) === 48) a++;
  let b = out.length;
  while (b > a && out.charCodeAt(b - 1) === 48) b--;
  return out.slice(a, b);
}

/** Written by `flat` so that the read that flattens a string is never optimized away. */
let _flatRead = 0;

/**
 * `s`, made flat before it is looked up by content. A string built by concatenation (`'https://' + host + path`, as
 * instrumentations and the benchmark build URLs, statements and ids) is a tree of pieces until something reads it
 * whole: a `Map` lookup of such a string hashes and compares it piece by piece, about a third slower than reading
 * one character (which makes V8 copy it into one flat string, once) and looking the flat string up. Every later read
 * of it (the sanitizers, the scanner, the HMAC) gets the flat string too.
 */
function flat(s: string): string {
  _flatRead = s.charCodeAt(0);
  return s;
}

/** The text of bytes that are UTF-8 (strict: `undefined` for any other bytes). */
export function utf8TextOf(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined; // binary bytes (kept under `bytes: keep`)
  }
}

/** The text a map entry adds to the map's join: a string, or bytes that are UTF-8 (`undefined` for anything else). */
function textOfEntry(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  return v instanceof Uint8Array ? utf8TextOf(v) : undefined;
}

/** Most leaves of a nested array read into its joined text (`collectLeaves`). */
const MAX_LEAVES = 4096;

/**
 * The strings and numbers of a sanitized array, depth first through nested arrays and maps (in key order),
 * appended to `leaves`, and the text of bytes that are UTF-8 (a stream's `Buffer` chunks: `[<Buffer 6a>,
 * <Buffer 61 6e 65 2e 64 6f 65 40 …>]` is `jane.doe@…` cut in two); booleans, null and other bytes are skipped, so they
 * do not separate the halves of a value.
 */
function collectLeaves(value: unknown, leaves: unknown[], depth: number): void {
  if (depth > MAX_DEPTH || leaves.length >= MAX_LEAVES) return;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') leaves.push(value);
  else if (value instanceof Uint8Array) {
    const text = textOfEntry(value);
    if (text !== undefined) leaves.push(text);
  } else if (Array.isArray(value)) for (const el of value) collectLeaves(el, leaves, depth + 1);
  else if (isMap(value)) for (const k of Object.keys(value)) collectLeaves(value[k], leaves, depth + 1);
}

/**
 * The engine: applies one compiled rule set to attributes. Every signal uses this class;
 * there is no other redactor. Values are `AnyValue`: maps under kept keys are sanitized recursively
 * with dotted keys (`http.request.body.user.email` is decided as that key). With a value scanner,
 * keys are scanned too (a key holding a finding is dropped with its value), bytes are decoded and
 * scanned, large numbers are scanned as decimal text, and string arrays also as their joined text
 * (see docs/value-scanning.md).
 */
export class AttributeRedactor {
  /**
   * The last `MEMO_WAYS` keys seen at each position of a top-level attributes object (slots `i * MEMO_WAYS` on), and
   * their decisions: the objects of a request (a server span's start and end attributes, its database span's, an
   * exception event's) come through the same engine in turn, each kind with its keys in its own order.
   */
  private readonly memoKeys: (string | undefined)[] = new Array<string | undefined>(MEMO_POSITIONS * MEMO_WAYS).fill(
    undefined,
  );
  private readonly memoDecisions: (Decision | undefined)[] = new Array<Decision | undefined>(
    MEMO_POSITIONS * MEMO_WAYS,
  ).fill(undefined);
  /** Per position: the way the next new key replaces (round robin). */
  private readonly memoNext = new Uint8Array(MEMO_POSITIONS);
  /**
   * Per memo slot: the last two strings under that slot's key that came out of the engine unchanged with no finding
   * counted (see `sanitizeInto`; `memoValues` the newer, `memoValuesOlder` the one before). A value equal to either
   * is written through as it is, without the scanner or a cache lookup: the constants most attributes carry (`GET`,
   * `https`, `postgresql`, a route) are the same string object request after request, so the check is one pointer
   * comparison. Two, because objects of two kinds often alternate with the same key at the same position and a
   * different constant (`server.address` of a server span and of its database span). Never set for statement keys
   * (their result also depends on the database system beside them), nor for strings longer than
   * `MAX_CACHED_OUTPUT_INPUT` (it holds them in memory).
   */
  private readonly memoValues: (string | undefined)[] = new Array<string | undefined>(MEMO_POSITIONS * MEMO_WAYS).fill(
    undefined,
  );
  private readonly memoValuesOlder: (string | undefined)[] = new Array<string | undefined>(
    MEMO_POSITIONS * MEMO_WAYS,
  ).fill(undefined);
  /**
   * Per rule with a URL sanitizer or a generalizer: raw string → final value, for results the
   * value scanner found nothing in (values with findings go the whole way every time, so every finding
   * is counted). One `Map.get` instead of transform + scan for values that repeat (URLs, client
   * addresses), from their second sighting on (a value seen once is not stored). Bounded: 2 × `OUTPUT_CACHE_SIZE` entries per rule, inputs of at most
   * `MAX_CACHED_OUTPUT_INPUT` characters (a URL's sanitized form can be about 2.5 × longer). Like the
   * pseudonym cache it holds raw inputs in memory only, for the life of this compiled rule set.
   */
  private readonly outputs = new Map<Decision, TwoGenerationCache<string>>();
  /** The same for rules with a statement sanitizer, one cache per statement family (same bounds). */
  private readonly statementOutputs = new Map<Decision, (TwoGenerationCache<string> | undefined)[]>();
  /**
   * Per key a digit string was seen under: the context its words give (`keyContextPrefix`), `null` for none. Bounded by
   * `MAX_CONTEXT_KEYS`; read only for digit strings (`isDigitString`).
   */
  private readonly keyContexts = new Map<string, string | null>();
  /** The database system `familyOf` resolved last, and its family. */
  private lastSystem: unknown;
  private lastFamily: StatementFamily | undefined;

  /** Numbers smaller than this in magnitude are never scanned (see `RedactorTools.numberFloor`). */
  private readonly numberFloor: number;
  private readonly bigintFloor: bigint;
  /** Fewest significant digits of a non-integer (or rounded) number that are scanned: those of `numberFloor`. */
  private readonly numberDigits: number;
  /** The value scanner; with a finding log, one that attributes its findings to this signal and the key. */
  private readonly scanner: ValueScanner | undefined;
  private readonly scanTransformedBy: RedactorTools['scanTransformed'];
  /** The signal these rules apply to (first word of the rules' label), for the finding log. */
  private readonly signal: string;

  constructor(
    /** The compiled rules this sanitizer applies. */
    readonly rules: AttributeRules,
    private readonly tools: RedactorTools,
  ) {
    this.numberFloor = tools.numberFloor ?? Infinity;
    this.bigintFloor = Number.isFinite(this.numberFloor) ? BigInt(Math.ceil(this.numberFloor)) : 2n ** 1100n;
    this.numberDigits = Number.isFinite(this.numberFloor) ? String(Math.ceil(this.numberFloor)).length : Infinity;
    const space = rules.label.indexOf(' ');
    const signal = (this.signal = space === -1 ? rules.label : rules.label.slice(0, space));
    const log = tools.findingLog;
    const scanner = tools.scanner;
    const transformed = tools.scanTransformed;
    const labels = tools.alarmKeys;
    // Only on a finding: the printable label of the key (cached per key in `labels`).
    const label = (key: string): string => (labels === undefined ? key : labels.label(key, rules.decide(key)));
    // Without a finding log the scanner is called as it is; with one, a clean value costs one length check more.
    this.scanner =
      log === undefined || scanner === undefined
        ? scanner
        : (value, key) => {
            const out = scanner(value, key);
            if (log.pending.length !== 0) log.flush(signal, label(key));
            return out;
          };
    this.scanTransformedBy =
      log === undefined || transformed === undefined
        ? transformed
        : (raw, produced, key) => {
            const out = transformed(raw, produced, key);
            if (log.pending.length !== 0) log.flush(signal, label(key));
            return out;
          };
  }

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
    const memoKeys = this.memoKeys;
    const memoDecisions = this.memoDecisions;
    const memoValues = this.memoValues;
    const memoValuesOlder = this.memoValuesOlder;
    const tally = this.tools.findingTally;
    let written = 0;
    let cursor = 0; // recorded entries usually come back first and in the same order
    let family: StatementFamily | undefined; // read from this map once, at its first statement key
    let i = -1; // the key's position
    // `for…in` with the own-property check (the keys `Object.keys` gives, in its order): V8 then reads each value
    // by its field index from the object's enum cache, where `Object.keys` and `attributes[key]` make a generic keyed
    // load per entry (attribute objects of many shapes pass here) and allocate the key array.
    for (const key in attributes) {
      if (!Object.prototype.hasOwnProperty.call(attributes, key)) continue;
      i++;
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
        let d: Decision | undefined;
        let slot = -1; // the memo slot of this key, when it has one
        if (i < MEMO_POSITIONS) {
          const base = i * MEMO_WAYS;
          for (let w = base; w < base + MEMO_WAYS; w++)
            if (memoKeys[w] === key) {
              d = memoDecisions[w];
              slot = w;
              break;
            }
          if (d === undefined) {
            d = this.rules.decide(key);
            slot = base + (this.memoNext[i]++ & (MEMO_WAYS - 1));
            memoKeys[slot] = key;
            memoDecisions[slot] = d;
            memoValues[slot] = undefined;
            memoValuesOlder[slot] = undefined;
          }
        } else d = this.rules.decide(key);
        d.count++;
        // (the older value is set only where the newer one is)
        const memo = slot === -1 ? undefined : memoValues[slot];
        if (memo !== undefined && (value === memo || value === memoValuesOlder[slot])) v = value;
        else {
          if (d.statement !== undefined && family === undefined) family = this.familyOf(attributes);
          const before = tally === undefined ? 0 : tally.total;
          v = this.apply(d, key, value, 0, family);
          if (v === TOO_DEEP) v = this.dropCounted(TOO_DEEP_TYPE, key);
          // Remembered only when the engine wrote the string through as it was and counted nothing (a value that came
          // out otherwise leaves the two remembered ones as they are: each still came out unchanged under this key).
          if (
            slot !== -1 &&
            typeof value === 'string' &&
            d.statement === undefined &&
            value.length <= MAX_CACHED_OUTPUT_INPUT &&
            v === value &&
            tally !== undefined &&
            tally.total === before
          ) {
            memoValuesOlder[slot] = memoValues[slot];
            memoValues[slot] = value;
          }
        }
      }
      if (v !== DROPPED) {
        setOwn(out, key, v);
        written++;
        if (record !== undefined) record.push(key, v);
      }
    }
    return written;
  }

  /**
   * Records that a value decided `drop` by `d` was removed without passing through this engine (e.g.
   * a pending resource attribute): counts the rule and, for a key holding findings, the findings.
   */
  countDropped(d: Decision): void {
    d.count++;
    if (d.keyFindings !== undefined) this.countKeyFindings(d.keyFindings);
  }

  /** The sanitized form of one top-level value under `key`, or `DROPPED`. */
  sanitizeValue(key: string, value: unknown): unknown {
    const v = this.decideAndApply(key, value, 0);
    return v === TOO_DEEP ? this.dropCounted(TOO_DEEP_TYPE, key) : v;
  }

  /**
   * The sanitized form of `value` as if `key` were allowed: strings scanned, maps decided entry by
   * entry as `key.<entry>`, arrays element by element (e.g. a log body under `log.body`), or `DROPPED`.
   */
  sanitizeKept(key: string, value: unknown): unknown {
    const v = this.keep(key, value, 0);
    return v === TOO_DEEP ? this.dropCounted(TOO_DEEP_TYPE, key) : v;
  }

  /** The statement family of the database system `attributes` names (`unknown` when none). */
  familyOf(attributes: Attributes): StatementFamily {
    const resolve = this.tools.statementFamily;
    if (resolve === undefined) return 'unknown';
    // Spans of one service name few systems: the last one resolved is remembered (an identity check).
    const system = dbSystemOf(attributes);
    if (system !== this.lastSystem || this.lastFamily === undefined) {
      this.lastFamily = resolve(system);
      this.lastSystem = system;
    }
    return this.lastFamily;
  }

  private decideAndApply(key: string, value: unknown, depth: number): unknown {
    const d = this.rules.decide(key);
    d.count++;
    return this.apply(d, key, value, depth);
  }

  /**
   * @param family for a statement key: the family of the database system named beside it (`unknown`
   *   when none is, e.g. a nested map or a single value)
   */
  private apply(d: Decision, key: string, value: unknown, depth: number, family?: StatementFamily): unknown {
    switch (d.action) {
      case 'drop':
        if (d.keyFindings !== undefined) this.countKeyFindings(d.keyFindings);
        return DROPPED;
      case 'allow':
        if (d.statement !== undefined) {
          const f = family ?? 'unknown';
          if (typeof value === 'string') return this.cachedStatement(d, key, value, depth, f);
          return this.keep(key, value, depth, d, (s) => d.statement!(s, f));
        }
        if (d.transform !== undefined && typeof value === 'string') return this.cachedOutput(d, key, value, depth);
        return this.keep(key, value, depth, d);
      case 'hash':
        if (value === null || value === undefined) return value;
        return this.tools.pseudonymizer!.pseudonym(typeof value === 'string' ? flat(value) : canonicalString(value));
      case 'encrypt':
        if (value === null || value === undefined) return value;
        return d.deterministic === true
          ? this.tools.encryptor!.encryptDeterministic(canonicalString(value), key)
          : this.tools.encryptor!.encrypt(canonicalString(value), key);
      case 'generalize': {
        if (typeof value === 'string') return this.cachedOutput(d, key, value, depth);
        const g = d.generalizer!(value);
        return g === undefined ? DROPPED : this.keep(key, g, depth);
      }
      case 'mask':
        // Only a string becomes the mask: a number, boolean, array, map or null under a masked key is removed instead,
        // so an attribute never changes type (backends map `server.port` or `http.response.status_code` as integers).
        return typeof value === 'string' ? MASK : DROPPED;
    }
  }

  /**
   * A string under a rule with a URL sanitizer (`allow`) or a generalizer: the cached final value
   * when this raw string was seen before and came out clean, else transform/generalize and scan it.
   */
  private cachedOutput(d: Decision, key: string, value: string, depth: number): unknown {
    let cache = this.outputs.get(d);
    if (cache === undefined)
      this.outputs.set(d, (cache = new TwoGenerationCache<string>(OUTPUT_CACHE_SIZE, ADMISSION)));
    const cacheable = value.length <= MAX_CACHED_OUTPUT_INPUT;
    if (cacheable) {
      const hit = cache.get(flat(value));
      if (hit !== undefined) return hit;
    }
    value = sequential(value);
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

  /**
   * A statement under a rule with a statement sanitizer: `cachedOutput` with one cache per
   * (rule, statement family), so the same text read as two families never shares a result.
   */
  private cachedStatement(d: Decision, key: string, value: string, depth: number, family: StatementFamily): unknown {
    let caches = this.statementOutputs.get(d);
    if (caches === undefined) this.statementOutputs.set(d, (caches = new Array(statementFamilies.length)));
    const index = FAMILY_INDEX[family];
    let cache = caches[index];
    if (cache === undefined) caches[index] = cache = new TwoGenerationCache<string>(OUTPUT_CACHE_SIZE, ADMISSION);
    const cacheable = value.length <= MAX_CACHED_OUTPUT_INPUT;
    if (cacheable) {
      const hit = cache.get(flat(value));
      if (hit !== undefined) return hit;
    }
    value = sequential(value);
    const produced = d.statement!(value, family);
    const before = cacheable ? this.findingsTotal() : 0;
    const out = this.scanTransformed(key, value, produced);
    if (cacheable && out === produced && this.findingsTotal() === before) cache.set(value, produced);
    return out;
  }

  /** Counts one occurrence of a key holding findings: one per type. */
  private countKeyFindings(types: readonly string[]): void {
    const f = this.tools.findings;
    if (f === undefined) return;
    for (let i = 0; i < types.length; i++) f[types[i]] = (f[types[i]] ?? 0) + 1;
    const tally = this.tools.findingTally;
    if (tally !== undefined) tally.total += types.length;
    this.tools.findingLog?.keyFindings(this.signal, types);
  }

  /**
   * Counts one finding of `type` and returns `DROPPED` (a value removed by the engine itself, not by
   * the scanner).
   */
  private dropCounted(type: string, key: string): typeof DROPPED {
    const f = this.tools.findings;
    if (f !== undefined) {
      f[type] = (f[type] ?? 0) + 1;
      const tally = this.tools.findingTally;
      if (tally !== undefined) tally.total++;
    }
    const labels = this.tools.alarmKeys;
    this.tools.findingLog?.sink?.(this.signal, labels ? labels.label(key, this.rules.decide(key)) : key, type);
    return DROPPED;
  }

  /**
   * A kept string through the value scanner (when the policy scans values); with the URL rules on for text
   * (`textUrls`), a path in it (`NotFound /users/janedoe` in `error.type`, also with its `/` escaped:
   * `\/users\/janedoe`, `next=%2Fusers%2Fjanedoe`) first has the URL sanitizer's people rule applied
   * (`templatePeoplePathsInText`), the raw value scanned too.
   */
  private scan(key: string, value: string): string | typeof DROPPED {
    const scanner = this.scanner;
    if (scanner === undefined) return value;
    if (
      (value.indexOf('/') !== -1 || mayHoldEscapedSlash(value)) &&
      this.scanTransformedBy !== undefined &&
      this.tools.textUrls !== undefined
    ) {
      const templated = templatePeoplePathsInText(value);
      if (templated !== value) return this.scanTransformedBy(value, templated, key);
    }
    return scanner(value, key);
  }

  /** A string a URL/SQL sanitizer rewrote: the output scanned, and the raw value too (see `RedactorTools.scanTransformed`). */
  private scanTransformed(key: string, raw: string, produced: string): string | typeof DROPPED {
    if (raw === produced || this.scanTransformedBy === undefined) return this.scan(key, produced);
    return this.scanTransformedBy(raw, produced, key);
  }

  /**
   * Findings counted so far, all types together (read on cache misses only): the tally when the tools keep one (O(1)),
   * else the sum of the record (a loop over its types, with a dictionary-mode record's key enumeration).
   */
  private findingsTotal(): number {
    const tally = this.tools.findingTally;
    if (tally !== undefined) return tally.total;
    const f = this.tools.findings;
    let n = 0;
    if (f !== undefined) for (const type in f) n += f[type];
    return n;
  }

  /**
   * A kept value: strings go through `transform` (the key's URL sanitizer; for a statement key, its
   * statement sanitizer) and the value scanner, maps recurse with dotted keys, arrays element by element
   * (string arrays also as their joined text), bytes are decoded and scanned, large numbers scanned as
   * their decimal string.
   *
   * @param d the `allow` decision that kept it, when there is one (`literalAllow` lets `values.bytes:
   *   keep` keep undecodable bytes)
   * @param transform applied to strings before scanning (default: the decision's URL sanitizer)
   */
  private keep(
    key: string,
    value: unknown,
    depth: number,
    d?: Decision,
    transform: ((value: string) => string) | undefined = d?.transform,
  ): unknown {
    const scanner = this.scanner;
    const precision = this.tools.timestampPrecision;
    if (precision !== undefined) {
      const coarse = this.coarsenTime(key, value, precision);
      if (coarse !== value) {
        // Digits read as a time are scanned as written first: a finding there (a card number in the epoch range) is
        // masked, not hidden by the rounding.
        if (scanner !== undefined && typeof value !== 'object' && (typeof value !== 'string' || DIGITS.test(value))) {
          const raw =
            typeof value === 'string' ? this.scan(key, value) : this.scanNumber(scanner, key, value as number | bigint);
          if (raw !== value) return raw;
        }
        value = coarse;
      }
    }
    if (typeof value === 'string') {
      if (scanner !== undefined && isDigitString(value)) {
        const out = this.scanInKeyContext(scanner, key, value);
        if (out !== undefined) return out;
      }
      return transform ? this.scanTransformed(key, value, transform(value)) : this.scan(key, value);
    }
    if (value instanceof Uint8Array) {
      // Bytes are read as text by the scanner and by a key's URL or statement sanitizer; with neither, kept as they are.
      if (scanner !== undefined || transform !== undefined) return this.keepBytes(key, value, depth, d, transform);
      return value;
    }
    if (scanner === undefined) {
      if (typeof value !== 'object' || value === null) return value;
    } else if (typeof value === 'number') {
      // Cheap pre-check: most numbers are integers far too small to hold a card, id or phone number.
      return value < this.numberFloor && value > -this.numberFloor && Number.isInteger(value)
        ? value
        : this.scanNumber(scanner, key, value);
    } else if (typeof value === 'bigint') {
      return value < this.bigintFloor && value > -this.bigintFloor ? value : this.scanNumber(scanner, key, value);
    } else if (ArrayBuffer.isView(value)) {
      // A typed array (exported as a map of its indices): its values read as character codes are scanned as text; a
      // finding makes the value that text, rewritten.
      const text = codeUnitsText(value as unknown as ArrayLike<number | bigint>);
      if (text !== undefined) {
        const out = this.scan(key, text);
        if (out !== text) return out;
      }
    }
    if (typeof value !== 'object' || value === null) return value;
    if (depth >= MAX_DEPTH) return TOO_DEEP;
    if (Array.isArray(value)) {
      const out = new Array<unknown>(value.length);
      // Arrays are also scanned as their joined text: a value split across elements (`['jane.doe@',
      // 'example.com']`, `[4111, 1111, 1111, 1111]`), nested arrays or maps inside the array is found as a whole.
      let scalars = true;
      for (let i = 0; i < value.length; i++) {
        const el = value[i];
        const v = isMap(el) ? this.sanitizeMap(key, el, depth + 1) : this.keep(key, el, depth + 1, d, transform);
        if (v === DROPPED || v === TOO_DEEP) return v;
        out[i] = v;
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'bigint') scalars = false;
      }
      if (scanner === undefined) return out;
      if (scalars) return value.length > 1 ? this.scanJoined(scanner, key, out) : out;
      const leaves: unknown[] = [];
      collectLeaves(out, leaves, 0);
      return leaves.length > 1 ? this.scanJoined(scanner, key, out, leaves) : out;
    }
    return this.sanitizeMap(key, value as Record<string, unknown>, depth + 1);
  }

  /**
   * `values.timestamps: coarsen`: a whole ISO-8601 string (any key), an epoch number or digit string, or an `HrTime`
   * pair rounded down, as the key's class allows (`timeKeyClass`: every epoch form under a time key, the unmistakable
   * shapes under other keys, nothing numeric under id, count, size and duration keys). Date-times inside text are
   * rounded by the value scanner (`engine/time-in-text.ts`).
   */
  private coarsenTime(key: string, value: unknown, precision: number): unknown {
    if (typeof value === 'string') {
      // the pre-check inside is a length and two character codes
      if (value.length >= MIN_ISO_LENGTH) {
        const iso = coarsenIsoString(value, precision);
        if (iso !== undefined) return iso;
      }
      // an epoch number written as digits (10+ characters)
      const c = value.charCodeAt(0);
      if (value.length < 10 || c < 48 || c > 57) return value;
      return coarsenEpochString(value, precision, timeKeyClass(key)) ?? value;
    }
    if (typeof value === 'number') {
      if (value < TIME_FLOOR) return value;
      return coarsenEpochNumber(value, precision, timeKeyClass(key)) ?? value;
    }
    if (typeof value === 'bigint') {
      if (value < BigInt(TIME_FLOOR)) return value;
      return coarsenEpochNumber(value, precision, timeKeyClass(key)) ?? value;
    }
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number') {
      if (value[0] < TIME_FLOOR || timeKeyClass(key) === NOT_TIME_KEY) return value;
      return coarsenHrTimeValue(value, precision) ?? value;
    }
    return value;
  }

  /**
   * A number or bigint of scannable size, or a number that is not an integer: its decimal string is scanned
   * with the key as context (a phone keyword in the key makes a digit run a phone number), then its
   * significant digits (`0.4111111111111111`, `4.111111111111111e+21` and `4111111111111111000` all carry
   * `4111111111111111`). Clean: the number itself; a finding: the masked (or hashed) string, or `DROPPED`
   * (`values.action: drop`).
   */
  private scanNumber(scanner: ValueScanner, key: string, value: number | bigint): unknown {
    const digits = String(value);
    if (typeof value === 'bigint' || value >= this.numberFloor || value <= -this.numberFloor) {
      const out = this.scanDigits(scanner, key, digits);
      if (out !== undefined) return out;
    }
    const significant = significantDigits(digits);
    if (significant === digits || significant.length < this.numberDigits) return value;
    const out = this.scanDigits(scanner, key, significant);
    return out === undefined ? value : out;
  }

  /**
   * A number written as a string (`isDigitString`) under a key whose words name a phone or SSN context
   * (`keyContextPrefix`: `app.customer_mobile`, `app.ssn`, `contact.phone`): scanned after those words, as a number
   * under that key is, so an unformatted `2025550143` or `123456789` is found. `undefined` when the key gives no
   * context or nothing is found (the string is then scanned as usual), else what replaces it.
   */
  private scanInKeyContext(scanner: ValueScanner, key: string, value: string): unknown {
    const contexts = this.keyContexts;
    let prefix = contexts.get(key);
    if (prefix === undefined) {
      prefix = keyContextPrefix(key) ?? null;
      if (contexts.size >= MAX_CONTEXT_KEYS) contexts.delete(contexts.keys().next().value as string);
      contexts.set(key, prefix);
    }
    if (prefix === null) return undefined;
    const text = prefix + value;
    const out = scanner(text, key);
    if (out === text) return undefined;
    if (out === DROPPED) return DROPPED;
    // A finding reaching into the context words (a custom pattern): the value masked whole.
    return out.startsWith(prefix) ? out.slice(prefix.length) : MASK;
  }

  /**
   * `digits` scanned after `key: ` (and, when clean, after the key's context words: `scanInKeyContext`): `undefined`
   * when clean, else what replaces the number.
   */
  private scanDigits(scanner: ValueScanner, key: string, digits: string): unknown {
    const prefix = `${key}: `;
    const text = prefix + digits;
    const out = scanner(text, key);
    // Clean after the whole key: read once more after the key's context words, which a long key can push out of the
    // detectors' look-back window (`app.phone.details.primary.customer.value`).
    if (out === text) return this.scanInKeyContext(scanner, key, digits);
    if (out === DROPPED) return DROPPED;
    if (out.startsWith(prefix)) return out.slice(prefix.length);
    // The finding reached into the key (a digit run across both): the number alone, masked whole at worst.
    const alone = scanner(digits, key);
    return alone === digits ? MASK : alone;
  }

  /**
   * Bytes: valid UTF-8 is read as the same text in a string would be (`keep`: the key's URL or statement sanitizer,
   * the URL rules for paths in text and the value scanner), and so is its UTF-16 reading when it has one; unchanged:
   * a copy of the bytes; rewritten: the rewritten text as UTF-8 bytes (the OTLP type stays bytes), or `DROPPED`.
   * Other bytes per `values.bytes` (a key with a URL or statement sanitizer is never one `keep` keeps them under: its
   * decision is not a literal allow), and dropped under such a key by a policy without `values` (no sanitizer can read
   * them: fail closed). The copy is taken before the scan and is what is kept: the application's memory (a pooled
   * `Buffer`, a reused array) may be overwritten after it was handed over, and what is exported must be what was
   * scanned.
   */
  private keepBytes(
    key: string,
    value: Uint8Array,
    depth: number,
    d: Decision | undefined,
    transform: ((value: string) => string) | undefined,
  ): unknown {
    const mode = this.scanner === undefined ? 'scan' : (this.tools.bytes ?? 'scan');
    if (mode === 'drop') return this.dropCounted(BYTES_TYPE, key);
    const own = new Uint8Array(value);
    let text: string;
    try {
      text = utf8.decode(own);
    } catch {
      return mode === 'keep' && d?.literalAllow === true ? own : this.dropCounted(BYTES_TYPE, key);
    }
    const out = this.keep(key, text, depth, d, transform);
    if (out === text) {
      // UTF-16 text is valid UTF-8 too (`j\0a\0n\0e\0`): read that way, a finding makes the value the rewritten text
      const wide = utf16Text(own);
      if (wide === undefined) return own;
      const w = this.keep(key, wide, depth, d, transform);
      if (w === wide) return own;
      return typeof w === 'string' ? utf8Encoder.encode(w) : w;
    }
    return typeof out === 'string' ? utf8Encoder.encode(out) : out;
  }

  /**
   * An array (already sanitized element by element) scanned again as its joined text, without and with a
   * space between elements (a three-element array also with `-`), so a value split across elements is found:
   * `values` itself when it holds only strings and numbers, else its `leaves` (see `collectLeaves`). When a join holds
   * a finding the whole array becomes one element: that join, rewritten (or `DROPPED`). A longer array is scanned in
   * overlapping windows of `JOIN_WINDOW` characters (bounded cost, and a clean one stays as it is); a window with a
   * finding makes the array the rewritten windows that hold findings (the rest is dropped with them: fail closed). Where
   * no element fits in two windows (an element too long to share one), the seam is read on its own (`findsAcross`):
   * a finding across it drops the array.
   */
  private scanJoined(scanner: ValueScanner, key: string, values: unknown[], leaves: unknown[] = values): unknown {
    const texts = leaves.map(String);
    let total = 0;
    for (const t of texts) total += t.length + 1;
    if (total <= JOIN_WINDOW) {
      const joins = texts.length === 3 ? [...JOINS, TRIPLE_JOIN] : JOINS;
      // Fractions glued together read as dotted numbers (`[0.25, 0.5, 0.75]` → `0.250.50.75`, a quad).
      const fractions = leaves.some((v) => typeof v === 'number' && !Number.isInteger(v));
      for (const sep of joins) {
        if (sep === '' && fractions) continue;
        const joined = texts.join(sep);
        if (isDigitString(joined)) {
          const found = this.scanInKeyContext(scanner, key, joined);
          if (found !== undefined) return found === DROPPED ? DROPPED : [found];
        }
        const out = scanner(joined, key);
        if (out !== joined) return out === DROPPED ? DROPPED : [out];
      }
      return values;
    }
    const found: string[] = [];
    let from = 0;
    while (from < texts.length) {
      let to = from;
      let length = 0;
      while (to < texts.length && (to === from || length + texts[to].length < JOIN_WINDOW))
        length += texts[to++].length + 1;
      for (const sep of JOINS) {
        const joined = texts.slice(from, to).join(sep);
        const out = scanner(joined, key);
        if (out === DROPPED) return DROPPED;
        if (out !== joined) {
          found.push(out);
          break;
        }
      }
      if (to >= texts.length) break;
      // The next window starts `JOIN_OVERLAP` characters of elements back (always after `from`).
      let back = to;
      let overlap = 0;
      while (back > from + 1 && overlap < JOIN_OVERLAP) overlap += texts[--back].length + 1;
      // No element fits in both windows (the next one is too long to share one): the seam between them is read on
      // its own, and a finding across it drops the array (its pieces reach past the seam's cut edges: fail closed).
      if (
        back === to &&
        this.findsAcross(scanner, key, texts[to - 1].slice(-JOIN_OVERLAP), texts[to].slice(0, JOIN_OVERLAP))
      )
        return DROPPED;
      from = back;
    }
    return found.length === 0 ? values : found;
  }

  /**
   * Whether `left` and `right` joined (by each of `JOINS`) hold a finding that neither holds alone: the join's
   * rewritten text is not the two rewritten texts joined.
   */
  private findsAcross(scanner: ValueScanner, key: string, left: string, right: string): boolean {
    let alone: [string | typeof DROPPED, string | typeof DROPPED] | undefined;
    for (const sep of JOINS) {
      const joined = left + sep + right;
      const out = scanner(joined, key);
      if (out === joined) continue;
      alone ??= [scanner(left, key), scanner(right, key)];
      if (out === DROPPED || alone[0] === DROPPED || alone[1] === DROPPED) return true;
      if (out !== alone[0] + sep + alone[1]) return true;
    }
    return false;
  }

  private sanitizeMap(prefix: string, map: Record<string, unknown>, depth: number): unknown {
    if (depth >= MAX_DEPTH) return TOO_DEEP;
    const out: Record<string, unknown> = {};
    let strings = 0;
    // Entries whose value the policy replaced (pseudonym, token, mask) hold no text of the input: not joined.
    let sealed: Set<string> | undefined;
    for (const k of Object.keys(map)) {
      const key = `${prefix}.${k}`;
      const d = this.rules.decide(key);
      d.count++;
      const v = this.apply(d, key, map[k], depth);
      if (v === TOO_DEEP) return TOO_DEEP;
      if (v !== DROPPED) {
        setOwn(out, k, v);
        if ((typeof v === 'string' && v.length > 0) || (v instanceof Uint8Array && v.length > 0)) {
          if (d.action === 'allow' || d.action === 'generalize') strings++;
          else (sealed ??= new Set()).add(k);
        }
      }
    }
    return strings > 1 && this.scanner !== undefined ? this.scanMapJoined(this.scanner, prefix, out, sealed) : out;
  }

  /**
   * A map (already sanitized entry by entry) whose non-empty string values, in key order, are scanned again joined
   * without and with a space, and with a space only where a letter meets a digit, so that an identifier split across entries (`{ local: 'jane.doe@', domain:
   * 'example.com' }`) is found as a whole; numbers are not joined (each has a key of its own, and numbers side by side
   * would read as phone numbers). Over the first `MAX_MAP_JOIN_VALUES` strings, of at most `JOIN_WINDOW` characters in
   * all.
   * Values the policy replaced (`sealed`: pseudonyms, encryption tokens, masks) are not joined: they hold no text of
   * the input, and a scan of the join would rewrite them (a token cut by `maxScanLength` no longer decrypts).
   * A finding makes the first entry of those it spans the rewritten text of all of them, and removes the others; the
   * map is scanned again (a second identifier), and is dropped (fail closed) when findings remain after four rounds.
   */
  private scanMapJoined(
    scanner: ValueScanner,
    prefix: string,
    map: Record<string, unknown>,
    sealed: ReadonlySet<string> | undefined,
  ): unknown {
    let out = map;
    for (let round = 0; round < 4; round++) {
      const keys: string[] = [];
      const texts: string[] = [];
      let total = 0;
      for (const k of Object.keys(out)) {
        const v = textOfEntry(out[k]);
        if (v === undefined || v.length === 0 || sealed?.has(k) === true) continue;
        if (keys.length === MAX_MAP_JOIN_VALUES || total + v.length > JOIN_WINDOW) break;
        keys.push(k);
        texts.push(v);
        total += v.length + 1;
      }
      if (keys.length < 2) return out;
      let hit: { lo: number; hi: number; text: string } | undefined;
      for (const sep of MAP_JOINS) {
        const seps = junctionSeparators(texts, sep);
        if (seps === undefined) continue;
        const joined = joinWith(texts, seps);
        const found = scanner(joined, prefix);
        if (found === joined) continue;
        if (found === DROPPED) return DROPPED;
        hit = changedEntries(texts, seps, joined, found);
        break;
      }
      if (hit === undefined) return out;
      const next: Record<string, unknown> = {};
      for (const k of Object.keys(out)) {
        const i = keys.indexOf(k);
        if (i === hit.lo) setOwn(next, k, hit.text);
        else if (i === -1 || i < hit.lo || i > hit.hi) setOwn(next, k, out[k]);
      }
      out = next;
    }
    return DROPPED;
  }
}

// Holds raw keys (position memo), raw values (output caches, clean-value memo) and the key material (tools).
printOnlySummary(AttributeRedactor.prototype, 'AttributeRedactor', (r) => ({ rules: r.rules.label }));
