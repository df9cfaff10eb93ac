import fc from 'fast-check';
import { expect, it } from 'vitest';
import { makePolicy, metricOf, pipeline } from './metric-test-kit';

// Under `values.action: drop`, a metric description in which the value scanner finds personal data is removed: the
// metric is exported (its name and points are not the finding) with an empty description, nothing else in its place.
// Real MeterProvider and PrivacyMetricReader; fake canaries inside generated prose.
const { meter, collect } = pipeline(makePolicy({ values: { detectors: 'all', action: 'drop' } }));

const canary = fc.constantFrom('jane.doe@example.com', '4111 1111 1111 1111', '+1 202 555 0143');
const words = fc.array(fc.stringMatching(/^[a-z]{2,9}$/), { maxLength: 4 }).map((w) => w.join(' '));

it('exports a metric whose description holds a finding with an empty description', async () => {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(words, canary, words, async (before, secret, after) => {
      const name = `fake.requests.${n++}`;
      meter()
        .createCounter(name, { description: `${before} ${secret} ${after}`.trim() })
        .add(1);
      const metric = metricOf(await collect(), name);
      expect(metric?.descriptor.description).toBe('');
    }),
    { numRuns: 30 },
  );
});
