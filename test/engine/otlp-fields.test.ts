import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { OTLP_FIELDS, jsonFieldName, redactTextField, textFieldsOf } from '../../engine/otlp-fields';
import type { OtlpFieldId } from '../../engine/otlp-fields';
import { format, resolveConfig } from 'prettier';
import {
  OTLP_JSON_SHAPE_FILE,
  WHAT_WE_LOOK_AT_FILE,
  inventoryFields,
  loadOtlpRoot,
  renderOtlpJsonShape,
  renderWhatWeLookAt,
} from '../../scripts/otlp-inventory';

const root = loadOtlpRoot();
const fields = inventoryFields(root);

/**
 * The field lists otlp-transformer documents above its protobuf writers (`Proto fields (Span.Link):` then one
 * `<number> <name> <type>` line per field), as `Message` → number → name.
 */
function transformerFieldLists(): Map<string, Map<number, string>> {
  const require = createRequire(import.meta.url);
  // The package exports no subpaths: from its main entry up to `dist`.
  let dist = dirname(require.resolve('@opentelemetry/otlp-transformer'));
  while (!dist.endsWith('dist')) dist = dirname(dist);
  const out = new Map<string, Map<number, string>>();
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('serializer.mjs')) {
        const lines = readFileSync(path, 'utf8').split('\n');
        for (let i = 0; i < lines.length; i++) {
          const head = /Proto fields \(([A-Za-z.]+)\):/.exec(lines[i]);
          if (!head) continue;
          const byNumber = out.get(head[1]) ?? new Map<number, string>();
          out.set(head[1], byNumber);
          for (let j = i + 1; j < lines.length; j++) {
            const m = /^\*\s+(\d+)\s+([a-z_]+)\s/.exec(lines[j]);
            if (!m) break;
            byNumber.set(Number(m[1]), m[2]);
          }
        }
      }
    }
  };
  visit(dist);
  return out;
}

describe('the OTLP field inventory (engine/otlp-fields.ts)', () => {
  it('finds the fields of traces, metrics and logs in the protobuf definitions', () => {
    const ids = fields.map((f) => f.id);
    // Spot checks that the walk reaches every level: if these go, the walk is broken, not the table.
    for (const id of [
      'Span.trace_state',
      'Span.Link.trace_state',
      'Span.Event.name',
      'Status.message',
      'LogRecord.event_name',
      'LogRecord.severity_text',
      'LogRecord.body',
      'Metric.unit',
      'Exemplar.filtered_attributes',
      'ScopeLogs.schema_url',
      'InstrumentationScope.attributes',
      'KeyValue.key',
      'AnyValue.bytes_value',
    ])
      expect(ids).toContain(id);
    expect(fields.length).toBeGreaterThan(45);
  });

  it('classifies every field exactly once, and classifies nothing that is not a field', () => {
    const inProto = new Set(fields.map((f) => f.id));
    const unclassified = [...inProto].filter((id) => !Object.hasOwn(OTLP_FIELDS, id));
    const stale = Object.keys(OTLP_FIELDS).filter((id) => !inProto.has(id));
    expect(unclassified, 'OTLP fields without a class in engine/otlp-fields.ts').toEqual([]);
    expect(stale, 'classes for fields the OTLP definitions no longer have').toEqual([]);
  });

  it('fails on a field the table does not know (a new OTLP field cannot slip past)', () => {
    const changed = protobuf.parse(
      readFileSync(fileURLToPath(new URL('../../engine/otlp-proto/otlp.proto', import.meta.url)), 'utf8').replace(
        'string event_name = 12;',
        'string event_name = 12; string future_text = 13;',
      ),
      { keepCase: true },
    ).root;
    changed.resolveAll();
    const ids = inventoryFields(changed).map((f) => f.id);
    expect(ids).toContain('LogRecord.future_text');
    expect(Object.hasOwn(OTLP_FIELDS, 'LogRecord.future_text')).toBe(false);
  });

  it('matches what @opentelemetry/otlp-transformer encodes (its documented field numbers and names)', () => {
    const lists = transformerFieldLists();
    expect(lists.size).toBeGreaterThan(5);
    const mismatches: string[] = [];
    for (const [message, byNumber] of lists) {
      const type = root.lookupType(`otlp.${message}`);
      for (const [number, name] of byNumber) {
        const field = type.fieldsById[number];
        if (field?.name !== name) mismatches.push(`${message}.${name} = ${number} (ours: ${field?.name ?? 'none'})`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('is the superset of the example receiver’s schema (same names, numbers and types)', () => {
    const example = protobuf
      .parse(readFileSync(fileURLToPath(new URL('../../examples/receiver/otlp.proto', import.meta.url)), 'utf8'), {
        keepCase: true,
      })
      .root.resolveAll();
    const differences: string[] = [];
    const visit = (ns: protobuf.NamespaceBase): void => {
      for (const nested of ns.nestedArray) {
        if (nested instanceof protobuf.Type) {
          const ours = root.lookupType(nested.fullName.slice(1));
          for (const f of nested.fieldsArray) {
            const o = ours.fields[f.name];
            if (o?.id !== f.id || o.type !== f.type || o.repeated !== f.repeated)
              differences.push(`${nested.fullName}.${f.name}`);
          }
        }
        if (nested instanceof protobuf.Namespace) visit(nested);
      }
    };
    visit(example);
    expect(differences).toEqual([]);
  });

  it('has a JavaScript writer class for every field (app, sdk, none) and ids only for identifier fields', () => {
    for (const [id, f] of Object.entries(OTLP_FIELDS) as [OtlpFieldId, (typeof OTLP_FIELDS)[OtlpFieldId]][]) {
      expect(['app', 'sdk', 'none']).toContain(f.source);
      expect(f.how.length, id).toBeGreaterThan(5);
      if (/_id$/.test(id)) expect(f.class, id).toBe('identifier');
      if (f.class === 'identifier') expect(fields.find((p) => p.id === id)?.type, id).toBe('bytes');
    }
  });

  it('redactTextField applies the class: scanned through the scanner, dropped never kept', () => {
    const scan = (t: string) => (t.includes('@') ? '[REDACTED:email]' : t);
    expect(redactTextField('LogRecord.event_name', 'a@b.example', scan)).toBe('[REDACTED:email]');
    expect(redactTextField('LogRecord.event_name', 'checkout', scan)).toBe('checkout');
    expect(redactTextField('Metric.unit', 'ms', () => undefined)).toBeUndefined();
    expect(redactTextField('EntityRef.type', 'service', scan)).toBeUndefined();
    expect(jsonFieldName('schema_url')).toBe('schemaUrl');
    expect(textFieldsOf('Metric')).toEqual([
      ['name', 'Metric.name'],
      ['description', 'Metric.description'],
      ['unit', 'Metric.unit'],
      ['metadata', 'Metric.metadata'],
    ]);
  });

  it('docs/what-we-look-at.md is generated from the table and up to date (run `npm run docs:fields`)', () => {
    expect(readFileSync(WHAT_WE_LOOK_AT_FILE, 'utf8')).toBe(renderWhatWeLookAt(root));
    for (const id of Object.keys(OTLP_FIELDS)) expect(renderWhatWeLookAt(root)).toContain(`| \`${id}\` |`);
  });

  it('cli/otlp-json-shape.ts (the fields scan keeps) is generated from the proto and up to date (run `npm run otlp:shape`)', async () => {
    const options = await resolveConfig(OTLP_JSON_SHAPE_FILE);
    const expected = await format(renderOtlpJsonShape(root), { ...options, filepath: OTLP_JSON_SHAPE_FILE });
    expect(readFileSync(OTLP_JSON_SHAPE_FILE, 'utf8')).toBe(expected);
  });
});
