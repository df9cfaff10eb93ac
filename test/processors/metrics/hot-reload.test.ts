import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { privacyViews } from '../../../processors/metrics/privacy-views';
import { makePolicy, metricOf, pipeline, series } from './metric-test-kit';

describe('metrics and Policy.replaceWith (hot reload)', () => {
  it('views and the exporter apply the new rules from the next measurement / export (nothing holds a sanitizer)', async () => {
    const policy = makePolicy();
    const { meter, collect, provider } = pipeline(policy, {
      temporality: AggregationTemporality.DELTA,
      views: privacyViews(policy),
    });
    const c = meter().createCounter('fake.n');
    c.add(1, { 'http.route': '/a', 'fake.plan': 'pro' });
    expect(series(metricOf(await collect(), 'fake.n'))).toEqual([{ attributes: { 'http.route': '/a' }, value: 1 }]);
    policy.replaceWith(makePolicy({ attributes: { allow: ['fake.plan'] } }));
    c.add(2, { 'http.route': '/a', 'fake.plan': 'pro' });
    expect(series(metricOf(await collect(), 'fake.n'))).toEqual([{ attributes: { 'fake.plan': 'pro' }, value: 2 }]);
    await provider.shutdown();
  });

  it('cumulative series recorded under the old rules are sanitized again at export under the new ones', async () => {
    const policy = makePolicy({ attributes: { allow: ['http.route', 'fake.plan'], hash: ['user.id'] } });
    const { meter, collect, provider } = pipeline(policy, {
      temporality: AggregationTemporality.CUMULATIVE,
      views: privacyViews(policy),
    });
    meter().createCounter('fake.n').add(1, { 'http.route': '/a', 'fake.plan': 'pro' });
    expect(series(metricOf(await collect(), 'fake.n'))).toEqual([
      { attributes: { 'http.route': '/a', 'fake.plan': 'pro' }, value: 1 },
    ]);
    policy.replaceWith(makePolicy());
    expect(series(metricOf(await collect(), 'fake.n'))).toEqual([{ attributes: { 'http.route': '/a' }, value: 1 }]);
    await provider.shutdown();
  });
});
