import type { Attributes } from '@opentelemetry/api';
import type { OtlpFieldId } from '../otlp-fields';
import { setOwn } from '../own-property';
import { isMap } from './subject-path';
import { normalizeView } from '../detectors/normalizer';

/** What replaces a subject's identifier in the text of a minimized item (`consent.action: minimize`). */
export const SUBJECT_MASK = '[REDACTED:subject]';

/**
 * What `consent.action: minimize` does to each field of the OTLP field inventory (engine/otlp-fields.ts) on an item
 * about an opted-out subject:
 * - `masked`: a field of the item itself; every occurrence of the subject's identifier values in its text (strings,
 *   map keys, array elements, bytes read as UTF-8; trace-state members) is replaced by `[REDACTED:subject]` (a
 *   trace-state member holding one is removed);
 * - `shared`: a field of the resource, instrumentation scope or instrument, shared by every item of the process
 *   (not about one subject): the policy's rules and the value scanner apply as for everyone;
 * - `identifier`: trace and span ids (random bytes);
 * - `dropped`: never exported anyway.
 * A test walks this table: every `masked` field gets the subject written into it and must not export it.
 */
export type SubjectFieldTreatment = 'masked' | 'shared' | 'identifier' | 'dropped';

/** The treatment of every OTLP inventory field (the compiler refuses a missing one). */
export const SUBJECT_FIELDS = {
  'AnyValue.string_value': 'masked',
  'AnyValue.bytes_value': 'masked',
  'AnyValue.array_value': 'masked',
  'AnyValue.kvlist_value': 'masked',
  'ArrayValue.values': 'masked',
  'KeyValueList.values': 'masked',
  'KeyValue.key': 'masked',
  'KeyValue.value': 'masked',
  'InstrumentationScope.name': 'shared',
  'InstrumentationScope.version': 'shared',
  'InstrumentationScope.attributes': 'shared',
  'EntityRef.schema_url': 'dropped',
  'EntityRef.type': 'dropped',
  'EntityRef.id_keys': 'dropped',
  'EntityRef.description_keys': 'dropped',
  'Resource.attributes': 'shared',
  'ResourceSpans.schema_url': 'shared',
  'ScopeSpans.schema_url': 'shared',
  'Span.trace_id': 'identifier',
  'Span.span_id': 'identifier',
  'Span.parent_span_id': 'identifier',
  'Span.trace_state': 'masked',
  'Span.name': 'masked',
  'Span.attributes': 'masked',
  'Span.Event.name': 'masked',
  'Span.Event.attributes': 'masked',
  'Span.Link.trace_id': 'identifier',
  'Span.Link.span_id': 'identifier',
  'Span.Link.trace_state': 'masked',
  'Span.Link.attributes': 'masked',
  'Status.message': 'masked',
  'ResourceMetrics.schema_url': 'shared',
  'ScopeMetrics.schema_url': 'shared',
  'Metric.name': 'shared',
  'Metric.description': 'shared',
  'Metric.unit': 'shared',
  'Metric.metadata': 'dropped',
  'NumberDataPoint.attributes': 'masked',
  'HistogramDataPoint.attributes': 'masked',
  'ExponentialHistogramDataPoint.attributes': 'masked',
  'SummaryDataPoint.attributes': 'masked',
  'Exemplar.filtered_attributes': 'masked',
  'Exemplar.span_id': 'identifier',
  'Exemplar.trace_id': 'identifier',
  'ResourceLogs.schema_url': 'shared',
  'ScopeLogs.schema_url': 'shared',
  'LogRecord.severity_text': 'masked',
  'LogRecord.body': 'masked',
  'LogRecord.attributes': 'masked',
  'LogRecord.trace_id': 'identifier',
  'LogRecord.span_id': 'identifier',
  'LogRecord.event_name': 'masked',
} as const satisfies Record<OtlpFieldId, SubjectFieldTreatment>;

/** Most identifier values one mask covers (the first ones found; a subject has a handful). */
export const MAX_SUBJECT_VALUES = 16;
/** Longer values are cut to this many characters before they are searched for (their start is masked). */
const MAX_VALUE_LENGTH = 512;
const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/-]/g;

const utf8 = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

/**
 * Masks a subject's identifier values wherever they occur in the text of one minimized item. Each value is searched
 * for as written and percent-encoded in any form (each character as itself or its `%XX` bytes), each separator as
 * any other or none (`SEPARATORS`), ignoring case, as hex and base64/base64url of its UTF-8 (6 bytes or more, also
 * inside a longer encoded payload), and in the normalized view of the text (`text`). Made per
 * set of values and cached (a few hundred sets), so the pattern is compiled once per subject, not per item.
 */
export class SubjectMask {
  private constructor(private readonly pattern: RegExp) {}

  /** The mask for `values` (strings; empty ones ignored), or `undefined` when there is none. */
  static of(values: Iterable<string>): SubjectMask | undefined {
    const needles = new Set<string>();
    for (const raw of values) {
      if (raw === '') continue;
      needles.add(raw.length > MAX_VALUE_LENGTH ? raw.slice(0, MAX_VALUE_LENGTH) : raw);
      if (needles.size >= MAX_SUBJECT_VALUES) break;
    }
    if (needles.size === 0) return undefined;
    const id = [...needles].sort().join('\u0000');
    let m = cache.get(id);
    if (m === undefined) {
      const alternatives = [...needles]
        .sort((a, b) => b.length - a.length)
        .flatMap((v) => [encodedPattern(v), ...binaryPatterns(v)])
        .join('|');
      m = new SubjectMask(new RegExp(alternatives, 'gi'));
      if (cache.size >= 256) cache.clear();
      cache.set(id, m);
    }
    return m;
  }

  /**
   * `text` with every occurrence masked: as written or percent-encoded, and then in the normalized view the value
   * scanner reads (fullwidth forms, zero-width and soft-hyphen characters, typographic dashes, JSON/JS escapes, HTML
   * references: `normalizeView`), masked on the original through the view's map. A match the map cannot place masks
   * the whole text (fail closed).
   */
  text(text: string): string {
    const masked = text.replace(this.pattern, SUBJECT_MASK);
    const view = normalizeView(masked);
    if (view === undefined) return masked;
    let out = '';
    let pos = 0;
    for (const m of view.text.matchAll(this.pattern)) {
      const start = view.from[m.index];
      const end = view.to[m.index + m[0].length - 1];
      if (!(start >= pos && end > start && end <= masked.length)) return SUBJECT_MASK;
      out += masked.slice(pos, start) + SUBJECT_MASK;
      pos = end;
    }
    return pos === 0 ? masked : out + masked.slice(pos);
  }

  /**
   * An `AnyValue` with every string masked (map keys too; bytes read as UTF-8), and a number or bigint whose decimal
   * form holds an identifier value replaced by `[REDACTED:subject]`; the same value when none is.
   */
  value(v: unknown): unknown {
    if (typeof v === 'string') return this.text(v);
    if (typeof v === 'number' || typeof v === 'bigint') {
      const text = String(v);
      return this.text(text) === text ? v : SUBJECT_MASK;
    }
    if (typeof v !== 'object' || v === null) return v;
    if (v instanceof Uint8Array) {
      const text = utf8.decode(v);
      const masked = this.text(text);
      return masked === text ? v : encoder.encode(masked);
    }
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const m = this.value(v[i]);
        if (m !== v[i]) (out ??= v.slice())[i] = m;
      }
      return out ?? v;
    }
    return isMap(v) ? this.map(v) : v;
  }

  /** Attributes (or a map value) with every key and string masked; the same object when nothing is. */
  attributes<T extends Attributes | Record<string, unknown>>(attributes: T): T {
    return this.map(attributes as Record<string, unknown>) as T;
  }

  private map(map: Record<string, unknown>): Record<string, unknown> {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const key in map) {
      if (!Object.prototype.hasOwnProperty.call(map, key)) continue;
      const k = this.text(key);
      const v = this.value(map[key]);
      if (k !== key || v !== map[key]) changed = true;
      // two keys masked to the same text: the later one wins (both were about the subject)
      setOwn(out, k, v);
    }
    return changed ? out : map;
  }
}

const cache = new Map<string, SubjectMask>();

/**
 * Separators an identifier is also written with in place of one another (`fake-user-13`, `fake_user_13`,
 * `fake.user.13`, `fake user 13`, `fake:user:13`, `fake+user+13`, `fake~user~13`) or left out (`fakeuser13`).
 */
const SEPARATORS = '-_.:+ ~';
/** Any separator, as itself or percent-encoded (any hex case: the pattern ignores case), or none. */
const SEPARATOR_PATTERN = `(?:[${SEPARATORS.replace(REGEX_SPECIAL, '\\$&')}]|${[...SEPARATORS]
  .map((c) => `%${c.charCodeAt(0).toString(16)}`)
  .join('|')})?`;

/**
 * The pattern of `value` as written or percent-encoded in any way: each character as itself or as the `%XX` of its
 * UTF-8 bytes or those of its other case (any hex case; unreserved characters too, as some clients encode them:
 * `fake%2Duser%2D13`, `%46AKE-USER-13`), a space
 * also as `+` (form encoding), and each separator (`SEPARATORS`) as any other or none.
 */
function encodedPattern(value: string): string {
  let out = '';
  for (const ch of value) {
    if (SEPARATORS.includes(ch)) {
      out += SEPARATOR_PATTERN;
      continue;
    }
    const literal = ch.replace(REGEX_SPECIAL, '\\$&');
    // The pattern ignores case, so the `%XX` bytes of the other case are read too (`F` is `%46`, `f` is `%66`).
    const forms = new Set([ch, ch.toLowerCase(), ch.toUpperCase()].map(percentBytes));
    out += `(?:${literal}|${[...forms].join('|')})`;
  }
  return out;
}

/** `ch` as the `%XX` of each of its UTF-8 bytes. */
function percentBytes(ch: string): string {
  return [...encoder.encode(ch)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}

/** Values shorter than this (in UTF-8 bytes) are not searched for in base64 or hex (too many chance matches). */
const MIN_ENCODED_BYTES = 6;

/**
 * The patterns of `value`'s UTF-8 bytes in hex (any case) and in base64 and base64url, also inside a longer encoded
 * text (a token or a cookie holding `{"user":"fake-user-13"}`): base64 is read in groups of three bytes, so the value
 * is encoded at each of the three offsets it can start at and only the characters that depend on the value's bytes
 * alone are searched for (the first one or two of an offset group mix in the bytes before it, the last one those
 * after it).
 */
function binaryPatterns(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length < MIN_ENCODED_BYTES) return [];
  const out = [bytes.toString('hex')];
  for (let offset = 0; offset < 3; offset++) {
    const total = offset + bytes.length;
    const b64 = Buffer.concat([Buffer.alloc(offset), bytes])
      .toString('base64')
      .replace(/=+$/, '');
    const fixed = b64.slice([0, 2, 3][offset], total % 3 === 0 ? b64.length : b64.length - 1);
    out.push(
      fixed.replace(REGEX_SPECIAL, '\\$&'),
      fixed.replace(/\+/g, '-').replace(/\//g, '_').replace(REGEX_SPECIAL, '\\$&'),
    );
  }
  return [...new Set(out)];
}
