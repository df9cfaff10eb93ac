import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultPolicy, loadPolicy, privacyViews } from '../../../index';
import type { Policy } from '../../../index';
import { metricOf, pipeline, series } from './metric-test-kit';

// The runtime metrics of @opentelemetry/instrumentation-runtime-node through a real MeterProvider (privacyViews before
// aggregation, PrivacyMetricReader at export) under the default policy: series that differ only by a runtime
// attribute with no personal data (heap space, GC type, event loop state) must stay distinct.

const KEY = 'fake-hmac-key-for-runtime-metrics-0123456789';
const BEFORE = fileURLToPath(new URL('../../policy/testdata/default-policy-before-semconv.yaml', import.meta.url));

let instrumentation: RuntimeNodeInstrumentation | undefined;
beforeEach(() => {
  process.env.OTEL_PRIVACY_HMAC_KEY = KEY;
});
afterEach(() => {
  instrumentation?.disable();
  instrumentation = undefined;
  delete process.env.OTEL_PRIVACY_HMAC_KEY;
});

function runtimePipeline(policy: Policy) {
  const p = pipeline(policy, { views: privacyViews(policy) });
  instrumentation = new RuntimeNodeInstrumentation({ enabled: false, monitoringPrecision: 10 });
  instrumentation.setMeterProvider(p.provider);
  instrumentation.enable();
  return p;
}

describe('runtime metrics under the default policy', () => {
  it('keeps one v8js.memory.heap.used series per V8 heap space, named as V8 names it', async () => {
    const { collect } = runtimePipeline(defaultPolicy());
    const spaces = getHeapSpaceStatistics().map((s) => s.space_name);
    const used = series(metricOf(await collect(), 'v8js.memory.heap.used'));
    const names = used.map((s) => s.attributes['v8js.heap.space.name']);
    expect(new Set(names).size).toBe(used.length); // distinct series, none merged
    expect([...names].sort()).toEqual([...new Set(spaces)].sort());
    expect(used.length).toBeGreaterThan(3);
  });

  it('the hand-written default before the semantic-convention classification collapsed them into one point', async () => {
    const { collect } = runtimePipeline(loadPolicy(BEFORE));
    const used = series(metricOf(await collect(), 'v8js.memory.heap.used'));
    expect(used).toHaveLength(1);
    expect(used[0]!.attributes).toEqual({});
  });

  it('keeps nodejs.eventloop.state (active / idle) and v8js.gc.type (major / minor) series apart', async () => {
    const { collect } = runtimePipeline(defaultPolicy());
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (options?: { type: 'major' | 'minor' }) => void;
    let gcTypes: unknown[] = [];
    let loopStates: unknown[] = [];
    // GC entries reach the instrumentation through a PerformanceObserver, asynchronously: bounded retries.
    for (let attempt = 0; attempt < 50 && gcTypes.length < 2; attempt++) {
      let garbage: number[][] = [];
      for (let i = 0; i < 2_000; i++) garbage.push(new Array(64).fill(i));
      garbage = [];
      gc({ type: 'minor' });
      gc({ type: 'major' });
      await sleep(20);
      const rm = await collect();
      gcTypes = series(metricOf(rm, 'v8js.gc.duration')).map((s) => s.attributes['v8js.gc.type']);
      loopStates = series(metricOf(rm, 'nodejs.eventloop.time')).map((s) => s.attributes['nodejs.eventloop.state']);
      void garbage;
    }
    expect(new Set(gcTypes).size).toBe(gcTypes.length);
    expect(gcTypes).toEqual(expect.arrayContaining(['major', 'minor']));
    expect([...loopStates].sort()).toEqual(['active', 'idle']);
  });
});
