import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { sanitizeResource } from '../../../processors/resource/sanitize-resource';
import { privacyViews } from '../../../processors/metrics/privacy-views';
import { makePolicy, pseudonym, rawResource } from './metric-test-kit';

/** Prometheus label names: the exporter replaces characters outside [a-zA-Z0-9_] with `_`. */
const label = (key: string) => key.replace(/[^a-zA-Z0-9_]/g, '_');

describe('Prometheus (pull reader) with privacyViews', () => {
  it('a scrape over HTTP shows no disallowed label, no raw hashed value, and a sanitized target_info', async () => {
    const policy = makePolicy();
    const prometheus = new PrometheusExporter({ preventServerStart: true });
    // Pull readers cannot be wrapped: the policy acts before aggregation (views) and on the provider's resource.
    const provider = new MeterProvider({
      resource: sanitizeResource(policy, rawResource()),
      views: privacyViews(policy),
      readers: [prometheus],
    });
    const meter = provider.getMeter('fake-shop');
    const requests = meter.createCounter('fake_requests');
    const latency = meter.createHistogram('fake_latency');
    for (const [i, user] of ['fake-user-1', 'fake-user-2', 'fake-user-1'].entries()) {
      const attrs = {
        'http.route': '/cart',
        'user.id': user,
        'user.email': `${user}@example.com`,
        'db.password': 'hunter2',
        'fake.tier': 'gold',
        'app.session': `fake-session-${i}`,
      };
      requests.add(1, attrs);
      latency.record(10 * (i + 1), attrs);
    }
    const server = createServer((req, res) => prometheus.getMetricsRequestHandler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.status).toBe(200);
      const text = await response.text();
      // The series are there, keyed by allowed labels and pseudonyms.
      expect(text).toContain(
        `fake_requests_total{http_route="/cart",user_id="${pseudonym('fake-user-1')}",fake_tier="gold",otel_scope_name="fake-shop"} 2`,
      );
      expect(text).toContain(
        `fake_requests_total{http_route="/cart",user_id="${pseudonym('fake-user-2')}",fake_tier="gold",otel_scope_name="fake-shop"} 1`,
      );
      expect(text).toMatch(/fake_latency_count\{[^}]*user_id="k1:[^"]+"[^}]*\} 2/);
      // No disallowed label anywhere, no raw value of a hashed or dropped key.
      const labels = new Set([...text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)].map((m) => m[1]));
      for (const key of ['user.email', 'db.password', 'app.session', 'host.name', 'fake.owner.email'])
        expect(labels.has(label(key))).toBe(false);
      expect(text).not.toMatch(/fake-user-|example\.com|hunter2|fake-session|fake-host/);
      // target_info is the sanitized resource: service.name and the policy hash only.
      const targetInfo = text.split('\n').find((l) => l.startsWith('target_info{'));
      expect(targetInfo).toBe(`target_info{service_name="fake-shop",privacy_policy_hash="${policy.hash}"} 1`);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await provider.shutdown();
    }
  });
});
