import { privacyDiag } from '../../engine/diagnostic-text';
import { printOnlySummary } from '../../engine/inspect-summary';
import type {
  Attributes,
  BatchObservableCallback,
  BatchObservableResult,
  Context,
  Counter,
  Gauge,
  Histogram,
  Meter,
  MeterOptions,
  MeterProvider,
  MetricOptions,
  Observable,
  ObservableCallback,
  ObservableCounter,
  ObservableGauge,
  ObservableResult,
  ObservableUpDownCounter,
  UpDownCounter,
} from '@opentelemetry/api';
import type { MetricDescriptor } from '@opentelemetry/sdk-metrics';
import type { Policy } from '../../policy/policy';
import { identifierValueKind, measurementValueGuard, numberChecks } from './metric-value-guard';
import type { IdentifierValueKind, MetricValueGuard } from './metric-value-guard';

/** One instrument's measurement check: its guard (`null`: a quantity, nothing is checked) and whether it warned. */
class MeasurementCheck {
  private warned = false;

  constructor(
    private readonly policy: Policy,
    private readonly name: string,
    private readonly guard: MetricValueGuard | null,
  ) {}

  /** Whether `value` may be recorded; a value that looks like an identifier is counted and never recorded. */
  allows(value: number): boolean {
    const guard = this.guard;
    if (guard === null) return true;
    let kind: IdentifierValueKind | undefined;
    if (guard.identifierInstrument) kind = 'identifier-instrument';
    else {
      // one comparison for ordinary values
      if (!(value >= guard.floor || value <= -guard.floor)) return true;
      const checks = numberChecks(this.policy.compiled.values);
      if (!checks.card && !checks.phone) return true;
      kind = identifierValueKind(guard, value, checks);
      if (kind === undefined) return true;
    }
    this.policy.counters.identifierValues++;
    if (!this.warned) {
      this.warned = true;
      const name = this.policy.scanText(this.name) ?? '[REDACTED]';
      privacyDiag.warn(
        kind === 'identifier-instrument'
          ? `otel-privacy: instrument "${name}" is named for an identifier: its measurements are not recorded (counted in otel_privacy.items.dropped{reason="identifier_value"})`
          : `otel-privacy: instrument "${name}" was given a number that looks like a ${kind} number: that measurement is not recorded (counted in otel_privacy.items.dropped{reason="identifier_value"})`,
      );
    }
    return false;
  }
}

/** The check of an instrument; `totals`: its measurements are running totals (observable counters). */
function checkOf(policy: Policy, name: string, options: MetricOptions | undefined, totals: boolean): MeasurementCheck {
  const descriptor = { name, description: options?.description ?? '', unit: options?.unit ?? '' } as MetricDescriptor;
  return new MeasurementCheck(policy, name, measurementValueGuard(descriptor, totals) ?? null);
}

/** A counter or up-down counter that adds only the measurements `check` allows. */
function checkedAdder(inner: Counter | UpDownCounter, check: MeasurementCheck): Counter & UpDownCounter {
  return {
    add: (value: number, attributes?: Attributes, context?: Context) => {
      if (check.allows(value)) inner.add(value, attributes, context);
    },
  };
}

/** A histogram or gauge that records only the measurements `check` allows. */
function checkedRecorder(inner: Histogram | Gauge, check: MeasurementCheck): Histogram & Gauge {
  return {
    record: (value: number, attributes?: Attributes, context?: Context) => {
      if (check.allows(value)) inner.record(value, attributes, context);
    },
  };
}

/** Observables of this meter and the SDK's instrument and check behind each. */
interface Wrapped {
  readonly inner: Observable;
  readonly check: MeasurementCheck;
}

/** An observable instrument whose callbacks' observations are checked before the SDK sees them. */
class CheckedObservable implements ObservableGauge, ObservableCounter, ObservableUpDownCounter {
  /** The user's callbacks and the wrappers registered with the SDK for them. */
  private readonly callbacks = new Map<ObservableCallback, ObservableCallback>();

  constructor(
    readonly inner: Observable,
    readonly check: MeasurementCheck,
  ) {}

  addCallback(callback: ObservableCallback): void {
    if (this.callbacks.has(callback)) return;
    const check = this.check;
    const wrapped: ObservableCallback = (result: ObservableResult) =>
      callback({
        observe(value: number, attributes?: Attributes) {
          if (check.allows(value)) result.observe(value, attributes);
        },
      });
    this.callbacks.set(callback, wrapped);
    this.inner.addCallback(wrapped);
  }

  removeCallback(callback: ObservableCallback): void {
    const wrapped = this.callbacks.get(callback);
    if (wrapped === undefined) return;
    this.callbacks.delete(callback);
    this.inner.removeCallback(wrapped);
  }
}

/** A meter whose instruments check every measurement before the SDK records it. */
class CheckedMeter implements Meter {
  private readonly batches = new Map<BatchObservableCallback, BatchObservableCallback>();

  constructor(
    private readonly meter: Meter,
    private readonly policy: Policy,
  ) {}

  createCounter(name: string, options?: MetricOptions): Counter {
    return checkedAdder(this.meter.createCounter(name, options), checkOf(this.policy, name, options, false));
  }

  createUpDownCounter(name: string, options?: MetricOptions): UpDownCounter {
    return checkedAdder(this.meter.createUpDownCounter(name, options), checkOf(this.policy, name, options, false));
  }

  createHistogram(name: string, options?: MetricOptions): Histogram {
    return checkedRecorder(this.meter.createHistogram(name, options), checkOf(this.policy, name, options, false));
  }

  createGauge(name: string, options?: MetricOptions): Gauge {
    return checkedRecorder(this.meter.createGauge(name, options), checkOf(this.policy, name, options, false));
  }

  createObservableGauge(name: string, options?: MetricOptions): ObservableGauge {
    return new CheckedObservable(
      this.meter.createObservableGauge(name, options),
      checkOf(this.policy, name, options, false),
    );
  }

  createObservableCounter(name: string, options?: MetricOptions): ObservableCounter {
    return new CheckedObservable(
      this.meter.createObservableCounter(name, options),
      checkOf(this.policy, name, options, true),
    );
  }

  createObservableUpDownCounter(name: string, options?: MetricOptions): ObservableUpDownCounter {
    return new CheckedObservable(
      this.meter.createObservableUpDownCounter(name, options),
      checkOf(this.policy, name, options, true),
    );
  }

  addBatchObservableCallback(callback: BatchObservableCallback, observables: Observable[]): void {
    if (this.batches.has(callback)) return;
    const wrapped: BatchObservableCallback = (result: BatchObservableResult) =>
      callback({
        observe(observable: Observable, value: number, attributes?: Attributes) {
          const own = observable instanceof CheckedObservable ? (observable as Wrapped) : undefined;
          if (own === undefined) result.observe(observable, value, attributes);
          else if (own.check.allows(value)) result.observe(own.inner, value, attributes);
        },
      });
    this.batches.set(callback, wrapped);
    this.meter.addBatchObservableCallback(wrapped, observables.map(innerOf));
  }

  removeBatchObservableCallback(callback: BatchObservableCallback, observables: Observable[]): void {
    const wrapped = this.batches.get(callback);
    if (wrapped === undefined) return;
    this.batches.delete(callback);
    this.meter.removeBatchObservableCallback(wrapped, observables.map(innerOf));
  }
}

function innerOf(observable: Observable): Observable {
  return observable instanceof CheckedObservable ? observable.inner : observable;
}

/**
 * A `MeterProvider` whose instruments check every measurement **before aggregation**, where export-time checks
 * cannot see it: a card number added to a counter that already counted (the sum is no card, but it carries one), a
 * card recorded into a histogram among other values (sum, minimum, maximum and buckets all blur it), a phone number
 * recorded under an instrument with no phone word. A measurement that looks like an identifier (see
 * `measurementValueGuard`) is not recorded: counted in `policy.counters.identifierValues`
 * (`otel_privacy.items.dropped{reason="identifier_value"}`), one warning per instrument naming it (never the value);
 * the instrument's other measurements are recorded as usual. Every meter of `provider` is wrapped (public API only:
 * works with any `MeterProvider`); register the wrapper, not `provider`, as the global one.
 */
export class PrivacyMeterProvider implements MeterProvider {
  private readonly meters = new Map<string, Meter>();

  /** `provider`: the SDK's (or any) meter provider; `policy`: the policy whose `values` settings enable the checks. */
  constructor(
    private readonly provider: MeterProvider,
    private readonly policy: Policy,
  ) {
    if (!provider || typeof provider.getMeter !== 'function')
      throw new TypeError('PrivacyMeterProvider: provider must be a MeterProvider (an object with getMeter())');
    if (!policy)
      throw new TypeError('PrivacyMeterProvider: a policy is required (loadPolicy/definePolicy/defaultPolicy)');
  }

  getMeter(name: string, version?: string, options?: MeterOptions): Meter {
    const key = `${name}\u0000${version ?? ''}\u0000${options?.schemaUrl ?? ''}`;
    let meter = this.meters.get(key);
    if (meter === undefined) {
      meter = new CheckedMeter(this.provider.getMeter(name, version, options), this.policy);
      this.meters.set(key, meter);
    }
    return meter;
  }
}

// Wraps the SDK's provider (its instruments, named as the application named them): prints nothing of it.
printOnlySummary(PrivacyMeterProvider.prototype, 'PrivacyMeterProvider', () => ({}));
