/**
 * The only place that writes SDK log record fields the public API does not let us write. A `LogRecordProcessor` may
 * change a record during `onEmit`; the public `ReadWriteLogRecord` can set the body (`body`, `setBody`) and add or
 * overwrite attributes (`setAttribute`), but cannot remove an attribute or replace the resource, so those are written
 * directly. Relied on, in `@opentelemetry/sdk-logs` 0.2xx (SDK 2.x) and 3.x alike (tested on both lines in
 * `test/processors/sdk-internals/`):
 * - `LogRecordImpl` keeps `attributes` and `resource` as plain own properties (`readonly` only in the types) and
 *   exporters read them back;
 * - `_attributesCount` (private) is the number of attributes `setAttribute` compares with `attributeCountLimit`;
 * - `eventName`, `severityText` and `instrumentationScope` are plain own properties (or setters) read back by exporters.
 */
import type { Attributes, SpanContext } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';

/** The log record fields that are typed read-only but written here. */
interface WritableLogRecordFields {
  attributes: Attributes;
  resource: Resource;
  eventName?: string;
  severityText?: string;
  instrumentationScope: InstrumentationScope;
  _attributesCount?: number;
}

/**
 * Replaces a log record's attributes by `attributes`, which hold `count` keys, keeping the SDK's attribute-limit
 * bookkeeping right. On an SDK without the private counter only the attributes are replaced.
 */
export function replaceLogRecordAttributes(record: ReadWriteLogRecord, attributes: Attributes, count: number): void {
  const w = record as unknown as WritableLogRecordFields;
  w.attributes = attributes;
  if (typeof w._attributesCount === 'number') w._attributesCount = count;
}

/** Replaces the resource a log record is exported with (the record's own reference; the shared object is untouched). */
export function replaceLogRecordResource(record: ReadWriteLogRecord, resource: Resource): void {
  (record as unknown as WritableLogRecordFields).resource = resource;
}

/**
 * Replaces a log record's event name, severity text and instrumentation scope (the record's own fields; the SDK's
 * shared scope object is untouched). A field is written only when it changed.
 */
export function replaceLogRecordMetadata(
  record: ReadWriteLogRecord,
  eventName: string | undefined,
  severityText: string | undefined,
  scope: InstrumentationScope,
): void {
  const w = record as unknown as WritableLogRecordFields;
  if (w.eventName !== eventName) w.eventName = eventName;
  if (w.severityText !== severityText) w.severityText = severityText;
  if (w.instrumentationScope !== scope) w.instrumentationScope = scope;
}

/**
 * Replaces a record's span context (the SDK's `spanContext` setter, which works while the record is writable). Returns
 * false when the record still reports another one afterwards: the caller must not export the record then.
 */
export function replaceLogRecordSpanContext(record: ReadWriteLogRecord, spanContext: SpanContext): boolean {
  (record as unknown as { spanContext: SpanContext }).spanContext = spanContext;
  return record.spanContext === spanContext;
}
