import fs from 'node:fs';
const file = process.argv[2];
const digitsSrc = ['12025550143', '4111111111111111', '123456789', '2030113007', '20301137'];
const words = [
  /jane/i,
  /j\W?a\W?n\W?e/i,
  /AKIAIOSFODNN7EXAMPLE/i,
  /IOSFODNN/i,
  /s3cr3tT0k3n/i,
  /203\.0\.113\.7\b/,
  /555.?0143/,
  /123.?45.?6789/,
];
const skipKeys = new Set([
  'traceId',
  'spanId',
  'parentSpanId',
  'timeUnixNano',
  'startTimeUnixNano',
  'endTimeUnixNano',
  'observedTimeUnixNano',
]);
function variants(s) {
  const out = [s];
  try {
    out.push(decodeURIComponent(s));
  } catch {
    // not percent-encoded
  }
  out.push(s.normalize('NFKC').replace(/[\u200b-\u200f\u2060\ufeff\u00ad]/g, ''));
  for (const m of s.match(/[A-Za-z0-9+/_-]{8,}={0,2}/g) ?? []) {
    try {
      out.push(Buffer.from(m, 'base64').toString('latin1'));
    } catch {
      // not base64
    }
  }
  for (const m of s.match(/(?:[0-9a-fA-F]{2}){4,}/g) ?? []) out.push(Buffer.from(m, 'hex').toString('latin1'));
  return out;
}
function hits(s) {
  const found = [];
  for (const v of variants(s)) {
    const digits = v.replace(/\D/g, '');
    for (const w of words) if (w.test(v)) found.push(String(w));
    for (const run of v.match(/\d{6,}/g) ?? [])
      for (const src of digitsSrc)
        for (let i = 0; i + 6 <= src.length; i++)
          if (run.includes(src.slice(i, i + 6))) found.push('digits:' + src.slice(i, i + 6));
    for (const src of digitsSrc) if (digits.includes(src)) found.push('alldigits:' + src);
  }
  return [...new Set(found)];
}
const report = [];
function walk(o, path, ctx) {
  if (o == null) return;
  if (typeof o === 'string' || typeof o === 'number') {
    const h = hits(String(o));
    if (h.length) report.push(`[${ctx}] ${path} = ${JSON.stringify(o).slice(0, 200)}  <= ${h.join(',')}`);
    return;
  }
  if (Array.isArray(o)) {
    if (o.length && o.every((x) => typeof x === 'number')) {
      const h = hits(o.join(''));
      if (h.length) report.push(`[${ctx}] ${path} (joined numbers) <= ${h}`);
    }
    o.forEach((x, i) => walk(x, path + '[' + i + ']', ctx));
    return;
  }
  if (typeof o === 'object') {
    if (typeof o.name === 'string' && /^v\d+/.test(o.name)) ctx = o.name;
    if (o.attributes?.some?.((a) => a.key === 'vec')) ctx = o.attributes.find((a) => a.key === 'vec').value.stringValue;
    for (const [k, v] of Object.entries(o)) {
      if (skipKeys.has(k)) continue;
      const h = hits(k);
      if (h.length) report.push(`[${ctx}] ${path}{key ${k}} <= ${h}`);
      walk(v, path + '.' + k, ctx);
    }
  }
}
for (const line of fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
  const j = JSON.parse(line);
  if (
    j.decoded?.resourceMetrics?.[0]?.scopeMetrics?.[0]?.scope?.name === 'otel-privacy' &&
    j.decoded.resourceMetrics[0].scopeMetrics.length === 1
  )
    continue;
  walk(j, '', j.signal);
}
console.log(report.length ? report.join('\n') : 'NO HITS');
