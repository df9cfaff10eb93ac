/**
 * What happens to every field of OTLP that can carry text or bytes: one class per field, in one table.
 *
 * The table lists every `string`, `bytes`, `AnyValue`, `ArrayValue`, `KeyValue` and `KeyValueList` field of the
 * messages reachable from the three OTLP export requests (traces, metrics, logs), by its protobuf name
 * (`Message.field`, nested messages as `Span.Event.name`). A test walks the OTLP protobuf definitions
 * (`engine/otlp-proto/otlp.proto`) and fails on a field without a class and on a class for a field that no longer
 * exists, so a new OTLP field cannot slip past unclassified. The processors and `otel-privacy scan` read the class
 * of the free-text fields from here (`redactTextField`), and `docs/what-we-look-at.md` is generated from it.
 */

/**
 * The class of an OTLP field:
 * - `rules`: the attribute rules decide (allow, hash, encrypt, generalize, mask, drop; kept strings go through
 *   the value scanner);
 * - `scanned`: developer-controlled free text through the value scanner (`values`): findings masked, hashed or
 *   the field dropped, as `values.action` says;
 * - `sanitized:span-name`: the span-name sanitizer (URL/SQL, `sanitizers.spanName`), then the value scanner;
 * - `filtered:trace-state`: W3C trace-state members filtered by an allowlist of vendor keys;
 * - `identifier`: trace and span ids, random bytes the SDK generates: kept;
 * - `dropped`: never exported.
 */
export type OtlpFieldClass =
  'rules' | 'scanned' | 'sanitized:span-name' | 'filtered:trace-state' | 'identifier' | 'dropped';

/**
 * Who can put text into a field on the way out of a Node.js process:
 * - `app`: the application (through the OpenTelemetry API and SDK: names, attributes, bodies, scope options, …);
 * - `sdk`: only the SDK (ids it generates);
 * - `none`: the JavaScript SDK never exports the field; it reaches us only in OTLP/JSON read by `otel-privacy scan`.
 */
export type OtlpFieldSource = 'app' | 'sdk' | 'none';

/** One classified OTLP field. */
export interface OtlpField {
  /** What happens to it. */
  readonly class: OtlpFieldClass;
  /** Who can write it (see `OtlpFieldSource`). */
  readonly source: OtlpFieldSource;
  /** One sentence for the documentation: how the class is applied to this field. */
  readonly how: string;
}

type Classified<C extends OtlpFieldClass> = OtlpField & { readonly class: C };
const rules = (how: string, source: OtlpFieldSource = 'app'): Classified<'rules'> => ({
  class: 'rules',
  source,
  how,
});
const scanned = (how: string, source: OtlpFieldSource = 'app'): Classified<'scanned'> => ({
  class: 'scanned',
  source,
  how,
});
const identifier = (source: OtlpFieldSource = 'sdk'): Classified<'identifier'> => ({
  class: 'identifier',
  source,
  how: 'A trace or span id (16 or 8 bytes, written from a hex id); kept.',
});
const dropped = (how: string): Classified<'dropped'> => ({ class: 'dropped', source: 'none', how });
const traceState = (how: string): Classified<'filtered:trace-state'> => ({
  class: 'filtered:trace-state',
  source: 'app',
  how,
});
const SCHEMA_URL = 'Scanned as text (a URL the developer chose).';

/** Every classified OTLP field, by `Message.field` (protobuf names). */
export const OTLP_FIELDS = {
  // The value model, wherever it appears.
  'AnyValue.string_value': scanned(
    'Under a key the rules keep: through the key’s URL/SQL sanitizer and the value scanner (a digit string under a key naming phones or SSNs is read with those words as context).',
  ),
  'AnyValue.bytes_value': scanned('Under a key the rules keep: handled by the value settings for bytes.'),
  'AnyValue.array_value': rules('Decided under the key that holds it; kept arrays element by element.'),
  'AnyValue.kvlist_value': rules('Decided under the key that holds it; kept maps entry by entry as `key.entry`.'),
  'ArrayValue.values': rules('Each element decided under the array’s key.'),
  'KeyValueList.values': rules('Each entry decided by the rules under its dotted key (`parent.entry`).'),
  'KeyValue.key': rules('The key selects the rule; a key no rule keeps is dropped with its value.'),
  'KeyValue.value': rules('Decided by the rule for the key.'),
  // Scope and resource.
  'InstrumentationScope.name': scanned('Scanned as text; the raw name still selects `scopes` rules.'),
  'InstrumentationScope.version': scanned('Scanned as text.'),
  'InstrumentationScope.attributes': rules('The signal’s attribute rules for that scope.'),
  'EntityRef.schema_url': dropped('Entity references are removed (they name resource keys the rules may drop).'),
  'EntityRef.type': dropped('Entity references are removed.'),
  'EntityRef.id_keys': dropped('Entity references are removed.'),
  'EntityRef.description_keys': dropped('Entity references are removed.'),
  'Resource.attributes': rules('The `resource` rules; `privacy.policy.hash` added.'),
  // Traces.
  'ResourceSpans.schema_url': scanned(SCHEMA_URL),
  'ScopeSpans.schema_url': scanned(SCHEMA_URL),
  'Span.trace_id': identifier(),
  'Span.span_id': identifier(),
  'Span.parent_span_id': identifier(),
  'Span.trace_state': traceState('Members filtered by the allowed vendor keys (engine/trace-state.ts).'),
  'Span.name': {
    class: 'sanitized:span-name',
    source: 'app',
    how: 'URL/SQL span-name sanitizer (`sanitizers.spanName`), then the value scanner.',
  },
  'Span.attributes': rules('The `traces` rules (top level, `traces` block, matching `scopes`).'),
  'Span.Event.name': scanned(
    'URL-like words through the URL rules as in the log body (`sanitizers.url.logBody`), then scanned as text.',
  ),
  'Span.Event.attributes': rules('The `traces` rules.'),
  'Span.Link.trace_id': identifier('app'),
  'Span.Link.span_id': identifier('app'),
  'Span.Link.trace_state': traceState('Members filtered by the allowed vendor keys (engine/trace-state.ts).'),
  'Span.Link.attributes': rules('The `traces` rules.'),
  'Status.message': rules('Decided as the pseudo key `otel.status_description` (dropped unless a rule keeps it).'),
  // Metrics.
  'ResourceMetrics.schema_url': scanned(SCHEMA_URL),
  'ScopeMetrics.schema_url': scanned(SCHEMA_URL),
  'Metric.name': scanned('Scanned as text; a metric whose name must be dropped is dropped whole and counted.'),
  'Metric.description': scanned('Scanned as text.'),
  'Metric.unit': scanned('Scanned as text.'),
  'Metric.metadata': dropped('Removed (not data-point attributes; the JavaScript SDK never writes it).'),
  'NumberDataPoint.attributes': rules('The `metrics` rules; series that become equal are merged.'),
  'HistogramDataPoint.attributes': rules('The `metrics` rules; series that become equal are merged.'),
  'ExponentialHistogramDataPoint.attributes': rules('The `metrics` rules; series that become equal are merged.'),
  'SummaryDataPoint.attributes': rules('The `metrics` rules.', 'none'),
  'Exemplar.filtered_attributes': rules('The `metrics` rules.', 'none'),
  'Exemplar.span_id': identifier('none'),
  'Exemplar.trace_id': identifier('none'),
  // Logs.
  'ResourceLogs.schema_url': scanned(SCHEMA_URL),
  'ScopeLogs.schema_url': scanned(SCHEMA_URL),
  'LogRecord.severity_text': scanned(
    'URL-like words through the URL rules as in the log body (`sanitizers.url.logBody`), then scanned as text.',
  ),
  'LogRecord.body': rules(
    'Decided as the pseudo key `log.body` (`logs.body`); map entries as `log.body.<key>`; URL-like words of a kept body get the URL rules (`sanitizers.url.logBody`).',
  ),
  'LogRecord.attributes': rules('The `logs` rules.'),
  'LogRecord.trace_id': identifier(),
  'LogRecord.span_id': identifier(),
  'LogRecord.event_name': scanned(
    'URL-like words through the URL rules as in the log body (`sanitizers.url.logBody`), then scanned as text.',
  ),
} as const satisfies Record<string, OtlpField>;

/** The id of a classified field, `Message.field`. */
export type OtlpFieldId = keyof typeof OTLP_FIELDS;

/** The fields whose class is decided by text alone (scanned or dropped): the ones `redactTextField` handles. */
export type OtlpTextFieldId = {
  [K in OtlpFieldId]: (typeof OTLP_FIELDS)[K]['class'] extends 'scanned' | 'dropped' ? K : never;
}[OtlpFieldId];

/**
 * One free-text field through its class: `scanned` fields through `scan` (the policy's value scanner; returns
 * `undefined` when the finding's action drops the value), `dropped` fields never kept. Returns the text to write,
 * or `undefined` to leave the field out.
 */
export function redactTextField(
  id: OtlpTextFieldId,
  text: string,
  scan: (text: string) => string | undefined,
): string | undefined {
  const field: OtlpField = OTLP_FIELDS[id];
  if (field.class === 'scanned') return text === '' ? text : scan(text);
  if (field.class === 'dropped') return undefined;
  throw new Error(`OTLP field ${id} is classified ${field.class}, not as text`);
}

/** The OTLP/JSON (camelCase) name of a protobuf field name: `schema_url` → `schemaUrl`. */
export function jsonFieldName(protoField: string): string {
  return protoField.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The text fields of one message whose class is `scanned` or `dropped`, as `[OTLP/JSON name, field id]`:
 * what a traversal of OTLP/JSON (`otel-privacy scan`) applies `redactTextField` to at that message.
 */
export function textFieldsOf(message: string): readonly (readonly [string, OtlpTextFieldId])[] {
  let out = textFieldCache.get(message);
  if (out === undefined) {
    out = [];
    for (const id of Object.keys(OTLP_FIELDS) as OtlpFieldId[]) {
      const dot = id.lastIndexOf('.');
      if (id.slice(0, dot) !== message) continue;
      const c = OTLP_FIELDS[id].class;
      if (c === 'scanned' || c === 'dropped') out.push([jsonFieldName(id.slice(dot + 1)), id as OtlpTextFieldId]);
    }
    textFieldCache.set(message, out);
  }
  return out;
}

const textFieldCache = new Map<string, (readonly [string, OtlpTextFieldId])[]>();

/**
 * `redactTextField` for a value that several fields carry at once (a resource's `schemaUrl` is exported as the
 * `schema_url` of `ResourceSpans`, `ResourceMetrics` and `ResourceLogs`): dropped when any of them is `dropped`,
 * otherwise scanned once.
 */
export function redactSharedTextField(
  ids: readonly OtlpTextFieldId[],
  text: string,
  scan: (text: string) => string | undefined,
): string | undefined {
  for (const id of ids) if (OTLP_FIELDS[id].class === 'dropped') return undefined;
  return redactTextField(ids[0], text, scan);
}
