import { coarsenHrTime } from '../../engine/time-precision';
import { RETENTION_ATTRIBUTE } from '../../engine/retention-labels';
import { INVALID_SPANID, INVALID_TRACEID, isValidSpanId, isValidTraceId } from '@opentelemetry/api';
import type {
  Attributes,
  Context,
  HrTime,
  Link,
  SpanContext,
  SpanKind,
  SpanStatus,
  SpanStatusCode,
} from '@opentelemetry/api';
import type { ReadableSpan, Span, TimedEvent } from '@opentelemetry/sdk-trace';
import { DROPPED, MASK } from '../../engine/attribute-redactor';
import { OTLP_ENUM_FIELDS, asEnumValue, asFieldText, isEnumValue } from '../../engine/otlp-field-types';
import type { AttributeRedactor, CleanEntries } from '../../engine/attribute-redactor';
import { STATUS_MESSAGE_KEY } from '../../engine/vocabulary';
import { setOwn } from '../../engine/own-property';
import type { CompiledPolicy } from '../../policy/compiled-policy';
import { checkedSpanContext } from '../../engine/trace-state';
import { luhnValid, validCardPrefix } from '../../engine/detectors/payment-card';
import { DB_SYSTEM_KEYS } from '../../engine/sanitizers/statement-sanitizer';
import type { Policy } from '../../policy/policy';
import { NO_GROUP, stricterGroup } from '../../policy/user-group-selector';
import { traceGroups } from '../../engine/trace-groups';
import type { TraceGroups } from '../../engine/trace-groups';
import { sanitizeResource } from '../resource/sanitize-resource';
import { sanitizeScope } from '../resource/sanitize-scope';
import { SpanAttributesObject } from './span-attributes-object';
import { deepFreeze } from '../../engine/deep-freeze';
import {
  replaceSpanAttributes,
  replaceSpanContext,
  replaceSpanStartTime,
  replaceSpanTimes,
  spanDuration,
  spanHasNoAttributes,
  writableSpan,
} from '../sdk-internals/span-internals';
import { clockTime, isPlausibleTime, laterTime } from '../../engine/plausible-time';

export { STATUS_MESSAGE_KEY };

/** The largest `SpanKind` and `SpanStatusCode` (their OTLP enums: `OTLP_ENUM_FIELDS`). */
const SPAN_KIND_MAX = OTLP_ENUM_FIELDS['Span.kind'].sdkMax;
const STATUS_CODE_MAX = OTLP_ENUM_FIELDS['Status.code'].sdkMax;

/** Never equal to an attribute value: the start pass could not vouch for the database system. */
const UNKNOWN_SYSTEM: unique symbol = Symbol('otel-privacy.unknown-db-system');

/**
 * What the start pass decided about one span, handed back to the end pass (`PrivacySpanProcessor` keeps it in the one
 * state slot it has on the span): the policy generation it ran under, the name it wrote, the database system values
 * it read the name's statement family from (`UNKNOWN_SYSTEM` when it did not write them through unchanged), and the
 * attribute entries it wrote. Nothing is added to the span object itself: four properties added to every span
 * after the SDK built it cost a property-store growth and a hidden-class transition each.
 */
export class StartPass {
  constructor(
    /** The compiled policy generation the start pass ran under: the end pass trusts it only under the same one. */
    readonly generation: number,
    /** The name the start pass wrote. */
    readonly name: string,
    /** `db.system.name` as the start pass read and wrote it, else `UNKNOWN_SYSTEM`. */
    readonly system: unknown,
    /** `db.system` as the start pass read and wrote it, else `UNKNOWN_SYSTEM`. */
    readonly legacySystem: unknown,
    /** The entries the start pass wrote (`undefined`: the span had no attributes at start). */
    readonly clean: CleanEntries | undefined,
    /**
     * The user group whose rules the start pass applied (`userGroups`: the stricter of the initial attributes' group
     * and the trace's; canonical name, undefined for none): the end pass applies at least as strict a group.
     */
    readonly group: string | undefined,
    /** The value the start pass wrote under the group attribute: a different value at the end was set since. */
    readonly groupValue: unknown,
    /**
     * The span's initial attributes as the application gave them (the SDK's object, detached from the span: not a
     * copy), so that an end pass that cannot trust `clean` (a hot reload, a stricter user group) decides them again
     * from their raw values and never hashes or encrypts a pseudonym or a token a second time.
     */
    readonly raw: Attributes | undefined,
    /** The span name as the application gave it, for the same reason. */
    readonly rawName: string,
  ) {}
}

/**
 * The attributes an end pass that cannot trust what the start pass wrote decides: the start pass's raw values, except
 * where the span now holds something else than what the start pass wrote for a key (set since, or pre-masked for
 * consent), then the keys set after start. With nothing recorded at start, the span's attributes as they are.
 */
function undecidedAttributes(attributes: Attributes, start: StartPass | undefined): Attributes {
  const raw = start?.raw;
  const clean = start?.clean;
  if (raw === undefined || clean === undefined) return attributes;
  const own = Object.prototype.hasOwnProperty;
  const out: Attributes = {};
  for (const key in raw) {
    if (!own.call(raw, key)) continue;
    const now = own.call(attributes, key) ? attributes[key] : undefined;
    setOwn(out, key, now === undefined || recordedValue(clean, key) === now ? raw[key] : now);
  }
  for (const key in attributes) if (own.call(attributes, key) && !own.call(out, key)) setOwn(out, key, attributes[key]);
  return out;
}

/** The name an end pass decides: the raw name when the start pass's is still there but not trusted. */
function undecidedName(name: string, start: StartPass | undefined, trusted: boolean): string {
  return !trusted && start !== undefined && name === start.name ? start.rawName : name;
}

/** The value `clean` recorded under `key` (`undefined`: none, the start pass dropped it). */
function recordedValue(clean: CleanEntries, key: string): unknown {
  for (let j = 0; j < clean.length; j += 2) if (clean[j] === key) return clean[j + 1];
  return undefined;
}

/**
 * True when the start pass already decided this name under the rules in effect: same generation, the name
 * unchanged since, and the database system it read the statement family from still the one it wrote (a system
 * set or replaced after start may choose another statement family, so such names are decided again; the result
 * is cached per family).
 */
function nameDecidedAtStart(
  start: StartPass | undefined,
  trusted: boolean,
  name: string,
  attributes: Attributes,
): boolean {
  return (
    trusted &&
    start !== undefined &&
    name === start.name &&
    attributes[DB_SYSTEM_KEYS[0]] === start.system &&
    attributes[DB_SYSTEM_KEYS[1]] === start.legacySystem
  );
}

/**
 * True when `attributes` still hold exactly the entries the start pass wrote (`clean`, as `key, value` pairs), in the
 * same order: nothing was set since, so the end pass has nothing to decide and the object can stay as it is.
 */
function unchangedSinceStart(attributes: Attributes, clean: CleanEntries): boolean {
  let j = 0;
  for (const key in attributes) {
    if (j >= clean.length || clean[j] !== key || clean[j + 1] !== attributes[key]) return false;
    j += 2;
  }
  return j === clean.length;
}

/**
 * Applies a policy to one span: name, attributes, event names and attributes, link attributes and trace states,
 * status message, the span's own trace state (`traces.traceState`), resource and instrumentation scope (name,
 * version, schema URL and attributes; a sanitized copy, the tracer's scope object is shared and never mutated).
 * Used by `PrivacySpanProcessor`; works in place (while the SDK lets the span be written) or on a copy.
 */
export class SpanRedactor {
  /** The user groups of this process's traces under the policy (`userGroups`), shared with its other processors. */
  private readonly traceGroups: TraceGroups;

  constructor(private readonly policy: Policy) {
    this.traceGroups = traceGroups(policy);
  }

  /**
   * At span start: replaces the name, the initial attributes and the resource by sanitized ones, and returns what
   * it decided (the compiled policy's generation, the name, the clean entries it wrote) so that the end pass leaves
   * those alone while that generation is in effect (no double hashing).
   */
  sanitizeAtStart(span: Span, rank: number = this.rankAtStart(span)): StartPass {
    const w = writableSpan(span);
    const compiled = this.compiledOf(rank);
    const group = rank < 0 ? undefined : this.policy.compiled.userGroups?.name(rank);
    // a start time the application picked outside the plausible window: the clock now (the end is computed from it)
    const now = Date.now();
    if (!isPlausibleTime(span.startTime, now)) {
      replaceSpanStartTime(span, clockTime(now));
      this.policy.counters.implausibleTimes.traces++;
    }
    w.resource = sanitizeResource(this.policy, w.resource);
    const rawName = w.name;
    const name = compiled.redactSpanName(this.nameText(rawName), w.attributes);
    w.name = name;
    if (spanHasNoAttributes(span)) {
      w.attributes = new SpanAttributesObject();
      return new StartPass(
        compiled.generation,
        name,
        undefined,
        undefined,
        undefined,
        group,
        undefined,
        undefined,
        rawName,
      );
    }
    const raw = w.attributes;
    const rules = compiled.sanitizer('traces', span.instrumentationScope?.name);
    // The span gets an object of its own with room for many properties (later setAttribute calls
    // write into it); what was written is recorded apart, since those calls may replace values.
    const own = new SpanAttributesObject();
    const clean: CleanEntries = [];
    const count = rules.sanitizeInto(raw, own, undefined, clean);
    // The end pass trusts these entries while they are identical (`===`): an array among them is frozen, so a write
    // into it through the span (`span.attributes[key][0] = …`) cannot slip past that check.
    for (let i = 1; i < clean.length; i += 2) {
      const v = clean[i];
      if (typeof v === 'object' && v !== null) deepFreeze(v);
    }
    // The name above was decided with the raw system values: the end pass trusts that decision while the span
    // still holds them, which it can only check when sanitizing wrote them through as they were.
    const system = raw[DB_SYSTEM_KEYS[0]];
    const legacy = raw[DB_SYSTEM_KEYS[1]];
    replaceSpanAttributes(span, own, count);
    return new StartPass(
      compiled.generation,
      name,
      own[DB_SYSTEM_KEYS[0]] === system ? system : UNKNOWN_SYSTEM,
      own[DB_SYSTEM_KEYS[1]] === legacy ? legacy : UNKNOWN_SYSTEM,
      clean,
      group,
      group === undefined ? undefined : own[this.policy.compiled.userGroupKey!],
      raw,
      rawName,
    );
  }

  /**
   * The user-group rank of a span at its start (`userGroups`; `NO_GROUP` without user groups or a group): the
   * strictest of its initial attributes' group, its parent's group attribute as it is now (`parentContext`) and the
   * group recorded for its trace in this process (a child span inherits its parent's), recorded for the trace when
   * stricter.
   */
  rankAtStart(span: Span, parentContext?: Context): number {
    const groups = this.policy.compiled.userGroups;
    if (groups === undefined) return NO_GROUP;
    // the parent as it is now: a group set on it after its start applies to its children
    const attributes = writableSpan(span).attributes;
    const counts = this.policy.counters.userGroupUnknown;
    return this.traceGroups.decideItem(groups, attributes, counts, 'traces', parentContext, span.spanContext().traceId);
  }

  /**
   * The user-group rank of a span at its end: the strictest of the group its start pass applied, a group value set
   * since, and the group its trace has now in this process (a sibling may have named a stricter one).
   */
  rankAtEnd(span: ReadableSpan, start: StartPass | undefined): number {
    const groups = this.policy.compiled.userGroups;
    if (groups === undefined) return NO_GROUP;
    const startRank = start?.group === undefined ? NO_GROUP : groups.rankOfName(start.group);
    const own =
      start !== undefined && span.attributes[groups.attribute] === start.groupValue
        ? NO_GROUP
        : groups.rankOf(span.attributes, this.policy.counters.userGroupUnknown, 'traces');
    return this.traceGroups.decide(groups, span.spanContext().traceId, stricterGroup(startRank, own));
  }

  /** The compiled policy of a user-group rank (the policy's own for `NO_GROUP` or without user groups). */
  compiledOf(rank: number): CompiledPolicy {
    const base = this.policy.compiled;
    return rank < 0 || base.userGroups === undefined ? base : base.userGroups.policy(rank);
  }

  /** The compiled policy the start pass applied (`undefined`: its group is no longer declared). */
  private startCompiled(start: StartPass): CompiledPolicy | undefined {
    return start.group === undefined ? this.policy.compiled : this.policy.compiled.forGroup(start.group);
  }

  /**
   * At span end, while the span is still writable (`onEnding`): replaces attributes, events, links,
   * status and resource by sanitized ones (the span's own fields; shared objects are not mutated).
   * What the start pass wrote is trusted only under the generation that wrote it.
   */
  sanitizeInPlace(span: Span, start?: StartPass, rank: number = this.rankAtEnd(span, start)): void {
    const w = writableSpan(span);
    const compiled = this.compiledOf(rank);
    const trusted =
      start !== undefined && start.generation === compiled.generation && this.startCompiled(start) === compiled;
    const cleanAtStart = trusted ? start.clean : undefined;
    // Not decided under these rules at start: from the raw start values (a pseudonym is never hashed again).
    const input = trusted ? w.attributes : undecidedAttributes(w.attributes, start);
    const s = compiled.sanitizer('traces', span.instrumentationScope?.name);
    if (!nameDecidedAtStart(start, trusted, w.name, w.attributes))
      w.name = compiled.redactSpanName(this.nameText(undecidedName(w.name, start, trusted)), input);
    if (!isEnumValue(w.kind, SPAN_KIND_MAX)) w.kind = this.kind(w.kind);
    // `retention`: the class the rules give this span, from its keys' decisions (before they are replaced).
    const retention = compiled.retention?.classify('traces', span.instrumentationScope?.name, input, s);
    // Nothing set since the start pass (typical of client spans) and no label to add: its object stays. Else a fresh
    // object with room for many properties (not in-place deletes, which would turn the span's object into a slow
    // dictionary for the exporter).
    if (
      retention !== undefined ||
      !(trusted && cleanAtStart !== undefined && unchangedSinceStart(w.attributes, cleanAtStart))
    ) {
      const attributes = new SpanAttributesObject();
      let count = s.sanitizeInto(input, attributes, cleanAtStart);
      if (retention !== undefined) {
        attributes[RETENTION_ATTRIBUTE] = retention;
        count++;
      }
      replaceSpanAttributes(span, attributes, count);
    }
    const now = Date.now();
    const [startTime, end] = this.times(span.startTime, span.endTime, now);
    if (startTime !== span.startTime || end !== span.endTime) replaceSpanTimes(span, startTime, end);
    for (let i = 0; i < w.events.length; i++) w.events[i] = this.event(compiled, s, w.events[i], end, now);
    const links = w.links;
    let kept = 0;
    for (let i = 0; i < links.length; i++) {
      const l = this.link(s, links[i]!);
      if (l !== undefined) links[kept++] = l;
    }
    // only when a link was removed: setting an array's length is a call into V8's runtime even when it stays the same
    if (kept !== links.length) links.length = kept;
    w.status = this.status(s, w.status);
    // An SDK that keeps the span context elsewhere would export the raw trace state: fail closed instead.
    if (!replaceSpanContext(span, this.spanContext(span.spanContext())))
      throw new Error("cannot replace the span context's trace state");
    if (w.parentSpanContext !== undefined) w.parentSpanContext = this.spanContext(w.parentSpanContext);
    w.resource = sanitizeResource(this.policy, w.resource);
    // Last: the raw scope name selected the rules above.
    if (w.instrumentationScope !== undefined)
      w.instrumentationScope = sanitizeScope(this.policy, 'traces', w.instrumentationScope, compiled);
  }

  /** When the span can no longer be written (`onEnd` without `onEnding`): a sanitized copy. */
  sanitizedCopy(span: ReadableSpan, start?: StartPass, rank: number = this.rankAtEnd(span, start)): ReadableSpan {
    const compiled = this.compiledOf(rank);
    const trusted =
      start !== undefined && start.generation === compiled.generation && this.startCompiled(start) === compiled;
    const cleanAtStart = trusted ? start.clean : undefined;
    const input = trusted ? span.attributes : undecidedAttributes(span.attributes, start);
    const s = compiled.sanitizer('traces', span.instrumentationScope?.name);
    const attributes = new SpanAttributesObject();
    s.sanitizeInto(input, attributes, cleanAtStart);
    const retention = compiled.retention?.classify('traces', span.instrumentationScope?.name, input, s);
    if (retention !== undefined) attributes[RETENTION_ATTRIBUTE] = retention;
    const spanContext: SpanContext = this.spanContext(span.spanContext());
    const now = Date.now();
    const [startTime, endTime] = this.times(span.startTime, span.endTime, now);
    const timesKept = startTime === span.startTime && endTime === span.endTime;
    return {
      name: nameDecidedAtStart(start, trusted, span.name, span.attributes)
        ? span.name
        : compiled.redactSpanName(this.nameText(undecidedName(span.name, start, trusted)), input),
      kind: isEnumValue(span.kind, SPAN_KIND_MAX) ? span.kind : this.kind(span.kind),
      spanContext: () => spanContext,
      parentSpanContext: span.parentSpanContext && this.spanContext(span.parentSpanContext),
      startTime,
      endTime,
      status: this.status(s, span.status),
      attributes,
      links: span.links.map((l) => this.link(s, l)).filter((l) => l !== undefined),
      events: span.events.map((e) => this.event(compiled, s, e, endTime, now)),
      duration: timesKept ? span.duration : spanDuration(startTime, endTime),
      ended: span.ended,
      resource: sanitizeResource(this.policy, span.resource),
      instrumentationScope:
        span.instrumentationScope && sanitizeScope(this.policy, 'traces', span.instrumentationScope, compiled),
      droppedAttributesCount: span.droppedAttributesCount,
      droppedEventsCount: span.droppedEventsCount,
      droppedLinksCount: span.droppedLinksCount,
    };
  }

  /** Removes everything a span could carry (fail closed, when sanitizing threw part-way). */
  wipe(span: Span): void {
    const w = writableSpan(span);
    replaceSpanAttributes(span, {}, 0);
    w.events.length = 0;
    w.links.length = 0;
    w.status = { code: w.status.code };
  }

  /** A span name as text (a name that is not a string is counted and replaced: see `asFieldText`). */
  private nameText(name: unknown): string {
    return asFieldText(name, this.policy.counters.invalidFields, 'traces', MASK);
  }

  /** A span kind that is not a `SpanKind`: counted, and `INTERNAL` instead. */
  private kind(kind: unknown): SpanKind {
    return asEnumValue('Span.kind', kind, this.policy.counters.invalidFields, 'traces') as SpanKind;
  }

  /**
   * A span's start and end time as exported: each the clock of this process instead (counted in
   * `implausibleTimes.traces`) when it is not plausible (`isPlausibleTime`: before 2000 or more than a day ahead);
   * the end never before the start. The same objects when both are kept (a real time is never altered).
   */
  private times(start: HrTime, end: HrTime, now: number): [HrTime, HrTime] {
    const counts = this.policy.counters.implausibleTimes;
    let s = start;
    let e = end;
    if (!isPlausibleTime(s, now)) {
      s = clockTime(now);
      counts.traces++;
    }
    if (!isPlausibleTime(e, now)) {
      e = laterTime(clockTime(now), s);
      counts.traces++;
    }
    return [s, e];
  }

  /** An event's time, or the span's end time (counted) when it is not plausible (`isPlausibleTime`). */
  private eventTime(time: HrTime, end: HrTime, now: number): HrTime {
    if (isPlausibleTime(time, now)) return time;
    this.policy.counters.implausibleTimes.traces++;
    return end;
  }

  private event(compiled: CompiledPolicy, s: AttributeRedactor, e: TimedEvent, end: HrTime, now: number): TimedEvent {
    // URL-like words through the URL rules as in a log body (`sanitizers.url.logBody`), then the scan
    const name = compiled.scanNameText(this.nameText(e.name)) ?? MASK;
    const precision = compiled.timePrecision.eventMillis;
    const plausible = this.eventTime(e.time, end, now);
    const time = precision === undefined ? plausible : coarsenHrTime(plausible, precision);
    if (e.attributes === undefined && name === e.name && time === e.time) return e;
    return { ...e, name, time, attributes: e.attributes && s.sanitize(e.attributes) };
  }

  /**
   * A link of the library's own, or `undefined` (counted) when its trace or span id is not a hex id: the OTLP/JSON
   * serializer writes link ids as the application passed them. The context is copied (`spanContext`), the attributes
   * sanitized.
   */
  private link(s: AttributeRedactor, l: Link): Link | undefined {
    const { traceId, spanId } = l.context;
    // hex ids (all-zero ones too: the API's invalid context is still hex)
    if (
      !(isValidTraceId(traceId) || traceId === INVALID_TRACEID) ||
      !(isValidSpanId(spanId) || spanId === INVALID_SPANID)
    ) {
      this.policy.counters.invalidFields.traces++;
      return undefined;
    }
    // An id the application chose that spells an identifier (`spanId: '4111111111111111'`, a card number) would be
    // exported as written (OTLP/JSON writes link ids as hex): the link is dropped and counted as well.
    if (idSpellsIdentifier(spanId) || idSpellsIdentifier(traceId)) {
      this.policy.counters.invalidFields.traces++;
      return undefined;
    }
    const out: Link = { context: this.spanContext(l.context) };
    if (l.attributes !== undefined) out.attributes = s.sanitize(l.attributes);
    if (l.droppedAttributesCount !== undefined) out.droppedAttributesCount = l.droppedAttributesCount;
    return out;
  }

  /**
   * A span context of the library's own, whose trace state holds only what `traces.traceState` keeps (never `sc`
   * itself: a link's context and a remote parent are the application's objects). Not frozen: the SDK span holds it
   * after `end()`, and `SpanSnapshot` hands on a copy. Throws when an id is not an id.
   */
  private spanContext(sc: SpanContext): SpanContext {
    return checkedSpanContext(sc, this.policy.traceStateFilter);
  }

  private status(s: AttributeRedactor, status: SpanStatus): SpanStatus {
    const counts = this.policy.counters.invalidFields;
    const code = isEnumValue(status.code, STATUS_CODE_MAX)
      ? status.code
      : (asEnumValue('Status.code', status.code, counts, 'traces') as SpanStatusCode);
    if (status.message === undefined) return code === status.code ? status : { code };
    const raw = asFieldText(status.message, counts, 'traces', undefined);
    const m = raw === undefined ? DROPPED : s.sanitizeValue(STATUS_MESSAGE_KEY, raw);
    if (m === status.message && code === status.code) return status; // kept as it was: no copy
    return m === DROPPED || typeof m !== 'string' ? { code } : { code, message: m };
  }
}

/**
 * Whether a hex id holds only decimal digits and spells an identifier: a 16-digit span id that is a card number
 * (issuer prefix and Luhn check digit), or a 32-digit trace id (one random trace id in three million is all digits).
 * A random span id is all digits once in about 1 900 and a card once in about 100 000.
 */
function idSpellsIdentifier(id: string): boolean {
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  if (id.length !== 16) return /[1-9]/.test(id);
  return validCardPrefix(Number(id.slice(0, 6)), 16) && luhnValid(id, 0, 16);
}
