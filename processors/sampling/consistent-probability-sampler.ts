import { SpanKind, TraceFlags, createTraceState, isSpanContextValid, isValidTraceId, trace } from '@opentelemetry/api';
import type { Attributes, Context, Link, TraceState } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace';
import { GlobList, isGlob } from '../../engine/glob-list';
import type { PolicyDocument } from '../../policy/schema';

/**
 * OpenTelemetry consistent probability sampling, as specified in
 * "TraceState: Probability Sampling" and "TraceState Handling" of the OpenTelemetry specification:
 * randomness R is the `rv` sub-key of the `ot` tracestate entry or the low 56 bits of the trace id,
 * a ratio p becomes the rejection threshold T = (1 − p)·2^56, and a span is kept when R ≥ T.
 * Kept spans carry `ot=th:<hex>` so that Collector samplers downstream stay consistent.
 */

/** The `traces.sampling` block of a policy document; `new ConsistentProbabilitySampler(policy.traces.sampling)`. */
export type TraceSamplingOptions = NonNullable<NonNullable<PolicyDocument['traces']>['sampling']>;

/** One entry of `traces.sampling.rules`: conditions (all must hold) plus the ratio used when they do. */
export type TraceSamplingRule = NonNullable<TraceSamplingOptions['rules']>[number];

/** Span kinds as written in a sampling rule. */
export type SamplingRuleKind = NonNullable<TraceSamplingRule['kind']>;

/** Settings that are not part of the policy document. */
export interface ThresholdSettings {
  /**
   * Hex digits of precision used to encode thresholds, 1–14 (default {@link DEFAULT_THRESHOLD_PRECISION}).
   * As in the specification, one digit is added for every leading `f` that a small ratio produces.
   * 14 means full 56-bit precision: T = 2^56 − round(p·2^56), the formula of the Collector's
   * `pkg/sampling` and of `@opentelemetry/sampler-composite`.
   */
  precision?: number;
}

/** 2^56: the number of distinct randomness values, and the threshold that rejects everything. */
export const MAX_THRESHOLD = 1n << 56n;

/**
 * Default threshold precision: 5 hex digits (plus one per leading `f`), which yields the specification's
 * examples `th:c` for 25 %, `th:fd70a4` for 1 % and `th:0` for 100 % (the specification's table suggests 4 for
 * SDKs, which would give `th:fd70a` for 1 %). Decisions differ from full precision only for randomness values
 * between the rounded and the exact threshold (at most half a unit of the last written hex digit).
 */
export const DEFAULT_THRESHOLD_PRECISION = 5;

/** Longest `ot` value (and longest tracestate value) allowed. */
const OT_VALUE_LIMIT = 256;
const HEX_DIGITS = 14;
const TH_RE = /^[0-9a-fA-F]{1,14}$/;
const RV_RE = /^[0-9a-fA-F]{14}$/;
const OT_KEY_RE = /^[a-z][a-z0-9]*$/;
const OT_VALUE_RE = /^[A-Za-z0-9._-]*$/;

/**
 * Converts a sampling probability into a 56-bit rejection threshold, rounded as the specification's
 * `probability_to_threshold_with_precision` does. Returns {@link MAX_THRESHOLD} (never sample) for 0 and for
 * probabilities too small to represent (below 2^-57), and 0n (always sample) for 1.
 * @throws RangeError for a probability outside [0, 1] or a precision outside 1–14.
 */
export function probabilityToThreshold(probability: number, precision: number = DEFAULT_THRESHOLD_PRECISION): bigint {
  if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) {
    throw new RangeError(`expected a sampling ratio between 0 and 1, got ${String(probability)}`);
  }
  if (!Number.isInteger(precision) || precision < 1 || precision > HEX_DIGITS) {
    throw new RangeError(`expected a threshold precision between 1 and ${HEX_DIGITS}, got ${String(precision)}`);
  }
  if (probability === 1) return 0n;
  // p·2^56 is exact in binary floating point; Math.round matches Go's math.Round for positive values.
  const kept = BigInt(Math.round(probability * 2 ** 56));
  if (kept === 0n) return MAX_THRESHOLD;
  let threshold = MAX_THRESHOLD - kept;
  // Raise precision by the number of leading 'f' digits (exponent // -4, as in the specification).
  const digits = Math.min(HEX_DIGITS, precision + Math.floor(-binaryExponent(probability) / 4));
  const shift = BigInt(4 * (HEX_DIGITS - digits));
  if (shift > 0n) {
    threshold = ((threshold + (1n << (shift - 1n))) >> shift) << shift;
    if (threshold >= MAX_THRESHOLD) threshold = MAX_THRESHOLD - (1n << shift);
  }
  return threshold;
}

/** The probability a threshold keeps: (2^56 − T) / 2^56. */
export function thresholdToProbability(threshold: bigint): number {
  if (threshold <= 0n) return 1;
  if (threshold >= MAX_THRESHOLD) return 0;
  return Number(MAX_THRESHOLD - threshold) / 2 ** 56;
}

/**
 * Encodes a threshold as a `th` value: lowercase hex, 14 digits with trailing zeros removed, `0` for 0.
 * @throws RangeError for a value outside [0, 2^56), which has no `th` encoding.
 */
export function encodeThreshold(threshold: bigint): string {
  if (threshold < 0n || threshold >= MAX_THRESHOLD) throw new RangeError(`threshold out of range: ${threshold}`);
  if (threshold === 0n) return '0';
  return threshold.toString(16).padStart(HEX_DIGITS, '0').replace(/0+$/, '');
}

/** Decodes a `th` value (1–14 hex digits, implicitly padded with trailing zeros); undefined when malformed. */
export function parseThreshold(value: string): bigint | undefined {
  if (!TH_RE.test(value)) return undefined;
  return BigInt(`0x${value.padEnd(HEX_DIGITS, '0')}`);
}

/** Decodes an `rv` value (exactly 14 hex digits); undefined when malformed. */
export function parseRandomness(value: string): bigint | undefined {
  if (!RV_RE.test(value)) return undefined;
  return BigInt(`0x${value}`);
}

/**
 * The 56-bit randomness of a trace: the `rv` sub-key of the `ot` tracestate entry when it is present and
 * valid, otherwise the low 56 bits of the trace id. Undefined when the trace id is not valid.
 */
export function traceRandomness(traceId: string, traceState?: TraceState): bigint | undefined {
  if (traceState !== undefined) {
    const ot = traceState.get('ot');
    if (ot !== undefined) {
      const rv = parseOtValue(ot).rv;
      if (rv !== undefined) return rv.value;
    }
  }
  return isValidTraceId(traceId) ? BigInt(`0x${traceId.slice(-HEX_DIGITS)}`) : undefined;
}

/** The exponent e of x = m·2^e with m in [0.5, 1), for x in (0, 1) (Python's `math.frexp`), computed exactly. */
function binaryExponent(x: number): number {
  let e = 0;
  while (x < 0.5) {
    x *= 2;
    e -= 1;
  }
  return e;
}

interface OtValue {
  /** A valid, unique `th`. */
  th?: bigint;
  /** A valid, unique `rv`, with its text kept verbatim. */
  rv?: { readonly value: bigint; readonly text: string };
  /** Every other well-formed sub-key, in order (first occurrence of each key). */
  rest: string[];
}

/**
 * Parses the `ot` tracestate value. Malformed members, duplicated `th`/`rv` and malformed `th`/`rv` values
 * are treated as unknown (and left out of what is written back); an over-long value is ignored entirely.
 */
function parseOtValue(value: string): OtValue {
  const out: OtValue = { rest: [] };
  if (value.length > OT_VALUE_LIMIT) return out;
  let thCount = 0;
  let rvCount = 0;
  const seen = new Set<string>();
  for (const member of value.split(';')) {
    const colon = member.indexOf(':');
    if (colon <= 0) continue;
    const key = member.slice(0, colon);
    const text = member.slice(colon + 1);
    if (!OT_KEY_RE.test(key) || !OT_VALUE_RE.test(text)) continue;
    if (key === 'th') {
      thCount += 1;
      out.th = parseThreshold(text);
    } else if (key === 'rv') {
      rvCount += 1;
      const rv = parseRandomness(text);
      out.rv = rv === undefined ? undefined : { value: rv, text };
    } else if (!seen.has(key)) {
      seen.add(key);
      out.rest.push(member);
    }
  }
  if (thCount > 1) out.th = undefined;
  if (rvCount > 1) out.rv = undefined;
  return out;
}

/** Serializes an `ot` value: `th` first, then `rv`, then the other sub-keys; `th` is left out when it would not fit. */
function serializeOtValue(th: bigint | undefined, ot: OtValue): string {
  const tail: string[] = [];
  if (ot.rv !== undefined) tail.push(`rv:${ot.rv.text}`);
  tail.push(...ot.rest);
  if (th !== undefined) {
    const withTh = [`th:${encodeThreshold(th)}`, ...tail].join(';');
    // "TraceState Handling": abort the set rather than exceed 256 characters (an absent th is always valid).
    if (withTh.length <= OT_VALUE_LIMIT) return withTh;
  }
  let value = tail.join(';');
  while (value.length > OT_VALUE_LIMIT) value = value.slice(0, Math.max(0, value.lastIndexOf(';')));
  return value;
}

const KIND_NAMES: Record<SpanKind, SamplingRuleKind> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

interface AttributeCondition {
  readonly key: string;
  readonly value: string | number | boolean;
  /** For string values containing glob characters: also matched as a glob. */
  readonly glob?: GlobList;
}

interface CompiledRule {
  readonly spanName?: GlobList;
  readonly kind?: SamplingRuleKind;
  readonly attributes: readonly AttributeCondition[];
  readonly ratio: number;
  readonly threshold: bigint;
}

const EMPTY_OT: OtValue = { rest: [] };

/**
 * A head sampler implementing OpenTelemetry consistent probability sampling, parent-based by default, with
 * per-rule ratios. Build it from the policy: `new ConsistentProbabilitySampler(policy.traces?.sampling)`.
 *
 * - Root spans (and every span when `parentBased` is false): the first rule whose conditions all hold (span
 *   name glob, span kind, attribute equality, or glob for string values) gives the ratio, else `ratio`
 *   (default 1). The span is kept when R ≥ T and then carries `ot=th:<hex>`. Globs are compiled once with
 *   picomatch (`GlobList`): a `/` is an ordinary character, so `GET /api/*` matches `GET /api/v1/users`.
 * - Children of a valid parent (when `parentBased`, the default): the parent's sampled flag decides; the
 *   parent's `th` is propagated when it is consistent (R ≥ th), and erased when it is absent, malformed or
 *   inconsistent (the specification's parent-based threshold rules).
 * - `rv`, the other `ot` sub-keys and other vendors' entries are preserved; an unsampled span carries no `th`.
 *
 * `keepErrors` and `maxPerSecond` are span-processor concerns (see `RateLimiter`); the sampler ignores them.
 * @throws RangeError for a ratio outside [0, 1]; Error naming the pattern for an invalid glob.
 */
export class ConsistentProbabilitySampler implements Sampler {
  /** Whether children follow their parent's decision. */
  readonly parentBased: boolean;
  /** The ratio used for root spans that match no rule. */
  readonly ratio: number;
  /** The rejection threshold for `ratio` ({@link MAX_THRESHOLD} for 0). */
  readonly threshold: bigint;
  private readonly rules: readonly CompiledRule[];
  private readonly precision: number;

  constructor(options: TraceSamplingOptions = {}, settings: ThresholdSettings = {}) {
    this.precision = settings.precision ?? DEFAULT_THRESHOLD_PRECISION;
    this.ratio = options.ratio ?? 1;
    this.parentBased = options.parentBased ?? true;
    this.threshold = probabilityToThreshold(this.ratio, this.precision);
    this.rules = (options.rules ?? []).map((rule) => this.compileRule(rule));
  }

  /** Decides for one span; never throws for any tracestate or trace id. */
  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    _links: Link[],
  ): SamplingResult {
    const parent = trace.getSpanContext(context);
    const hasParent = parent !== undefined && isSpanContextValid(parent);
    const traceState = hasParent ? parent.traceState : undefined;
    const otText = traceState?.get('ot');
    const ot = otText === undefined ? EMPTY_OT : parseOtValue(otText);
    const randomness = isValidTraceId(traceId)
      ? (ot.rv?.value ?? BigInt(`0x${traceId.slice(-HEX_DIGITS)}`))
      : undefined;

    if (hasParent && this.parentBased) {
      const sampled = (parent.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
      const consistent = sampled && ot.th !== undefined && randomness !== undefined && randomness >= ot.th;
      return this.result(sampled, consistent ? ot.th : undefined, ot, otText, traceState);
    }

    const threshold = this.thresholdFor(spanName, spanKind, attributes);
    const sampled = randomness !== undefined && threshold < MAX_THRESHOLD && randomness >= threshold;
    return this.result(sampled, sampled ? threshold : undefined, ot, otText, traceState);
  }

  /** A description with the configuration. */
  toString(): string {
    const th = this.threshold >= MAX_THRESHOLD ? 'never' : encodeThreshold(this.threshold);
    return `ConsistentProbabilitySampler{ratio=${this.ratio}, th=${th}, parentBased=${this.parentBased}, rules=${this.rules.length}}`;
  }

  /** The threshold that applies to a root decision: the first matching rule's, else the default. */
  private thresholdFor(spanName: string, spanKind: SpanKind, attributes: Attributes): bigint {
    for (const rule of this.rules) {
      if (rule.kind !== undefined && KIND_NAMES[spanKind] !== rule.kind) continue;
      if (rule.spanName !== undefined && rule.spanName.match(spanName) === undefined) continue;
      if (!rule.attributes.every((c) => attributeMatches(c, attributes[c.key]))) continue;
      return rule.threshold;
    }
    return this.threshold;
  }

  private result(
    sampled: boolean,
    th: bigint | undefined,
    ot: OtValue,
    otText: string | undefined,
    traceState: TraceState | undefined,
  ): SamplingResult {
    const decision = sampled ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD;
    const value = serializeOtValue(th, ot);
    if (value === (otText ?? '')) return { decision, traceState };
    const base = traceState ?? createTraceState();
    // TraceState.set refuses silently when the whole tracestate would exceed its limits (32 entries, 512
    // characters): then fall back to the entry without th (never longer than the incoming one), then to none.
    for (const candidate of th === undefined ? [value] : [value, serializeOtValue(undefined, ot)]) {
      const next = candidate === '' ? base.unset('ot') : base.set('ot', candidate);
      if (next.get('ot') === (candidate === '' ? undefined : candidate)) return { decision, traceState: next };
    }
    return { decision, traceState: base.unset('ot') };
  }

  private compileRule(rule: TraceSamplingRule): CompiledRule {
    const attributes = Object.entries(rule.attributes ?? {}).map(([key, value]): AttributeCondition => {
      if (typeof value === 'string' && isGlob(value)) return { key, value, glob: new GlobList([value]) };
      return { key, value };
    });
    return {
      spanName: rule.spanName === undefined ? undefined : new GlobList([rule.spanName]),
      kind: rule.kind,
      attributes,
      ratio: rule.ratio,
      threshold: probabilityToThreshold(rule.ratio, this.precision),
    };
  }
}

function attributeMatches(condition: AttributeCondition, actual: unknown): boolean {
  if (actual === condition.value) return true;
  return condition.glob !== undefined && typeof actual === 'string' && condition.glob.match(actual) !== undefined;
}
