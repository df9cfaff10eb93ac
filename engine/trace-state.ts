import type { SpanContext, TraceState as ApiTraceState } from '@opentelemetry/api';
import { GlobList } from './glob-list';
import { IdentityMemo } from './identity-memo';
import { SealedTraceState } from './sealed-trace-state';
import type { ValueScanner } from './attribute-redactor';
import { TwoGenerationCache } from './two-generation-cache';
import { identifierDigitsStart } from './identifier-digits';

/**
 * The tracestate vendor keys kept when a policy names none: `ot`, which the consistent-probability sampler writes
 * (`ot=th:<hex>`) so that samplers downstream stay consistent.
 */
export const DEFAULT_TRACE_STATE_ALLOW: readonly string[] = Object.freeze(['ot']);

/** Most list members a tracestate keeps (W3C Trace Context); members after the 32nd are never read. */
export const MAX_TRACE_STATE_MEMBERS = 32;

/** Longest tracestate key and longest value (W3C Trace Context). */
export const MAX_TRACE_STATE_FIELD_LENGTH = 256;

/**
 * Longest tracestate input read at all: 32 members of the longest key and value, with separators and some
 * optional white space. A longer input is hostile or broken and yields an empty tracestate (fail closed).
 */
export const MAX_TRACE_STATE_INPUT_LENGTH = 20_000;

/** Entries per generation of the cache of filtered tracestate strings. */
const CACHE_SIZE = 1024;

/** Inputs longer than this are filtered every time, never cached. */
const MAX_CACHED_INPUT = 1024;

/** Entries in the cache of key decisions before it is cleared (keys come from callers: bounded). */
const MAX_CACHED_KEYS = 512;

function isKeyChar(c: number): boolean {
  // [_0-9a-z\-*/]
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 42 || c === 47;
}

/**
 * Whether `key` is a W3C tracestate key: `[a-z][_0-9a-z-*\/]{0,255}`, or the multi-tenant form
 * `[a-z0-9][_0-9a-z-*\/]{0,240}@[a-z][_0-9a-z-*\/]{0,13}`.
 */
export function isTraceStateKey(key: string): boolean {
  const n = key.length;
  if (n === 0 || n > MAX_TRACE_STATE_FIELD_LENGTH) return false;
  const at = key.indexOf('@');
  if (at === -1) {
    const c = key.charCodeAt(0);
    if (c < 97 || c > 122) return false;
    for (let i = 1; i < n; i++) if (!isKeyChar(key.charCodeAt(i))) return false;
    return true;
  }
  // tenant@system
  if (at === 0 || at > 241 || n - at - 1 < 1 || n - at - 1 > 14) return false;
  const t = key.charCodeAt(0);
  if (!((t >= 97 && t <= 122) || (t >= 48 && t <= 57))) return false;
  for (let i = 1; i < at; i++) if (!isKeyChar(key.charCodeAt(i))) return false;
  const s = key.charCodeAt(at + 1);
  if (s < 97 || s > 122) return false;
  for (let i = at + 2; i < n; i++) if (!isKeyChar(key.charCodeAt(i))) return false;
  return true;
}

/** Whether `value` is a W3C tracestate value: 1-256 printable ASCII characters but `,` and `=`, not ending in a space. */
export function isTraceStateValue(value: string): boolean {
  const n = value.length;
  if (n === 0 || n > MAX_TRACE_STATE_FIELD_LENGTH) return false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x2c || c === 0x3d) return false;
  }
  return value.charCodeAt(n - 1) !== 0x20;
}

function isOws(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * `sc` with `traceState` replaced (ids, flags and `isRemote` kept), or `sc` itself when `traceState` is the one it
 * has. A new object: span contexts are shared with the application and the SDK and are never mutated.
 */
export function withTraceState(sc: SpanContext, traceState: ApiTraceState | undefined): SpanContext {
  if (traceState === sc.traceState) return sc;
  const out: SpanContext = { traceId: sc.traceId, spanId: sc.spanId, traceFlags: sc.traceFlags };
  if (sc.isRemote !== undefined) out.isRemote = sc.isRemote;
  if (traceState !== undefined) out.traceState = traceState;
  return out;
}

/** A trace id's length: 32 lowercase hex digits (W3C Trace Context). */
const TRACE_ID_LENGTH = 32;

/** A span id's length: 16 lowercase hex digits (W3C Trace Context). */
const SPAN_ID_LENGTH = 16;

/** 1 for every code unit below 128 that is not a lowercase hex digit, 0 for `0`-`9` and `a`-`f`. */
const NOT_LOWER_HEX = new Uint8Array(128).fill(1);
for (const c of '0123456789abcdef') NOT_LOWER_HEX[c.charCodeAt(0)] = 0;

/**
 * Whether `s` is a string of exactly `length` lowercase hex digits (`/^[0-9a-f]{length}$/`). Every span's ids are
 * checked at its end: a table read per code unit, without a branch on each digit's kind (random hex digits mispredict
 * one), costs about a third of the regular expression's `test` (40 against 115 ns for a span id, micro-benchmark).
 */
export function isLowerHexId(s: unknown, length: number): s is string {
  if (typeof s !== 'string' || s.length !== length) return false;
  let bad = 0;
  for (let i = 0; i < length; i++) {
    const c = s.charCodeAt(i);
    bad |= c < 128 ? NOT_LOWER_HEX[c]! : 1;
  }
  return bad === 0;
}

/** The last trace id `checkedSpanContext` found well formed. */
let lastTraceId: unknown = '0'.repeat(TRACE_ID_LENGTH);

/**
 * The last span id `checkedSpanContext` found well formed: a parent's id is checked at its child's end, then again
 * as the parent's own at its end (a child ends first).
 */
let lastSpanId: unknown = '0'.repeat(SPAN_ID_LENGTH);

/**
 * A span context of this library's own for export, not frozen: each field of `sc` read once, the ids checked (32 and 16 lowercase
 * hex digits; the all-zero ids of an invalid context pass), the flags cut to a byte (0 when not an integer), `isRemote` kept as a boolean, and
 * the trace state replaced by the one `filter` builds from its serialization (read once). A new object, never `sc`
 * itself: the application may hold `sc` (a link's context, a remote parent) and change it after the span ended. Not
 * frozen (freezing costs more than copying such an object): the caller hands on only copies of it, or freezes it
 * (`exportedSpanContext`). Throws when an id is not an id (the caller fails closed); the message names the field,
 * never its value.
 */
export function checkedSpanContext(sc: SpanContext, filter: TraceStateFilter): SpanContext {
  const traceId: unknown = sc.traceId;
  const spanId: unknown = sc.spanId;
  const traceFlags: unknown = sc.traceFlags;
  const isRemote: unknown = sc.isRemote;
  const traceState: unknown = sc.traceState;
  // the spans of one trace share their trace id: the last one checked is remembered
  if (traceId !== lastTraceId) {
    if (!isLowerHexId(traceId, TRACE_ID_LENGTH))
      throw new TypeError('span context: traceId is not 32 lowercase hex digits');
    lastTraceId = traceId;
  }
  if (spanId !== lastSpanId) {
    if (!isLowerHexId(spanId, SPAN_ID_LENGTH))
      throw new TypeError('span context: spanId is not 16 lowercase hex digits');
    lastSpanId = spanId;
  }
  // Flags carry no value of the application's beyond their low byte: that byte of an integer, else none.
  const flags = typeof traceFlags === 'number' && Number.isInteger(traceFlags) ? traceFlags & 0xff : 0;
  const out: SpanContext = { traceId: traceId as string, spanId: spanId as string, traceFlags: flags };
  if (typeof isRemote === 'boolean') out.isRemote = isRemote;
  if (traceState !== undefined) {
    const ts = filter.filterTraceState(traceState as ApiTraceState);
    if (ts !== undefined) out.traceState = ts;
  }
  return out;
}

/** `checkedSpanContext`, frozen: for an object that stays reachable by the application (e.g. in a log record). */
export function exportedSpanContext(sc: SpanContext, filter: TraceStateFilter): SpanContext {
  return Object.freeze(checkedSpanContext(sc, filter));
}

/** The outcome of filtering one tracestate string. */
export interface FilteredTraceState {
  /** The members kept, serialized (`key=value,key=value`); empty when none is left. */
  readonly value: string;
  /** Whether the value scanner found something in a member (such results are never cached, so every finding is counted). */
  readonly finding: boolean;
}

/** `th:` (1–14 hex digits) and `rv:` (14 hex digits): the sampling fields of the OpenTelemetry `ot` member. */
const OT_FIELD = /^(?:th:[0-9a-f]{1,14}|rv:[0-9a-f]{14})$/;

/** Significant digits a threshold keeps of a run that reads as an identifier: three, fewer than any part worth reading. */
const KEPT_THRESHOLD_DIGITS = 3;

/**
 * One `ot` sampling field (`th:…` or `rv:…`, already well formed) without digits that read as an identifier: the
 * application and every upstream service choose these hex digits, and a run of nine or more decimal digits in them
 * (`rv:00012025550143`, `th:4222222222222`; `IDENTIFIER_DIGITS`) is a number a reader takes for an SSN, a phone or a
 * card number (random hex holds such a run in about 4 % of `rv` values, a threshold the sampler writes at its default
 * precision, 5 hex digits and one more per leading `f`, never). A threshold keeps only the run's first
 * `KEPT_THRESHOLD_DIGITS` significant digits (trailing zeros removed as the specification writes them): it becomes lower
 * by less than 2^44 of its 2^56 range, so the span is sampled with a probability higher by less than 2^-12, and
 * consistent sampling downstream keeps holding (a lower threshold samples a superset).
 * A randomness value has no such margin (its 14 digits are the trace's randomness): it is dropped, and samplers fall
 * back to the trace id's low 56 bits, as for a trace state without `rv`. Undefined when the field is dropped.
 */
function otFieldWithoutIdentifier(field: string): string | undefined {
  const hex = field.slice(3);
  const start = identifierDigitsStart(hex);
  if (start === -1) return field;
  if (field.charCodeAt(0) !== 116) return undefined; // `rv`
  return `th:${hex.slice(0, start + KEPT_THRESHOLD_DIGITS).replace(/0+$/, '')}`;
}

/**
 * The `ot` member's value with only its sampling fields (`th`, `rv`, in the form the specification gives them, without
 * digits that read as an identifier: `otFieldWithoutIdentifier`), or undefined when none is left. Other sub-keys
 * (`p:`, vendor experiments, free text) are dropped: nothing this library or a Collector sampler reads is in them.
 */
export function otSamplingFields(value: string): string | undefined {
  let out: string | undefined;
  for (const raw of value.split(';')) {
    if (!OT_FIELD.test(raw)) continue;
    const field = otFieldWithoutIdentifier(raw);
    if (field !== undefined) out = out === undefined ? field : `${out};${field}`;
  }
  return out;
}

/**
 * Filters W3C tracestate values by an allowlist of vendor keys (tracestate is an export and a propagation
 * channel). A member is kept only when it is well formed, its key is allowed (glob patterns, compiled once; decisions
 * cached per key) and the value scanner finds nothing in its key or value; everything else is dropped. At most 32
 * members are read, keys and values of at most 256 characters; a duplicate key keeps its first (most recent)
 * member. Results are cached per distinct input string (bounded), except those with findings, which are filtered
 * and counted again every time. The last few tracestate objects are also remembered by identity (the spans of one
 * trace share one: each is serialized once), and a tracestate this filter made passes through again unchanged.
 * One instance belongs to one compiled policy.
 */
export class TraceStateFilter {
  private readonly allow: GlobList;
  private readonly keyDecisions = new Map<string, boolean>();
  private readonly strings = new TwoGenerationCache<string>(CACHE_SIZE);
  /** Recent input objects → filtered object (`null`: nothing left); only results without findings. */
  private readonly objects = new IdentityMemo<ApiTraceState, ApiTraceState | null>();

  /**
   * @param allow vendor keys (glob patterns) whose members may be kept
   * @param scanner the policy's value scanner; without one, allowed members are kept unscanned
   */
  constructor(
    allow: readonly string[],
    private readonly scanner?: ValueScanner,
  ) {
    this.allow = new GlobList(allow);
  }

  /** The tracestate string `raw` with only allowed, well-formed, clean members (cached). */
  filter(raw: string): string {
    if (raw.length <= MAX_CACHED_INPUT) {
      const hit = this.strings.get(raw);
      if (hit !== undefined) return hit;
    }
    const out = this.filterUncached(raw);
    if (!out.finding && raw.length <= MAX_CACHED_INPUT) this.strings.set(raw, out.value);
    return out.value;
  }

  /**
   * A tracestate object with only allowed, clean members, `undefined` when no member is left. The result is always
   * a `SealedTraceState` this filter made (returned as it is when passed in again): `ts` is serialized once and
   * never handed on, since an application's tracestate object can serialize differently on a later call or be
   * replaced inside an object it still holds. Never mutates `ts`.
   */
  filterTraceState(ts: ApiTraceState | undefined): ApiTraceState | undefined {
    if (ts === undefined) return undefined;
    if (SealedTraceState.madeBy(ts, this)) return ts;
    const hit = this.objects.get(ts);
    if (hit !== undefined) return hit ?? undefined;
    const raw: unknown = ts.serialize();
    if (typeof raw !== 'string') return undefined; // not a tracestate: nothing of it is kept
    let finding = false;
    let value: string | undefined = raw.length <= MAX_CACHED_INPUT ? this.strings.get(raw) : undefined;
    if (value === undefined) {
      const out = this.filterUncached(raw);
      finding = out.finding;
      value = out.value;
      if (!finding && raw.length <= MAX_CACHED_INPUT) this.strings.set(raw, value);
    }
    const result = value === '' ? undefined : SealedTraceState.of(value, this);
    if (!finding) this.objects.set(ts, result ?? null);
    return result;
  }

  /** Filters `raw` without the cache, saying whether the scanner found something. */
  filterUncached(raw: string): FilteredTraceState {
    if (raw.length > MAX_TRACE_STATE_INPUT_LENGTH) return { value: '', finding: false };
    let out = '';
    let kept: string[] | undefined;
    let finding = false;
    let members = 0;
    let pos = 0;
    const n = raw.length;
    while (pos <= n && members < MAX_TRACE_STATE_MEMBERS) {
      let end = raw.indexOf(',', pos);
      if (end === -1) end = n;
      let a = pos;
      let b = end;
      pos = end + 1;
      while (a < b && isOws(raw.charCodeAt(a))) a++;
      while (b > a && isOws(raw.charCodeAt(b - 1))) b--;
      if (a === b) continue; // empty list members are allowed and do not count
      members++;
      const eq = raw.indexOf('=', a);
      if (eq === -1 || eq >= b) continue;
      const key = raw.slice(a, eq);
      if (!this.allowed(key)) continue;
      let value = raw.slice(eq + 1, b);
      if (!isTraceStateValue(value)) continue;
      if (key === 'ot') {
        // The OpenTelemetry member carries only sampling fields; anything else in it is free text.
        const ot = otSamplingFields(value);
        if (ot === undefined) continue;
        value = ot;
      }
      if (kept !== undefined ? kept.includes(key) : out.startsWith(`${key}=`)) continue;
      if (this.scanner !== undefined && (this.scanner(key, key) !== key || this.scanner(value, key) !== value)) {
        finding = true;
        continue;
      }
      if (out === '') out = `${key}=${value}`;
      else {
        if (kept === undefined) kept = [out.slice(0, out.indexOf('='))];
        kept.push(key);
        out += `,${key}=${value}`;
      }
    }
    return { value: out, finding };
  }

  /** Whether `key` is a well-formed key the allowlist names (cached per key). */
  private allowed(key: string): boolean {
    let d = this.keyDecisions.get(key);
    if (d === undefined) {
      d = isTraceStateKey(key) && this.allow.match(key) !== undefined;
      if (this.keyDecisions.size >= MAX_CACHED_KEYS) this.keyDecisions.clear();
      this.keyDecisions.set(key, d);
    }
    return d;
  }
}
