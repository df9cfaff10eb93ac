import { ROOT_CONTEXT, SpanKind, TraceFlags, createTraceState, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace';

/** A seeded pseudo-random generator (mulberry32): reproducible "random" trace ids for statistical tests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` random 32-hex-digit trace ids from a seeded generator. */
export function randomTraceIds(count: number, seed: number): string[] {
  const next = seededRandom(seed);
  const word = (): string =>
    Math.floor(next() * 4294967296)
      .toString(16)
      .padStart(8, '0');
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) ids.push(word() + word() + word() + word());
  return ids;
}

/** A random 16-hex-digit span id from a seeded generator. */
export function randomSpanId(next: () => number): string {
  const word = (): string =>
    Math.floor(next() * 4294967296)
      .toString(16)
      .padStart(8, '0');
  return word() + word();
}

/** A context whose span is a remote parent with the given trace id, sampled flag and tracestate. */
export function remoteParent(traceId: string, sampled: boolean, traceState?: string): Context {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId: '00f067aa0ba902b7',
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
    traceState: traceState === undefined ? undefined : createTraceState(traceState),
  });
}

/** Calls `sampler.shouldSample` the way the SDK's tracer does. */
export function decide(
  sampler: Sampler,
  traceId: string,
  context: Context = ROOT_CONTEXT,
  name = 'span',
  kind: SpanKind = SpanKind.INTERNAL,
  attributes = {},
): SamplingResult {
  return sampler.shouldSample(context, traceId, name, kind, attributes, []);
}

/**
 * True when an `ot` tracestate value is valid per "TraceState Handling": at most 256 characters, `;`-separated
 * `key:value` members with unique lowercase keys, value characters from [A-Za-z0-9._-], `th` of 1–14 lowercase
 * hex digits without trailing zeros (or `0`), `rv` of exactly 14 hex digits.
 */
export function isValidOtValue(value: string): boolean {
  if (value.length === 0 || value.length > 256) return false;
  const keys = new Set<string>();
  for (const member of value.split(';')) {
    const m = /^([a-z][a-z0-9]*):([A-Za-z0-9._-]*)$/.exec(member);
    if (m === null || keys.has(m[1])) return false;
    keys.add(m[1]);
    if (m[1] === 'th' && !/^(0|[0-9a-f]{0,13}[1-9a-f])$/.test(m[2])) return false;
    if (m[1] === 'rv' && !/^[0-9a-f]{14}$/i.test(m[2])) return false;
  }
  return true;
}
