import { SpanStatusCode } from '@opentelemetry/api';
import type { Context, Link } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { CompiledTraceSettings } from '../../policy/compiled-policy';
import type { Policy } from '../../policy/policy';
import { RateLimiter } from '../sampling/rate-limiter';
import { SpanRedactor } from './span-redactor';
import type { StartPass } from './span-redactor';
import { SubjectMask } from '../../engine/consent/subject-mask';
import { consentTraces } from '../../engine/consent/trace-decisions';
import type { TraceDecisions } from '../../engine/consent/trace-decisions';
import {
  consentLinks,
  minimizeSpanInPlace,
  minimizedSpanCopy,
  consentAtStart,
  premaskSpanInPlace,
  premaskedSpanCopy,
  spanCopyWithLinks,
  spanIdentifierValues,
} from './consent-minimize';
import { writableSpan } from '../sdk-internals/span-internals';
import { SpanSnapshot } from './span-snapshot';
import { cutSettings, maskCutSpanInPlace, maskedCutSpanCopy } from './cut-span-values';
import type { SpanMinimization } from './consent-minimize';

/** Options of `PrivacySpanProcessor`. */
export interface PrivacySpanProcessorOptions {
  /** The compiled policy to apply. */
  readonly policy: Policy;
  /** The downstream processor(s), e.g. a `BatchSpanProcessor`; they only ever see sanitized spans. */
  readonly next: SpanProcessor | readonly SpanProcessor[];
}

const SANITIZED = 1;
const FAILED = 2;
const RATE_LIMITED = 3;
const CONSENT_DROPPED = 4;
type SpanState = StartPass | typeof SANITIZED | typeof FAILED | typeof RATE_LIMITED | typeof CONSENT_DROPPED;

/**
 * A `SpanProcessor` that applies a privacy policy to every span and hands only sanitized spans to
 * the processor(s) it wraps.
 *
 * - On start, the initial attributes and the resource are sanitized in place before `next` sees the span.
 * - On `onEnding` (SDK 2.x ≥ 2.9 and 3.x), the span is still writable: attributes, events, links, status
 *   message and resource are sanitized in place, so every other processor on the provider sees clean spans too.
 * - Without `onEnding`, `onEnd` sanitizes a copy. The shared resource and scope objects are never mutated; the trace
 *   and span ids and the sampled flag are kept.
 * - On both paths, `next.onEnd` receives a `SpanSnapshot` of the sanitized span, not the SDK span: it holds only objects
 *   the library made (span contexts copied with their ids checked and trace states rebuilt from the filtered text;
 *   attribute objects frozen), so what the application changes after `end()` — in the SDK span, or in objects it
 *   passed in and still holds — never reaches a batch exported later.
 * - Fail closed: if sanitizing throws, the span is wiped, counted (`policy.counters.dropped.traces.failed`)
 *   and never forwarded.
 * - Consent (`consent`): a span whose subject (attributes, `withConsentSubject` context, baggage) is in the opt-out
 *   set marks its trace as opted out in this process (`consentTraces(policy)`); that span and every span of the
 *   trace that ends afterwards are not forwarded (`drop`, counted in `policy.counters.consentSuppressed.traces`) or
 *   lose their identifying attributes (`minimize`). Nothing is written to the trace state, baggage or sampled flag.
 * - User groups (`userGroups`): a span gets the rules of the strictest of its own group attribute (at start and at
 *   end), its parent's and its trace's group in this process (`when` blocks with `userGroup`); a value no block names
 *   gets the `userGroups.unknown` rules and is counted (`policy.counters.userGroupUnknown.traces`).
 * - Rate limit: with `traces.sampling.maxPerSecond`, spans beyond the rate (token bucket) are sanitized but not
 *   forwarded, and counted (`policy.counters.dropped.traces.rateLimited`); with `keepErrors: true`, spans with
 *   error status are exempt.
 */
export class PrivacySpanProcessor implements SpanProcessor {
  private readonly next: readonly SpanProcessor[];
  private readonly sanitizer: SpanRedactor;
  /**
   * Where this processor keeps a span's state: a property under a symbol of its own on the span
   * object (invisible to `Object.keys`, JSON and exporters), cheaper than a `WeakMap` entry per span.
   */
  private readonly stateKey: symbol = Symbol('otel-privacy.span-state');
  private readonly policy: Policy;
  /** The trace settings the limiter was built for; the limiter is rebuilt when a hot reload changes the rate. */
  private traces: CompiledTraceSettings;
  private limiter: RateLimiter | undefined;
  /** The opted-out traces of this process under the policy (`consent`), shared with its log and metric processors. */
  private readonly consentTraces: TraceDecisions;

  constructor(options: PrivacySpanProcessorOptions) {
    if (!options?.policy)
      throw new TypeError('PrivacySpanProcessor: options.policy is required (loadPolicy/definePolicy/defaultPolicy)');
    if (!options.next)
      throw new TypeError(
        'PrivacySpanProcessor: options.next is required (the SpanProcessor to hand sanitized spans to)',
      );
    this.policy = options.policy;
    this.next = Array.isArray(options.next) ? [...options.next] : [options.next as SpanProcessor];
    this.sanitizer = new SpanRedactor(options.policy);
    this.consentTraces = consentTraces(options.policy);
    this.traces = options.policy.compiled.traces;
    this.limiter = this.traces.maxPerSecond !== undefined ? new RateLimiter(this.traces.maxPerSecond) : undefined;
  }

  onStart(span: Span, parentContext: Context): void {
    try {
      // string values the SDK cut at its length limit: their last word masked before anything reads them
      const cut = cutSettings(this.policy, span);
      if (cut !== undefined) maskCutSpanInPlace(span, cut, this.policy.counters.cutValues);
      const gate = this.policy.compiled.consent;
      // `userGroups`: the stricter of the span's group and its trace's (NO_GROUP without user groups)
      const rank = this.sanitizer.rankAtStart(span, parentContext);
      // raw initial attributes (before sanitizing), the parent context, and earlier spans of the trace; the rules of
      // the span's user group decide which keys are identifying
      if (gate !== undefined)
        consentAtStart(span, parentContext, gate, this.sanitizer.compiledOf(rank), this.consentTraces);
      this.setState(span, this.sanitizer.sanitizeAtStart(span, rank));
    } catch (err) {
      this.fail(span, err);
    }
    for (const p of this.next) p.onStart(span, parentContext);
  }

  onEnding(span: Span): void {
    const st = this.getState(span);
    if (st === FAILED || st === SANITIZED || st === RATE_LIMITED || st === CONSENT_DROPPED) return;
    try {
      const cut = cutSettings(this.policy, span);
      if (cut !== undefined) maskCutSpanInPlace(span, cut, this.policy.counters.cutValues, st?.clean);
      const rank = this.sanitizer.rankAtEnd(span, st);
      const consent = this.consentAtEnd(span, rank, st);
      if (consent !== undefined && consent !== 'drop')
        premaskSpanInPlace(span, consent, this.sanitizer.compiledOf(rank));
      if (consent === undefined) {
        const links = this.consentLinks(span);
        if (links !== undefined) writableSpan(span).links = links;
      }
      this.sanitizer.sanitizeInPlace(span, st, rank);
      if (consent === 'drop') {
        this.policy.counters.consentSuppressed.traces++;
        this.setState(span, CONSENT_DROPPED);
        return;
      }
      if (consent !== undefined) minimizeSpanInPlace(span, consent);
    } catch (err) {
      this.fail(span, err);
      return;
    }
    if (!this.admit(span)) {
      this.setState(span, RATE_LIMITED);
      return;
    }
    this.setState(span, SANITIZED);
    for (const p of this.next) p.onEnding?.(span);
  }

  onEnd(span: ReadableSpan): void {
    const st = this.getState(span);
    if (st !== undefined) this.setState(span, undefined); // not `delete`: that would slow the span object down
    if (st === FAILED || st === RATE_LIMITED || st === CONSENT_DROPPED) return;
    let clean: ReadableSpan = span;
    if (st !== SANITIZED) {
      try {
        const rank = this.sanitizer.rankAtEnd(span, st);
        const consent = this.consentAtEnd(span, rank, st);
        if (consent === 'drop') {
          this.policy.counters.consentSuppressed.traces++;
          return;
        }
        let input: ReadableSpan = span;
        if (consent !== undefined) input = premaskedSpanCopy(span, consent, this.sanitizer.compiledOf(rank));
        else {
          const links = this.consentLinks(span);
          if (links !== undefined) input = spanCopyWithLinks(span, links);
        }
        // string values the SDK cut at its length limit: their last word masked before the sanitizers read them
        const cut = cutSettings(this.policy, span);
        if (cut !== undefined) input = maskedCutSpanCopy(input, cut, this.policy.counters.cutValues, st?.clean);
        clean = this.sanitizer.sanitizedCopy(input, st, rank);
        if (consent !== undefined) clean = minimizedSpanCopy(clean, consent);
      } catch (err) {
        this.policy.counters.recordFailure('traces', 'a span was dropped', err);
        return;
      }
      if (!this.admit(clean)) return;
    }
    let snapshot: SpanSnapshot;
    try {
      snapshot = new SpanSnapshot(clean);
    } catch (err) {
      this.policy.counters.recordFailure('traces', 'a span was dropped', err);
      return;
    }
    for (const p of this.next) p.onEnd(snapshot);
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.next.map((p) => p.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.next.map((p) => p.shutdown()));
  }

  /**
   * The processor-level rate limit (`traces.sampling.maxPerSecond`, `keepErrors` of the compiled policy in effect):
   * false (and counted) when the span is over the rate.
   */
  private admit(span: ReadableSpan): boolean {
    const traces = this.policy.compiled.traces;
    if (traces !== this.traces) {
      // A hot reload: a new rate gets a new (full) bucket; the same rate keeps the bucket it has.
      if (traces.maxPerSecond !== this.traces.maxPerSecond)
        this.limiter = traces.maxPerSecond !== undefined ? new RateLimiter(traces.maxPerSecond) : undefined;
      this.traces = traces;
    }
    if (
      this.limiter === undefined ||
      (traces.keepErrors && span.status.code === SpanStatusCode.ERROR) ||
      this.limiter.tryAcquire()
    )
      return true;
    this.policy.counters.dropped.traces.rateLimited++;
    return false;
  }

  /**
   * The consent decision at the span's end: its final attributes (raw where set after start, pseudonyms where the
   * start pass hashed them) and its initial attributes as the application gave them (`start.raw`) can opt its trace
   * out; `undefined` when the trace is not opted out. The raw start values matter after a hot reload that changed the
   * HMAC key: a start-pass pseudonym under the old key never matches a filter built with the new one. For `minimize`,
   * the subject's identifier values (raw, before the end pass) are gathered and shared with the trace's later items;
   * the rules of the span's user group (`rank`) decide which keys are identifying.
   */
  private consentAtEnd(
    span: ReadableSpan,
    rank: number,
    st: StartPass | undefined,
  ): 'drop' | SpanMinimization | undefined {
    const gate = this.policy.compiled.consent;
    if (gate === undefined) return undefined;
    const traceId = span.spanContext().traceId;
    const traces = this.consentTraces;
    const rawStart = st?.raw;
    if (!traces.optedOut(traceId)) {
      if (!gate.spanOptedOut(span) && !gate.attributesOptedOut(rawStart)) return undefined;
      traces.optOut(traceId);
    }
    if (gate.action === 'drop') return 'drop';
    const rules = this.sanitizer.compiledOf(rank).sanitizer('traces', span.instrumentationScope?.name).rules;
    const values = spanIdentifierValues(span, gate, rules, traces.values(traceId), rawStart);
    // Not minimized with certainty (a value nested deeper than the engine keeps, or more identifier values than a mask
    // covers): dropped whole rather than minimized (fail closed).
    if (values === undefined) return 'drop';
    traces.optOut(traceId, values);
    return { gate, rules, mask: SubjectMask.of(values) };
  }

  /**
   * For a span whose trace is not opted out: its links without those into an opted-out subject's trace (`drop`,
   * counted in `policy.counters.consentLinksRemoved`) or with those minimized (`minimize`); `undefined` when they
   * stay as they are.
   */
  private consentLinks(span: ReadableSpan): Link[] | undefined {
    const gate = this.policy.compiled.consent;
    if (gate === undefined || span.links.length === 0) return undefined;
    const rules = this.policy.compiled.sanitizer('traces', span.instrumentationScope?.name).rules;
    const { links, removed } = consentLinks(span.links, gate, rules, this.consentTraces);
    this.policy.counters.consentLinksRemoved += removed;
    return links === span.links ? undefined : [...links];
  }

  private getState(span: ReadableSpan): SpanState | undefined {
    return (span as unknown as Record<symbol, SpanState | undefined>)[this.stateKey];
  }

  private setState(span: ReadableSpan, state: SpanState | undefined): void {
    (span as unknown as Record<symbol, SpanState | undefined>)[this.stateKey] = state;
  }

  private fail(span: Span, err: unknown): void {
    this.setState(span, FAILED);
    try {
      this.sanitizer.wipe(span);
    } catch {
      // nothing more can be done; the span is still never forwarded at its end
    }
    this.policy.counters.recordFailure('traces', 'a span was dropped', err);
  }
}
