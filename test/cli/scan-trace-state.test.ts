import { describe, expect, it } from 'vitest';
import { OtlpJsonRedactor } from '../../cli/otlp-json-redactor';
import { ScanReport } from '../../cli/scan-report';
import { definePolicy } from '../../policy/load-policy';

// `otel-privacy scan` filters span and link trace states with the span processor's own code (traces.traceState).

const FAKE_EMAIL = 'jane.doe@example.com';

function scan(request: Record<string, unknown>, doc: object = {}): Record<string, unknown> {
  const policy = definePolicy({ version: 1, values: { detectors: 'all' }, ...doc });
  new OtlpJsonRedactor(policy, new ScanReport(policy)).sanitize(request);
  return request;
}

const request = (span: Record<string, unknown>) => ({
  resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 's' }, spans: [span] }] }],
});
const spanOf = (r: Record<string, unknown>) =>
  (r as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] }).resourceSpans[0].scopeSpans[0]
    .spans[0];

describe('otel-privacy scan: trace_state', () => {
  it('keeps only allowed members of span and link trace states', () => {
    const out = spanOf(
      scan(
        request({
          traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
          spanId: '00f067aa0ba902b7',
          name: 'op',
          traceState: `user=${FAKE_EMAIL},ot=th:c,dd=s:1`,
          links: [
            { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceState: `dd=s:1,ot=th:8` },
            { traceId: 'a'.repeat(32), spanId: 'c'.repeat(16), trace_state: `u=${FAKE_EMAIL}` },
            { traceId: 'a'.repeat(32), spanId: 'd'.repeat(16) },
          ],
        }),
      ),
    );
    expect(out.traceState).toBe('ot=th:c');
    const links = out.links as Record<string, unknown>[];
    expect(links[0].traceState).toBe('ot=th:8');
    expect(links[1]).not.toHaveProperty('traceState');
    expect(links[1]).not.toHaveProperty('trace_state');
    expect(links[2]).toEqual({ traceId: 'a'.repeat(32), spanId: 'd'.repeat(16) });
    expect(JSON.stringify(out)).not.toContain(FAKE_EMAIL);
  });

  it('follows traces.traceState, scans allowed values, and drops a trace state that is not a string', () => {
    const allowed = spanOf(
      scan(request({ name: 'op', traceState: `dd=s:1,u=mail ${FAKE_EMAIL}` }), {
        traces: { traceState: { allow: ['dd', 'u'] } },
      }),
    );
    expect(allowed.traceState).toBe('dd=s:1');
    const odd = spanOf(scan(request({ name: 'op', traceState: { ot: FAKE_EMAIL } })));
    expect(odd).not.toHaveProperty('traceState');
  });
});
