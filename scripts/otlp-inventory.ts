import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/** The OTLP protobuf definitions the field inventory is checked against. */
export const OTLP_PROTO_FILE = fileURLToPath(new URL('../engine/otlp-proto/otlp.proto', import.meta.url));

/** The export requests the walk starts from, by signal. */
export const OTLP_REQUESTS = {
  traces: 'ExportTraceServiceRequest',
  metrics: 'ExportMetricsServiceRequest',
  logs: 'ExportLogsServiceRequest',
} as const;

/** The message types that carry attribute values: a field of one of these types is inventoried. */
const VALUE_TYPES: ReadonlySet<string> = new Set(['AnyValue', 'ArrayValue', 'KeyValue', 'KeyValueList']);

/** One inventoried field found in the protobuf definitions. */
export interface ProtoField {
  /** `Message.field` (nested messages `Outer.Inner.field`). */
  readonly id: string;
  /** The protobuf type (`string`, `bytes`, `AnyValue`, …). */
  readonly type: string;
  /** Whether it is `repeated`. */
  readonly repeated: boolean;
  /** The signals whose export request reaches it. */
  readonly signals: readonly (keyof typeof OTLP_REQUESTS)[];
}

/** Parses the OTLP protobuf definitions. */
export function loadOtlpRoot(file = OTLP_PROTO_FILE): protobuf.Root {
  const root = protobuf.parse(readFileSync(file, 'utf8'), { keepCase: true }).root;
  root.resolveAll();
  return root;
}

function messageName(type: protobuf.Type): string {
  return type.fullName.replace(/^\.otlp\./, '');
}

/**
 * Every `string`, `bytes`, `AnyValue`, `ArrayValue`, `KeyValue` and `KeyValueList` field of the messages reachable
 * from the three export requests, with the signals that reach it, sorted by id.
 */
export function inventoryFields(root: protobuf.Root = loadOtlpRoot()): ProtoField[] {
  const found = new Map<string, { type: string; repeated: boolean; signals: Set<keyof typeof OTLP_REQUESTS> }>();
  for (const [signal, request] of Object.entries(OTLP_REQUESTS) as [keyof typeof OTLP_REQUESTS, string][]) {
    const seen = new Set<protobuf.Type>();
    const queue: protobuf.Type[] = [root.lookupType(`otlp.${request}`)];
    while (queue.length > 0) {
      const type = queue.shift()!;
      if (seen.has(type)) continue;
      seen.add(type);
      for (const field of type.fieldsArray) {
        const resolved = field.resolvedType;
        const typeName = resolved instanceof protobuf.Type ? messageName(resolved) : field.type;
        if (resolved instanceof protobuf.Type) queue.push(resolved);
        if (typeName !== 'string' && typeName !== 'bytes' && !VALUE_TYPES.has(typeName)) continue;
        const id = `${messageName(type)}.${field.name}`;
        let entry = found.get(id);
        if (entry === undefined)
          found.set(id, (entry = { type: typeName, repeated: field.repeated, signals: new Set() }));
        entry.signals.add(signal);
      }
    }
  }
  return [...found.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([id, e]) => ({
      id,
      type: e.type,
      repeated: e.repeated,
      signals: (Object.keys(OTLP_REQUESTS) as (keyof typeof OTLP_REQUESTS)[]).filter((s) => e.signals.has(s)),
    }));
}
