// print app.* metric points from decoded dumps: node metricvals.mjs DIR
import { execFileSync } from 'node:child_process';
const out = execFileSync('node', [new URL('./decode.mjs', import.meta.url).pathname, process.argv[2]], { encoding: 'utf8' });
const seen = new Set();
for (const l of out.trim().split('\n')) { const j = JSON.parse(l.slice(l.indexOf(' ') + 1));
  for (const rm of j.resourceMetrics || []) for (const sm of rm.scopeMetrics || []) for (const m of sm.metrics || []) {
    if (!m.name.startsWith('app')) continue; const d = (m.gauge || m.sum || m.histogram).dataPoints;
    const s = m.name + ' ' + JSON.stringify(d.map((p) => [p.asDouble ?? p.asInt ?? p.sum, p.attributes])); if (!seen.has(s)) { seen.add(s); console.log(s); } } }
