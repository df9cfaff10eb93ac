/**
 * The field-canary suite's shared code: the canary of every field of the OTLP field inventory (engine/otlp-fields.ts)
 * and the code that writes it (re-exported from field-canary-writer.ts, which apps run in child processes and bundle
 * without this module's protobuf dependency), the OTLP/JSON generator for `otel-privacy scan`, and the code that
 * searches what was exported for the canaries and checks each field's outcome. Used by `otlp-field-canaries.test.ts`
 * (SDK 3.x and 2.x providers, `scan`), `register-field-canaries.test.ts` (the register hook in a child process) and
 * the consumer tests (`test/consumer/check-field-canaries.ts`: the register hook of the packed package on 2.x and 3.x).
 */
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { OTLP_FIELDS, jsonFieldName } from '../../engine/otlp-fields';
import type { OtlpFieldId } from '../../engine/otlp-fields';
import { loadPolicy } from '../../policy/load-policy';
import type { Policy } from '../../policy/policy';
import { OTLP_REQUESTS, loadOtlpRoot } from '../../scripts/otlp-inventory';
import { EXTRA_CANARIES, canaryOf, keyOf, tagOf, textOf } from './field-canary-writer';
import type { Signal } from './field-canary-writer';

export * from './field-canary-writer';

type Json = Record<string, unknown>;

const root = loadOtlpRoot();

/**
 * The suite's policy file: the default policy plus `code.*` and `otel.scope.*` (as an application adds for its own
 * attributes), so canaries in keys, map children and arrays under kept prefixes reach the key and value scanners.
 */
export const CANARY_POLICY_FILE = fileURLToPath(new URL('./testdata/field-canary-policy.yaml', import.meta.url));

/** The suite's policy (with the HMAC key in `OTEL_PRIVACY_HMAC_KEY`). */
export function canaryPolicy(): Policy {
  return loadPolicy(CANARY_POLICY_FILE);
}
/** Every field of the inventory. */
export const ALL_FIELDS = Object.keys(OTLP_FIELDS) as OtlpFieldId[];

/** What a field whose canary was masked holds. */
export const MASKED = (id: string): string => `${tagOf(id)} [REDACTED:email]`;

/** Whether a field's canary can be text: identifiers are bytes the SDK makes from hex ids. */
export const textual = (id: OtlpFieldId): boolean => OTLP_FIELDS[id].class !== 'identifier';

/**
 * The fields an application can write (inventory source `app`, text): what every SDK-path run must write a canary
 * into, less the fields `unreachable` names (each with the reason the path cannot reach it).
 */
export function appWritableFields(unreachable: Partial<Record<OtlpFieldId, string>> = {}): OtlpFieldId[] {
  return ALL_FIELDS.filter((id) => OTLP_FIELDS[id].source === 'app' && textual(id) && !(id in unreachable));
}

/** What must have happened to a field: its canary masked in place, the field (or its entry) dropped, hashed, filtered. */
export type Outcome =
  | { readonly kind: 'masked' }
  | { readonly kind: 'dropped' }
  | { readonly kind: 'pseudonymized'; readonly key: string }
  | { readonly kind: 'filtered' };

/**
 * The outcome of a `rules` field depends on the key it was written under; these are the keys the writers below
 * use (the suite's policy allows `http.request.method`, `service.namespace`, and `code.*` and `otel.scope.*` on top of
 * the default policy (so the `KeyValue.key` canary, `code.<canary>`, is dropped by the key scanner), hashes `user.id`,
 * has no rule for the status-message pseudo key and keeps log bodies scanned).
 */
const RULES_OUTCOMES: Partial<Record<OtlpFieldId, Outcome>> = {
  'AnyValue.array_value': { kind: 'masked' },
  'AnyValue.kvlist_value': { kind: 'masked' },
  'ArrayValue.values': { kind: 'masked' },
  'KeyValueList.values': { kind: 'masked' },
  'KeyValue.key': { kind: 'dropped' },
  'KeyValue.value': { kind: 'pseudonymized', key: 'user.id' },
  'InstrumentationScope.attributes': { kind: 'masked' },
  'Resource.attributes': { kind: 'masked' },
  'Span.attributes': { kind: 'masked' },
  'Span.Event.attributes': { kind: 'masked' },
  'Span.Link.attributes': { kind: 'masked' },
  'Status.message': { kind: 'dropped' },
  'NumberDataPoint.attributes': { kind: 'masked' },
  'HistogramDataPoint.attributes': { kind: 'masked' },
  'ExponentialHistogramDataPoint.attributes': { kind: 'masked' },
  'SummaryDataPoint.attributes': { kind: 'masked' },
  'Exemplar.filtered_attributes': { kind: 'masked' },
  'LogRecord.body': { kind: 'masked' },
  'LogRecord.attributes': { kind: 'masked' },
};

/** `AnyValue.bytes_value` is written under a key the default policy does not keep (keeping bytes is another item). */
const BYTES_OUTCOME: Outcome = { kind: 'dropped' };

/** The outcome the default policy must give a field's canary (from the field's class, or the key it is written under). */
export function expectedOutcome(id: OtlpFieldId): Outcome {
  const c = OTLP_FIELDS[id].class;
  if (id === 'AnyValue.bytes_value') return BYTES_OUTCOME;
  if (c === 'scanned' || c === 'sanitized:span-name') return { kind: 'masked' };
  if (c === 'dropped') return { kind: 'dropped' };
  if (c === 'filtered:trace-state') return { kind: 'filtered' };
  const o = RULES_OUTCOMES[id];
  if (o === undefined) throw new Error(`no expected outcome for the rules field ${id}`);
  return o;
}

/** Every value found at each inventoried field (`Message.field`) of an OTLP/JSON-shaped object. */
export function collect(typeName: string, value: unknown, out: Map<string, unknown[]>): void {
  if (typeof value !== 'object' || value === null) return;
  const type = root.lookupType(`otlp.${typeName}`);
  for (const field of type.fieldsArray) {
    const v = (value as Json)[jsonFieldName(field.name)];
    if (v === undefined) continue;
    const id = `${typeName}.${field.name}`;
    const list = out.get(id) ?? [];
    out.set(id, list);
    list.push(v);
    if (field.resolvedType instanceof protobuf.Type) {
      const name = field.resolvedType.fullName.replace(/^\.otlp\./, '');
      for (const item of Array.isArray(v) ? v : [v]) collect(name, item, out);
    }
  }
}

/** Text of collected values: strings as they are, byte arrays (decoded as number lists) as latin1. */
function textOfValues(values: readonly unknown[]): string {
  return JSON.stringify(values, (_key, v: unknown) =>
    Array.isArray(v) && v.length > 0 && v.every((n) => typeof n === 'number')
      ? Buffer.from(v as number[]).toString('latin1')
      : v,
  );
}

/** The needles a canary is searched as: raw, base64 and hex. */
export function needlesOf(id: string): string[] {
  const c = canaryOf(id);
  return [c, Buffer.from(c).toString('base64'), Buffer.from(c).toString('hex')];
}

/** The ids whose canaries (raw, base64, hex) are found in the received bytes or in the decoded text. */
export function leaks(ids: readonly string[], raw: Buffer, decoded: string): string[] {
  const out: string[] = [];
  for (const id of ids)
    for (const needle of needlesOf(id))
      if (raw.includes(needle) || raw.includes(Buffer.from(needle)) || decoded.includes(needle)) out.push(id);
  return [...new Set(out)];
}

/** Checks one field's outcome in the collected values; returns a complaint or undefined. */
export function checkOutcome(
  id: OtlpFieldId,
  found: Map<string, unknown[]>,
  policy: Policy,
  signal: Signal,
): string | undefined {
  const values = found.get(id) ?? [];
  const text = textOfValues(values);
  const outcome = expectedOutcome(id);
  switch (outcome.kind) {
    case 'masked':
      return text.includes(MASKED(id)) ? undefined : `${id}: expected "${MASKED(id)}" there, found ${text}`;
    case 'dropped':
      return text.includes(tagOf(id)) ? `${id}: expected dropped, found ${text}` : undefined;
    case 'pseudonymized': {
      const pseudonym = policy.sanitizer(signal).sanitizeValue(outcome.key, textOf(id));
      return typeof pseudonym === 'string' && /^k0:[A-Za-z0-9_-]{22}$/.test(pseudonym) && text.includes(pseudonym)
        ? undefined
        : `${id}: expected the pseudonym ${String(pseudonym)}, found ${text}`;
    }
    case 'filtered':
      return text.includes(canaryOf(id)) || !text.includes('ot=th:8')
        ? `${id}: expected only the ot member, found ${text}`
        : undefined;
  }
}

/**
 * Checks every written field's outcome in decoded OTLP export requests (`{ signal, decoded }`, as the test
 * receiver records them); returns the complaints.
 */
export function checkOutcomes(
  written: ReadonlyMap<OtlpFieldId, Signal>,
  requests: readonly { readonly signal: Signal; readonly decoded: unknown }[],
  policy: Policy,
): string[] {
  const complaints: string[] = [];
  for (const signal of ['traces', 'metrics', 'logs'] as const) {
    const found = new Map<string, unknown[]>();
    for (const r of requests) if (r.signal === signal) collect(OTLP_REQUESTS[signal], r.decoded, found);
    for (const [id, s] of written) {
      if (s !== signal) continue;
      const complaint = checkOutcome(id, found, policy, signal);
      if (complaint !== undefined) complaints.push(complaint);
    }
  }
  return complaints;
}

/**
 * The key a generated attribute list uses: one the suite's policy keeps, so the value is scanned (not a URL key: the
 * URL rules replace a free-text value holding an email-like word with `{id}` before any scan).
 */
function keyFor(id: string): string {
  if (id === 'Resource.attributes') return 'service.namespace';
  if (id === 'InstrumentationScope.attributes') return 'otel.scope.note';
  return 'code.note';
}

const VALUE_MODEL = new Set(['AnyValue', 'ArrayValue', 'KeyValue', 'KeyValueList']);

/** The value-model fields, each written as its own attribute (into span attributes). */
function valueModelAttributes(): Json[] {
  const s = (id: string) => ({ stringValue: textOf(id) });
  return [
    { key: keyOf('KeyValue.key'), value: s('KeyValue.key') },
    { key: 'user.id', value: s('KeyValue.value') },
    { key: 'http.request.method', value: s('AnyValue.string_value') },
    { key: 'code.tags', value: { arrayValue: { values: [s('AnyValue.array_value')] } } },
    { key: 'code.list', value: { arrayValue: { values: [{ stringValue: 'first' }, s('ArrayValue.values')] } } },
    { key: 'code.context', value: { kvlistValue: { values: [{ key: 'note', value: s('AnyValue.kvlist_value') }] } } },
    { key: 'code.details', value: { kvlistValue: { values: [{ key: 'note', value: s('KeyValueList.values') }] } } },
    { key: 'app.bytes', value: { bytesValue: Buffer.from(textOf('AnyValue.bytes_value')).toString('base64') } },
  ];
}

/**
 * An OTLP/JSON export request with a canary in every inventoried field reachable from it, generated from the
 * protobuf definitions and the inventory (no hand-written list of fields), for `otel-privacy scan`. `written` gets
 * every id that got a canary, including `Message.future_text` (a field OTLP does not define) and `Message.field.scalar`
 * (text where a number, enum or flag belongs).
 */
export function generateOtlpJson(typeName: string, written: Set<string>): Json {
  // A field OTLP does not define, at every level below the request (an unknown top-level field refuses the whole
  // request): scan must not copy it through.
  const out: Json = {};
  if (!(Object.values(OTLP_REQUESTS) as string[]).includes(typeName)) {
    out.futureText = canaryOf(`${typeName}.future_text`);
    written.add(`${typeName}.future_text`);
  }
  const type = root.lookupType(`otlp.${typeName}`);
  for (const field of type.fieldsArray) {
    const id = `${typeName}.${field.name}` as OtlpFieldId;
    const name = jsonFieldName(field.name);
    const resolved = field.resolvedType;
    const message = resolved instanceof protobuf.Type ? resolved.fullName.replace(/^\.otlp\./, '') : undefined;
    const one = (v: unknown) => (field.repeated ? [v] : v);
    if (!Object.hasOwn(OTLP_FIELDS, id)) {
      if (message !== undefined && !VALUE_MODEL.has(message)) out[name] = one(generateOtlpJson(message, written));
      else if (message === undefined) {
        // A number, enum or flag field: text there must not be copied through either.
        out[name] = one(canaryOf(`${id}.scalar`));
        written.add(`${id}.scalar`);
      }
      continue;
    }
    written.add(id);
    // Ids: a canary where an id belongs (not an id: removed); the SDK path sends real ids.
    if (OTLP_FIELDS[id].class === 'identifier') out[name] = canaryOf(id);
    else if (OTLP_FIELDS[id].class === 'filtered:trace-state') out[name] = `ot=th:8,vendor=${canaryOf(id)}`;
    else if (message === 'KeyValue') {
      const list: Json[] = [{ key: keyFor(id), value: { stringValue: textOf(id) } }];
      if (id === 'Span.attributes') {
        list.push(...valueModelAttributes());
        for (const v of ['KeyValue', 'AnyValue', 'ArrayValue', 'KeyValueList'])
          for (const f of ALL_FIELDS) if (f.startsWith(`${v}.`)) written.add(f);
      }
      out[name] = list;
    } else if (message === 'AnyValue') out[name] = { stringValue: textOf(id) };
    else out[name] = one(textOf(id));
  }
  return out;
}

/**
 * The application-writable inventory fields an app under the register hook cannot reach, with the reason. Any other
 * application-writable field without a canary fails a register run, so a new inventory field needs a writer or a
 * reason here.
 */
export const REGISTER_UNREACHABLE: Partial<Record<OtlpFieldId, string>> = {
  'ResourceSpans.schema_url':
    'the resource is built by the register hook from detectors; no detector sets a schema URL',
  'ResourceMetrics.schema_url': 'as ResourceSpans.schema_url',
  'ResourceLogs.schema_url': 'as ResourceSpans.schema_url',
  'ExponentialHistogramDataPoint.attributes':
    'the register hook offers no view or environment variable that selects exponential histograms',
};

/** The canaries of a register run that are not in an inventory field: a resource detector's and the propagator's. */
export const REGISTER_OTHER_CANARIES = [
  'detector.process-command-args',
  'propagation.incoming-tracestate',
  'propagation.incoming-baggage',
  'propagation.outgoing-tracestate',
  'propagation.outgoing-baggage',
];

/**
 * What a register run of testdata/field-canary-app.ts is started with, besides the exporter's settings: the resource
 * suite's policy in `OTEL_PRIVACY_POLICY`, the resource canary in `OTEL_RESOURCE_ATTRIBUTES` and a command-line argument the process detector reads (`args`, after the app).
 */
export function registerRunInputs(): { readonly env: Record<string, string>; readonly args: string[] } {
  return {
    env: {
      OTEL_PRIVACY_POLICY: CANARY_POLICY_FILE,
      OTEL_RESOURCE_ATTRIBUTES: `service.namespace=${encodeURIComponent(textOf('Resource.attributes'))}`,
    },
    args: [textOf('detector.process-command-args')],
  };
}

/** The line testdata/field-canary-app.ts prints. */
interface AppReport {
  readonly written: [OtlpFieldId, Signal][];
  readonly seen: { readonly traceState?: string; readonly baggage: unknown[] };
  readonly injected: Record<string, string>;
}

/**
 * Checks a register run of testdata/field-canary-app.ts under the suite's policy (`policy`, with the child's HMAC
 * key): `stdout` is what the app printed, `requests` what the receiver decoded (with the raw protobuf bytes). Every
 * reachable field got a canary; no canary (raw, base64, hex) is in the bytes, the decoded requests or the headers the
 * propagator wrote; every field's outcome is the one its class gives; the propagator let through only the `ot`
 * trace-state member and no baggage. Returns the problems (none when all is well) and how many fields were written.
 */
export function checkRegisterRun(
  stdout: string,
  requests: readonly { readonly signal: Signal; readonly decoded: unknown; readonly bytes: Buffer }[],
  policy: Policy,
): { readonly problems: string[]; readonly fields: number } {
  const line = stdout.split('\n').find((l) => l.startsWith('FIELD-CANARIES '));
  if (line === undefined) return { problems: ['the app printed no FIELD-CANARIES line'], fields: 0 };
  const report = JSON.parse(line.slice('FIELD-CANARIES '.length)) as AppReport;
  const written = new Map<OtlpFieldId, Signal>(report.written);
  written.set('Resource.attributes', 'traces');
  const problems: string[] = [];

  for (const id of Object.keys(REGISTER_UNREACHABLE) as OtlpFieldId[])
    if (OTLP_FIELDS[id].source !== 'app') problems.push(`${id} is named unreachable but no app can write it`);
  const writable = appWritableFields(REGISTER_UNREACHABLE);
  for (const id of writable) if (!written.has(id)) problems.push(`${id}: no canary written`);
  for (const id of written.keys()) if (!writable.includes(id)) problems.push(`${id}: written but not app-writable`);

  for (const signal of ['traces', 'metrics', 'logs'] as const)
    if (!requests.some((r) => r.signal === signal)) problems.push(`no ${signal} request arrived`);
  const raw = Buffer.concat(requests.map((r) => r.bytes));
  const decoded = JSON.stringify(requests.map((r) => r.decoded));
  const searched = [...written.keys(), ...EXTRA_CANARIES, ...REGISTER_OTHER_CANARIES];
  for (const id of leaks(searched, raw, decoded)) problems.push(`${id}: canary received`);
  problems.push(...checkOutcomes(written, requests, policy));

  // The propagator: incoming baggage dropped (no propagation rules), incoming and outgoing trace state reduced to the
  // `ot` member, no baggage header written; nothing the app printed carries a canary.
  if (report.seen.traceState !== 'ot=th:8' || report.seen.baggage.length > 0)
    problems.push(`extracted context: ${JSON.stringify(report.seen)}`);
  if (report.injected.tracestate !== 'ot=th:8' || report.injected.baggage !== undefined)
    problems.push(`injected headers: ${JSON.stringify(report.injected)}`);
  if (!/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/.test(report.injected.traceparent ?? ''))
    problems.push(`injected traceparent: ${report.injected.traceparent}`);
  for (const id of searched) if (needlesOf(id).some((n) => line.includes(n))) problems.push(`${id}: printed`);
  if (!decoded.includes('"canary.extracted"')) problems.push('the span started under the extracted context is missing');
  return { problems, fields: written.size };
}
