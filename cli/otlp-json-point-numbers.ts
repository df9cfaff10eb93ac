import type { ExponentialHistogram } from '@opentelemetry/sdk-metrics';
import { exponentialBucketKind, identifierValueKind } from '../processors/metrics/metric-value-guard';
import type { IdentifierValueKind, MetricValueGuard, NumberChecks } from '../processors/metrics/metric-value-guard';

type Json = Record<string, unknown>;

/** An OTLP/JSON number: a JSON number, or an int64 written as a decimal string (`"4111111111111111"`). */
function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.length > 0 && v.length <= 24) {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function kindOf(guard: MetricValueGuard, v: unknown, checks: NumberChecks): IdentifierValueKind | undefined {
  const n = numberOf(v);
  return n === undefined ? undefined : identifierValueKind(guard, n, checks);
}

/** Fields of a point that are no number it carries: attributes (the rules decide them), times and ids. */
const NOT_NUMBERS = new Set([
  'attributes',
  'filteredAttributes',
  'timeUnixNano',
  'startTimeUnixNano',
  'traceId',
  'spanId',
]);

/** The first number anywhere in `value` (objects and arrays walked, `NOT_NUMBERS` skipped) that is an identifier. */
function walkKind(
  guard: MetricValueGuard,
  value: unknown,
  checks: NumberChecks,
  depth: number,
): IdentifierValueKind | undefined {
  if (typeof value !== 'object' || value === null) return kindOf(guard, value, checks);
  if (depth > 4) return undefined; // a point is three levels deep (exemplars[], quantileValues[], positive.bucketCounts[])
  if (Array.isArray(value)) {
    for (const item of value) {
      const kind = walkKind(guard, item, checks, depth + 1);
      if (kind !== undefined) return kind;
    }
    return undefined;
  }
  for (const key in value) {
    if (NOT_NUMBERS.has(key)) continue;
    const kind = walkKind(guard, (value as Json)[key], checks, depth + 1);
    if (kind !== undefined) return kind;
  }
  return undefined;
}

/** An OTLP/JSON bucket range (`{ offset, bucketCounts }`) as the SDK's. */
function buckets(b: unknown): { offset: number; bucketCounts: number[] } {
  const o = (b ?? {}) as Json;
  const counts = Array.isArray(o.bucketCounts) ? o.bucketCounts.map((c) => numberOf(c) ?? 0) : [];
  return { offset: numberOf(o.offset) ?? 0, bucketCounts: counts };
}

/**
 * The identifier the numbers of one OTLP/JSON data point carry under `guard` (see `metricValueGuard`), or `undefined`:
 * every number of the point, whatever field of the metrics data model holds it (`asInt`/`asDouble`, `sum`, `min`,
 * `max`, `explicitBounds`, `count`, `bucketCounts`, `zeroThreshold`, `quantileValues`, exemplar values, …), read
 * like a value; and the populated buckets of an exponential histogram (`exponentialBucketKind`). Not read: the
 * attributes (the rules decide them), times and ids.
 */
export function pointNumbersKind(
  guard: MetricValueGuard,
  point: Json,
  checks: NumberChecks,
): IdentifierValueKind | undefined {
  const found = walkKind(guard, point, checks, 0);
  if (found !== undefined || (point.positive === undefined && point.negative === undefined)) return found;
  const h = {
    scale: numberOf(point.scale) ?? 0,
    min: numberOf(point.min),
    max: numberOf(point.max),
    positive: buckets(point.positive),
    negative: buckets(point.negative),
  } as unknown as ExponentialHistogram;
  return exponentialBucketKind(guard, h, checks);
}

/**
 * Applies `cut` (see `metricNumberCut`) to every number of one OTLP/JSON data point that `pointNumbersKind` reads
 * (values, `sum`, `min`, `max`, `explicitBounds`, exemplar values, …; attributes, times and ids are skipped), in
 * place, an int64 written as a string staying a string; returns how many numbers changed.
 */
export function cutPointNumbers(point: Json, cut: (value: number) => number): number {
  return cutIn(point, cut, 0);
}

function cutIn(o: Json | unknown[], cut: (value: number) => number, depth: number): number {
  if (depth > 4) return 0;
  let changed = 0;
  const keys = Array.isArray(o) ? o.keys() : Object.keys(o);
  for (const key of keys) {
    if (typeof key === 'string' && NOT_NUMBERS.has(key)) continue;
    const v = (o as Record<string | number, unknown>)[key];
    if (typeof v === 'object' && v !== null) {
      changed += cutIn(v as Json | unknown[], cut, depth + 1);
      continue;
    }
    const n = numberOf(v);
    if (n === undefined) continue;
    const r = cut(n);
    if (r === n) continue;
    (o as Record<string | number, unknown>)[key] = typeof v === 'string' ? String(r) : r;
    changed++;
  }
  return changed;
}
