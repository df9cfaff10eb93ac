import { createHmac } from 'node:crypto';
import type { Attributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  AggregationType,
  InMemoryMetricExporter,
  InstrumentType,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import type {
  AggregationOption,
  DataPoint,
  MetricData,
  ResourceMetrics,
  ViewOptions,
} from '@opentelemetry/sdk-metrics';
import { definePolicy } from '../../../index';
import type { Policy } from '../../../index';
import { PrivacyMetricReader } from '../../../processors/metrics/privacy-metric-reader';

/** Test-only HMAC key (fake). */
export const TEST_KEY = 'fake-hmac-key-M-for-tests-0123456789abcdef';
/** The env variable the test policies read the key from. */
export const KEY_ENV = 'TEST_METRIC_EXPORT_HMAC';

/** What `hash` writes for `value` under `TEST_KEY`. */
export const pseudonym = (value: string): string =>
  `k1:${createHmac('sha256', TEST_KEY).update(value).digest().subarray(0, 16).toString('base64url')}`;

type Doc = Parameters<typeof definePolicy>[0];

/** A policy with a fake key: `http.route` allowed, `user.id` hashed, passwords dropped, `fake.tier` allowed for metrics; everything else dropped. */
export function makePolicy(extra: Partial<Doc> = {}): Policy {
  process.env[KEY_ENV] = TEST_KEY;
  return definePolicy({
    version: 1,
    keys: { hmac: { id: 'k1', env: KEY_ENV } },
    attributes: { allow: ['http.route'], hash: ['user.id'], drop: ['*password*'] },
    metrics: { attributes: { allow: ['fake.tier'] } },
    resource: { allow: ['service.name'] },
    ...extra,
  });
}

/** A raw resource with things the resource rules must remove. */
export const rawResource = (): Resource =>
  resourceFromAttributes({
    'service.name': 'fake-shop',
    'host.name': 'fake-host-01',
    'fake.owner.email': 'owner.fake@example.com',
  });

/** The SDK's in-memory exporter, optionally asking for exponential histograms through `selectAggregation`. */
export class TestMetricExporter extends InMemoryMetricExporter {
  constructor(
    temporality: AggregationTemporality,
    private readonly exponential = false,
  ) {
    super(temporality);
  }

  selectAggregation(type: InstrumentType): AggregationOption {
    return this.exponential && type === InstrumentType.HISTOGRAM
      ? { type: AggregationType.EXPONENTIAL_HISTOGRAM }
      : { type: AggregationType.DEFAULT };
  }
}

/** A real MeterProvider → PrivacyMetricReader → PrivacyMetricExporter → in-memory exporter; `collect()` exports now. */
export function pipeline(
  policy: Policy,
  options: {
    temporality?: AggregationTemporality;
    exponential?: boolean;
    views?: ViewOptions[];
    resource?: Resource;
  } = {},
) {
  const inner = new TestMetricExporter(options.temporality ?? AggregationTemporality.CUMULATIVE, options.exponential);
  const reader = new PrivacyMetricReader({ policy, exporter: inner, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({
    resource: options.resource ?? rawResource(),
    views: options.views ?? [],
    readers: [reader],
  });
  /** Exports now; what the inner exporter received (empty when the reader had nothing to export). */
  const collect = async (): Promise<ResourceMetrics> => {
    const before = inner.getMetrics().length;
    await reader.forceFlush();
    const all = inner.getMetrics();
    return all.length > before
      ? all[all.length - 1]!
      : { resource: options.resource ?? rawResource(), scopeMetrics: [] };
  };
  return { inner, reader, provider, collect, meter: (name = 'fake-shop') => provider.getMeter(name) };
}

/** The metric named `name` in meter `scope` of an export. */
export function metricOf(rm: ResourceMetrics, name: string, scope?: string): MetricData | undefined {
  return rm.scopeMetrics
    .filter((s) => scope === undefined || s.scope.name === scope)
    .flatMap((s) => s.metrics)
    .find((m) => m.descriptor.name === name);
}

/** The points of a metric sorted by attributes. */
export function pointsOf<T = unknown>(m: MetricData | undefined): DataPoint<T>[] {
  return ((m?.dataPoints ?? []) as DataPoint<T>[])
    .slice()
    .sort((a, b) => JSON.stringify(a.attributes).localeCompare(JSON.stringify(b.attributes)));
}

/** `{ attributes, value }` of every point, sorted by attributes. */
export function series(m: MetricData | undefined): { attributes: Attributes; value: unknown }[] {
  return pointsOf(m).map((p) => ({ attributes: p.attributes, value: p.value }));
}

/** A plain pull reader (`collect()`): the points as the SDK made them, before any privacy processing. */
export class RawMetricReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}
