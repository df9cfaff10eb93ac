/**
 * False positives of the metric number checks on generated realistic metric values: how many ordinary points an
 * exporter would drop (`identifierValueKind`) and how many numbers it would round because their significant digits
 * spell a card or phone number (`identifierDigitsRounded`), with the largest relative change rounding made. Deterministic (seeded).
 * Run: `npx tsx bench/tools/metric-scaled-fp.ts [n]` (default 10^6 values per kind).
 */
import {
  identifierDigitsRounded,
  identifierValueKind,
  metricValueGuard,
} from '../../processors/metrics/metric-value-guard';

const n = Number(process.argv[2] ?? 1_000_000);
let seed = 20261206;
/** A small deterministic PRNG (mulberry32), so the figures are reproducible. */
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (max: number) => Math.floor(random() * max);
/** A log-uniform draw between 10^a and 10^b. */
const logUniform = (a: number, b: number) => 10 ** (a + random() * (b - a));

/** hrtime-based latency in ms (nanosecond resolution), as `hrTimeToMilliseconds` gives it. */
const hrMillis = () => {
  const ns = Math.round(logUniform(4, 11));
  return Math.floor(ns / 1e9) * 1e3 + (ns % 1e9) / 1e6;
};
const generators: Record<string, { unit: string; name: string; value: () => number }> = {
  'latency ms (hrtime)': { unit: 'ms', name: 'http.server.duration', value: hrMillis },
  'latency s (hrtime / 1000)': { unit: 's', name: 'http.server.request.duration', value: () => hrMillis() / 1000 },
  'latency ms, no unit (performance.now diff)': {
    unit: '',
    name: 'app.op.time',
    value: () => {
      const start = logUniform(3, 7);
      return start + logUniform(-1, 4) - start;
    },
  },
  'latency sum of 100 (no unit)': {
    unit: '',
    name: 'app.op.total',
    value: () => {
      let s = 0;
      for (let i = 0; i < 100; i++) s += hrMillis();
      return s;
    },
  },
  'bytes (integers, no unit)': { unit: '', name: 'app.payload', value: () => Math.round(logUniform(0, 12)) },
  'counts (integers)': { unit: '{request}', name: 'app.requests', value: () => int(1e9) },
  'ratio a/b of integers (unit 1)': {
    unit: '1',
    name: 'app.cache.hit_ratio',
    value: () => {
      const b = 1 + int(1e7);
      return int(b + 1) / b;
    },
  },
  'ratio of doubles (unit 1, e.g. utilization)': {
    unit: '1',
    name: 'system.cpu.utilization',
    value: () => hrMillis() / (hrMillis() + hrMillis()),
  },
  'Math.random() (no unit)': { unit: '', name: 'app.sample', value: random },
  'rate bytes/s (no unit)': {
    unit: '',
    name: 'app.throughput',
    value: () => Math.round(logUniform(2, 9)) / hrMillis(),
  },
  'phone instrument: durations, no unit': { unit: '', name: 'app.phone.call.time', value: hrMillis },
  'phone instrument: ratio of doubles': { unit: '1', name: 'sms.delivery.ratio', value: () => random() },
  'money amounts (2 decimals)': { unit: 'USD', name: 'app.order.amount', value: () => int(1e9) / 100 },
};

console.log(`| values (${n.toLocaleString('en')} each) | unit | dropped | rounded | largest relative change |`);
console.log('|---|---|---:|---:|---:|');
for (const [label, g] of Object.entries(generators)) {
  const guard = metricValueGuard({ name: g.name, description: '', unit: g.unit, valueType: 1, type: 'GAUGE' } as never);
  let dropped = 0;
  let rounded = 0;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const v = g.value();
    if (guard === undefined) continue;
    if (identifierValueKind(guard, v) !== undefined) dropped++;
    const r = identifierDigitsRounded(guard, v);
    if (r !== v) {
      rounded++;
      worst = Math.max(worst, Math.abs(r - v) / Math.abs(v));
    }
  }
  const pct = (k: number) => `${k} (${((100 * k) / n).toFixed(3)} %)`;
  console.log(`| ${label} | \`${g.unit}\` | ${pct(dropped)} | ${pct(rounded)} | ${worst.toExponential(1)} |`);
}
