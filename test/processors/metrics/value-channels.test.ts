import { resourceFromAttributes } from '@opentelemetry/resources';
import { describe, expect, it } from 'vitest';
import { privacyViews } from '../../../index';
import { makePolicy, metricOf, pipeline, series } from './metric-test-kit';

const EMAIL = 'jane.doe@example.com';
const CARD = 4111111111111111;

describe('metric points: keys, numbers and split arrays are scanned (views and exporter)', () => {
  const policy = () => makePolicy({ metrics: { attributes: { allow: ['fake.*'] } }, values: {} });

  it('through the privacy reader/exporter: a key with a finding is dropped and counted, a card number masked', async () => {
    const p = policy();
    const { meter, collect } = pipeline(p);
    meter()
      .createCounter('orders')
      .add(1, {
        [`fake.${EMAIL}`]: 'x',
        'fake.tier': 'gold',
        'fake.card': CARD,
        'fake.parts': ['jane.doe@', 'example.com'],
      });
    const rm = await collect();
    expect(series(metricOf(rm, 'orders'))).toEqual([
      {
        attributes: { 'fake.tier': 'gold', 'fake.card': '[REDACTED:payment-card]', 'fake.parts': ['[REDACTED:email]'] },
        value: 1,
      },
    ]);
    expect(JSON.stringify(rm.scopeMetrics)).not.toMatch(/jane|4111111111111111/);
    expect(p.counters.findings).toMatchObject({ email: 2, 'payment-card': 1 });
  });

  it('through privacyViews (the attributes processor) the same', async () => {
    const p = policy();
    const { meter, collect } = pipeline(p, { views: privacyViews(p) });
    meter()
      .createCounter('orders')
      .add(1, { [`fake.${EMAIL}`]: 'x', 'fake.card': CARD });
    const rm = await collect();
    expect(series(metricOf(rm, 'orders'))).toEqual([
      { attributes: { 'fake.card': '[REDACTED:payment-card]' }, value: 1 },
    ]);
  });

  it('resource attributes: a key with a finding and a card number are not exported', async () => {
    const p = makePolicy({ resource: { allow: ['service.*', 'fake.*'] }, values: {} });
    const { meter, collect } = pipeline(p, {
      resource: resourceFromAttributes({ 'service.name': 'shop', [`fake.${EMAIL}`]: 'x', 'fake.n': CARD }),
    });
    meter().createCounter('c').add(1);
    const rm = await collect();
    expect(rm.resource.attributes['service.name']).toBe('shop');
    expect(rm.resource.attributes['fake.n']).toBe('[REDACTED:payment-card]');
    expect(JSON.stringify(rm.resource.attributes)).not.toMatch(/jane|4111111111111111/);
  });
});
