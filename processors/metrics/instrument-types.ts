import { InstrumentType } from '@opentelemetry/sdk-metrics';
import type { PeriodicExportingMetricReaderOptions } from '@opentelemetry/sdk-metrics';
import type { InstrumentTypeName } from '../../policy/policy-document';

/** A key of the SDK reader's `cardinalityLimits` option. */
export type CardinalityLimitKey = keyof NonNullable<PeriodicExportingMetricReaderOptions['cardinalityLimits']>;

/**
 * The instrument types a policy names (`metrics.cardinalityLimit`), each with the SDK's `InstrumentType` (for views)
 * and its key in the periodic reader's `cardinalityLimits`. Keyed by the policy document's type, so a type added to
 * the schema does not compile until it is added here.
 */
export const INSTRUMENT_TYPES: Readonly<
  Record<InstrumentTypeName, { readonly sdk: InstrumentType; readonly limitKey: CardinalityLimitKey }>
> = {
  counter: { sdk: InstrumentType.COUNTER, limitKey: 'counter' },
  'up-down-counter': { sdk: InstrumentType.UP_DOWN_COUNTER, limitKey: 'upDownCounter' },
  histogram: { sdk: InstrumentType.HISTOGRAM, limitKey: 'histogram' },
  gauge: { sdk: InstrumentType.GAUGE, limitKey: 'gauge' },
  'observable-counter': { sdk: InstrumentType.OBSERVABLE_COUNTER, limitKey: 'observableCounter' },
  'observable-up-down-counter': {
    sdk: InstrumentType.OBSERVABLE_UP_DOWN_COUNTER,
    limitKey: 'observableUpDownCounter',
  },
  'observable-gauge': { sdk: InstrumentType.OBSERVABLE_GAUGE, limitKey: 'observableGauge' },
};
