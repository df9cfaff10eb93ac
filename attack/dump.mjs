import fs from 'node:fs';
const seen = new Set();
for (const l of fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean)) {
  const j = JSON.parse(l);
  const pr = (s) => {
    if (!seen.has(s)) {
      seen.add(s);
      console.log(s.slice(0, 900));
    }
  };
  if (j.signal === 'traces')
    for (const rs of j.decoded.resourceSpans) {
      pr(
        'RES ' +
          JSON.stringify(rs.resource.attributes.map((a) => a.key + '=' + JSON.stringify(a.value))) +
          ' ' +
          (rs.schemaUrl ?? ''),
      );
      for (const ss of rs.scopeSpans) {
        pr('SCOPE ' + JSON.stringify(ss.scope) + ' ' + (ss.schemaUrl ?? ''));
        for (const s of ss.spans)
          pr(JSON.stringify({ n: s.name, ts: s.traceState, a: s.attributes, e: s.events, l: s.links, st: s.status }));
      }
    }
  if (j.signal === 'logs')
    for (const rs of j.decoded.resourceLogs)
      for (const ss of rs.scopeLogs) {
        pr('SCOPE ' + JSON.stringify(ss.scope) + ' ' + (ss.schemaUrl ?? ''));
        for (const s of ss.logRecords)
          pr(JSON.stringify({ b: s.body, sev: s.severityText, ev: s.eventName, a: s.attributes }));
      }
  if (j.signal === 'metrics')
    for (const rs of j.decoded.resourceMetrics)
      for (const ss of rs.scopeMetrics) {
        if (ss.scope.name === 'otel-privacy') continue;
        pr('SCOPE ' + JSON.stringify(ss.scope) + ' ' + (ss.schemaUrl ?? ''));
        for (const s of ss.metrics) pr(JSON.stringify(s).replace(/"(start)?[tT]imeUnixNano":"\d+",?/g, ''));
      }
}
