// Hot-path cost of `values.timestamps: coarsen` on text (log bodies), A/B in one process, interleaved: the same fresh
// log lines sanitized by the engine (`policy.sanitizer('logs').sanitizeValue('log.body', line)`) under a policy
// without and with the option, plus an A/A control. Three kinds of lines: without a date-time and without a `d:d`
// (the pre-filter's time bit stays clear), without a date-time but with clock-like `d:d` (`took 00:01:23`, a port),
// and with an ISO date-time and an HTTP-date. Rotating order per round; median ns per line and the median per-round
// ratio to the first row with its spread (middle 80 %). CPU time of this process (the machine is shared).
//
//   node bench/tools/time-text-cost.mjs [--rounds 21] [--per-round 4000]
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

register();
const { definePolicy } = await import('../../index.ts');

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '21' }, 'per-round': { type: 'string', default: '4000' } },
});
const ROUNDS = Number(values.rounds);
const PER_ROUND = Number(values['per-round']);

const base = { version: 1, attributes: { allow: ['log.body'] }, values: { detectors: 'all' } };
const coarsen = { ...base, values: { ...base.values, timestamps: 'coarsen', timestampPrecision: '1m' } };
const group = () => ({
  baseline: definePolicy(base),
  'A/A control': definePolicy(base),
  'values.timestamps: coarsen': definePolicy(coarsen),
});

let n = 0;
const kinds = {
  'no date-time, no d:d': () => `order ${n++} delivered to locker ${n % 97}, status ok after retry`,
  'no date-time, clock-like d:d': () =>
    `GET /orders/${n++} took 00:01:${String(n % 60).padStart(2, '0')} via host:8080`,
  'an ISO date-time and an HTTP-date': () =>
    `${new Date(1767608142123 + n++ * 1001).toISOString()} INFO order ${n} paid; ` +
    `Last-Modified: ${new Date(1767608142123 + n * 7777).toUTCString()}`,
};

function measure(make) {
  const variants = group();
  const names = Object.keys(variants);
  const times = Object.fromEntries(names.map((k) => [k, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length];
      const s = variants[name].sanitizer('logs');
      const inputs = Array.from({ length: PER_ROUND }, make);
      const t0 = process.cpuUsage();
      for (const line of inputs) s.sanitizeValue('log.body', line);
      const t = process.cpuUsage(t0);
      times[name].push(((t.user + t.system) * 1000) / PER_ROUND);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const spread = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return `${s[Math.floor(s.length * 0.1)].toFixed(2)}–${s[Math.ceil(s.length * 0.9) - 1].toFixed(2)}`;
  };
  return names.map((name) => {
    const ratios = times[name].map((t, i) => t / times[names[0]][i]);
    return `${name} | ${median(times[name]).toFixed(0)} | ${median(ratios).toFixed(2)} (${spread(ratios)})`;
  });
}

console.log(
  `| lines | variant | ns per line (median of ${ROUNDS} rounds × ${PER_ROUND}) | ratio to baseline (spread) |`,
);
console.log('|---|---|---|---|');
for (const [kind, make] of Object.entries(kinds)) for (const row of measure(make)) console.log(`| ${kind} | ${row} |`);
