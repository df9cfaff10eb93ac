// Hot-path cost of the minimization and alarm controls (not a scenario of `npm run bench`), A/B in one process,
// interleaved: the same attribute maps sanitized by the engine (`policy.sanitizer('traces').sanitize`) under a policy
// without and with the control. Inputs are fresh strings every round (nothing cached by the scanner's clean cache).
// Each round runs every variant once in a rotating order; the table gives the median ns per attribute map and the
// median per-round ratio to the baseline with its spread (middle 80 %), plus an A/A control row. CPU time of this
// process (the machine is shared).
//
//   node bench/tools/alarm-cost.mjs [--rounds 31] [--per-round 5000]
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

register();
const { definePolicy } = await import('../../index.ts');

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '31' }, 'per-round': { type: 'string', default: '5000' } },
});
const ROUNDS = Number(values.rounds);
const PER_ROUND = Number(values['per-round']);

const base = {
  version: 1,
  attributes: { allow: ['http.route', 'app.*', 'url.full', 'http.request.method'] },
  values: { detectors: 'all' },
};
const variants = {
  'baseline (values, no alarm)': definePolicy(base),
  'A/A control (same policy)': definePolicy(base),
  'alarms.leak, clean values': definePolicy({ ...base, alarms: { leak: { window: '5m' } } }),
  'values.timestamps: coarsen (no time in the map)': definePolicy({
    ...base,
    values: { ...base.values, timestamps: 'coarsen' },
  }),
  'retention: 2 rules (carries, scope), classify + sanitize': definePolicy({
    ...base,
    retention: {
      default: 'standard',
      rules: [
        { class: 'short', carries: ['generalize'] },
        { class: 'debug', scopes: ['debug.*'] },
      ],
    },
  }),
};
const withTimes = {
  'baseline, ISO string and ms number under time keys': definePolicy(base),
  'values.timestamps: coarsen, same maps': definePolicy({ ...base, values: { ...base.values, timestamps: 'coarsen' } }),
};
const withFinding = {
  'baseline, one e-mail per map': definePolicy(base),
  'alarms.leak, one e-mail per map': definePolicy({ ...base, alarms: { leak: { window: '5m' } } }),
};

let counter = 0;
const clean = () => {
  const n = counter++;
  return {
    'http.route': '/orders/:id',
    'http.request.method': 'GET',
    'url.full': `https://shop.example.test/orders/${n}?page=${n % 7}`,
    'app.plan': `plan-${n}`,
    'app.note': `delivered on tuesday, box ${n}`,
  };
};
const timed = () => ({
  ...clean(),
  'app.created_at': 1767608142123 + counter,
  'app.updated': `2026-01-05T10:15:${String(counter % 60).padStart(2, '0')}.123Z`,
});
const dirty = () => ({ ...clean(), 'app.note': `placed by fake.customer${counter}@example.test` });

function measure(group, make) {
  const names = Object.keys(group);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length];
      const policy = group[name];
      const s = policy.sanitizer('traces');
      const retention = policy.compiled.retention;
      const inputs = Array.from({ length: PER_ROUND }, make);
      const t0 = process.cpuUsage();
      if (retention)
        for (const a of inputs) {
          s.sanitize(a);
          retention.classify('traces', 'shop', a, s);
        }
      else for (const a of inputs) s.sanitize(a);
      const t = process.cpuUsage(t0);
      times[name].push(((t.user + t.system) * 1000) / PER_ROUND);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const spread = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return `${s[Math.floor(s.length * 0.1)].toFixed(2)}–${s[Math.ceil(s.length * 0.9) - 1].toFixed(2)}`;
  };
  const first = times[names[0]];
  for (const n of names) {
    const ratios = times[n].map((t, i) => t / first[i]);
    console.log(`| ${n} | ${median(times[n]).toFixed(0)} ns | ${median(ratios).toFixed(2)} (${spread(ratios)}) |`);
  }
}

console.log(
  `| variant | ns per attribute map (median of ${ROUNDS} rounds × ${PER_ROUND}) | ratio to first row (spread) |`,
);
console.log('|---|---|---|');
measure(variants, clean);
measure(withFinding, dirty);
measure(withTimes, timed);
