import { privacyDiag } from '../engine/diagnostic-text';
import { propagation, trace } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { withTraceState } from '../engine/trace-state';
import type { Policy } from '../policy/policy';
import { loadOptionalModule } from './optional-module';
import type { Environment } from './register-environment';

/** Options of {@link PrivacyPropagator}. */
export interface PrivacyPropagatorOptions {
  /** The compiled policy whose `propagation` section and `traces.traceState` apply. */
  readonly policy: Policy;
  /**
   * The propagator(s) to wrap (e.g. a `CompositePropagator`). Default: the W3C trace-context and baggage
   * propagators, as the OpenTelemetry SDK uses them when `OTEL_PROPAGATORS` is not set.
   */
  readonly propagator?: TextMapPropagator;
}

/** The W3C trace-context and baggage propagators together (the SDK's default). */
export function w3cPropagators(): TextMapPropagator {
  return new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });
}

/**
 * A `TextMapPropagator` that keeps personal data out of propagation headers. It wraps other propagators (by default
 * the W3C trace-context and baggage propagators) and applies the policy on both sides:
 *
 * - **inject** (outgoing requests): the wrapped propagators see a context whose baggage holds only what
 *   `propagation.baggage` keeps (allowed keys with values the scanner finds nothing in, hashed keys as keyed
 *   pseudonyms, nothing else) and whose span context's trace state holds only the members `traces.traceState` keeps;
 * - **extract** (incoming requests): the same filters are applied to what the wrapped propagators extracted, so the
 *   application, the sampler and every span see filtered baggage and trace state.
 *
 * Filtering works on the context, not on header text, so it applies to every wrapped propagator alike (B3 carries
 * neither baggage nor trace state; any propagator that writes baggage reads it from the context). The application's
 * own contexts are never changed: inject hands the wrapped propagators a derived context. The policy is looked up on
 * every call, so a hot reload applies at once; the filters themselves are compiled once per policy and cache their
 * decisions. The register hook and `withPrivacy` install it as the global propagator.
 */
export class PrivacyPropagator implements TextMapPropagator {
  private readonly policy: Policy;
  private readonly inner: TextMapPropagator;

  constructor(options: PrivacyPropagatorOptions) {
    if (!options?.policy)
      throw new TypeError('PrivacyPropagator: options.policy is required (loadPolicy/definePolicy/defaultPolicy)');
    this.policy = options.policy;
    this.inner = options.propagator ?? w3cPropagators();
  }

  /** The wrapped propagator. */
  get propagator(): TextMapPropagator {
    return this.inner;
  }

  /** Injects the filtered baggage and trace state of `context` through the wrapped propagators. */
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    this.inner.inject(this.filtered(context, undefined), carrier, setter);
  }

  /** Extracts through the wrapped propagators and filters the baggage and trace state they extracted. */
  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    return this.filtered(this.inner.extract(context, carrier, getter), context);
  }

  /** The header names of the wrapped propagators. */
  fields(): string[] {
    return this.inner.fields();
  }

  /** `context` with filtered baggage and trace state (only what differs from `before`, when given). */
  private filtered(context: Context, before: Context | undefined): Context {
    let out = context;
    const span = trace.getSpan(context);
    if (span !== undefined && (before === undefined || span !== trace.getSpan(before))) {
      const sc = span.spanContext();
      if (sc.traceState !== undefined) {
        const ts = this.policy.traceStateFilter.filterTraceState(sc.traceState);
        if (ts !== sc.traceState) out = trace.setSpanContext(out, withTraceState(sc, ts));
      }
    }
    const baggage = propagation.getBaggage(context);
    if (baggage !== undefined && (before === undefined || baggage !== propagation.getBaggage(before))) {
      const b = this.policy.baggageFilter.filter(baggage);
      if (b !== baggage) out = b === undefined ? propagation.deleteBaggage(out) : propagation.setBaggage(out, b);
    }
    return out;
  }
}

/** `OTEL_PROPAGATORS` names this package builds (the same set as `@opentelemetry/sdk-node`), plus `none`. */
export const SUPPORTED_PROPAGATORS = ['tracecontext', 'baggage', 'b3', 'b3multi', 'none'] as const;

interface B3Module {
  B3Propagator: new (config?: { injectEncoding?: number }) => TextMapPropagator;
  B3InjectEncoding: { MULTI_HEADER: number };
}

/**
 * The propagators `OTEL_PROPAGATORS` names (comma separated; default `tracecontext,baggage`), to be wrapped in a
 * {@link PrivacyPropagator}; `null` when it says `none` (nothing is propagated). `b3` and `b3multi` need
 * `@opentelemetry/propagator-b3` (a dependency of `@opentelemetry/sdk-node`). Unknown or unavailable names are
 * reported through `notice` and skipped, as the SDK does.
 */
export function propagatorFromEnvironment(
  env: Environment = process.env,
  cwd: string = process.cwd(),
  notice: (line: string) => void = (line) => privacyDiag.warn(`otel-privacy: ${line}`),
): TextMapPropagator | null {
  const names = [
    ...new Set(
      (env.OTEL_PROPAGATORS ?? '')
        .split(',')
        .map((n) => n.trim().toLowerCase())
        .filter((n) => n.length > 0),
    ),
  ];
  if (names.length === 0) return w3cPropagators();
  if (names.includes('none')) return null;
  const out: TextMapPropagator[] = [];
  let b3: B3Module | undefined;
  for (const name of names) {
    if (name === 'tracecontext') out.push(new W3CTraceContextPropagator());
    else if (name === 'baggage') out.push(new W3CBaggagePropagator());
    else if (name === 'b3' || name === 'b3multi') {
      b3 ??= loadOptionalModule<B3Module>('@opentelemetry/propagator-b3', cwd);
      if (b3 === undefined) {
        notice(`OTEL_PROPAGATORS: "${name}" needs @opentelemetry/propagator-b3 (not installed); skipped`);
        continue;
      }
      out.push(
        name === 'b3'
          ? new b3.B3Propagator()
          : new b3.B3Propagator({ injectEncoding: b3.B3InjectEncoding.MULTI_HEADER }),
      );
    } else
      notice(
        `OTEL_PROPAGATORS: unsupported propagator "${name}" (supported: ${SUPPORTED_PROPAGATORS.join(', ')}); skipped`,
      );
  }
  if (out.length === 0) return null;
  return out.length === 1 ? out[0] : new CompositePropagator({ propagators: out });
}
