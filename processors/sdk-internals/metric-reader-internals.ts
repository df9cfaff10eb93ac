/**
 * The only place that reads and writes private fields of the SDK's `PeriodicExportingMetricReader`. `withPrivacy`
 * must make a reader the user already built export through the policy; the SDK offers no public way to read or
 * replace a reader's exporter or its export batching, and a reader cannot be rebuilt from its public state. Relied
 * on, in `@opentelemetry/sdk-metrics` 2.x and 3.x alike (tested on both lines in `test/processors/sdk-internals/`):
 * - `_exporter`: the `PushMetricExporter` every collection is handed to, read at each export (not captured earlier);
 * - `_maxExportBatchSize`: when set, each collection is split into batches of that many data points before export;
 * - `_exportInterval`: set on every periodic reader (used only to recognize one).
 */
import type { IMetricReader, PushMetricExporter } from '@opentelemetry/sdk-metrics';

/** The private fields of `PeriodicExportingMetricReader` used here. */
interface PeriodicReaderFields {
  _exporter?: unknown;
  _maxExportBatchSize?: number;
  _exportInterval?: number;
}

function fields(reader: IMetricReader): PeriodicReaderFields {
  return reader as unknown as PeriodicReaderFields;
}

/** The push exporter of a periodic reader, or undefined when `reader` does not hold one. */
export function periodicReaderExporter(reader: IMetricReader): PushMetricExporter | undefined {
  const exporter = fields(reader)._exporter;
  if (typeof exporter !== 'object' || exporter === null) return undefined;
  const candidate = exporter as PushMetricExporter;
  return typeof candidate.export === 'function' && typeof candidate.shutdown === 'function' ? candidate : undefined;
}

/** Makes a periodic reader hand every later export to `exporter` instead. */
export function replacePeriodicReaderExporter(reader: IMetricReader, exporter: PushMetricExporter): void {
  fields(reader)._exporter = exporter;
}

/**
 * Turns off the reader's splitting of a collection into batches, so the exporter sees each collection whole.
 * Returns true when a batch size had been set.
 */
export function disableExportBatching(reader: IMetricReader): boolean {
  const f = fields(reader);
  if (f._maxExportBatchSize === undefined) return false;
  f._maxExportBatchSize = undefined;
  return true;
}

/**
 * True for a periodic (push) reader of either SDK line. Not `instanceof PeriodicExportingMetricReader`: the reader may
 * come from another copy of `@opentelemetry/sdk-metrics` than the one this package resolves.
 */
export function isPeriodicReader(reader: IMetricReader): boolean {
  return fields(reader)._exportInterval !== undefined;
}
