import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { definePolicy } from '../../index';
import { buildCollectorConfig } from '../../cli/collector-config-builder';

// The gateway fragment for statement families and value exemptions (built in-process).

describe('collector-config: statements and value exemptions', () => {
  const policy = definePolicy({
    version: 1,
    attributes: { allow: ['db.*', 'app.ticket', 'app.note'] },
    values: {
      detectors: ['email'],
      allow: ['support@example.com', { pattern: '[a-z]+@corp\\.example' }],
      ignoreKeys: ['app.ticket', 'app.secret', 'app.*'],
    },
    sanitizers: { statements: { attributes: ['db.query.text'] }, spanName: true },
  });
  const config = buildCollectorConfig(policy, 'policy.yaml');
  const doc = parse(config.yaml) as { processors: Record<string, Record<string, unknown>> };
  const red = doc.processors['redaction/otel-privacy']!;

  it('enables every Collector DB obfuscator for the statement keys', () => {
    const family = { enabled: true, attributes: ['db.query.text'] };
    expect(red.db_sanitizer).toEqual({
      sql: family,
      redis: family,
      valkey: family,
      memcached: family,
      mongo: family,
      opensearch: family,
      es: family,
      sanitize_span_name: true,
    });
    expect(config.notExpressed.join('\n')).toMatch(/Cassandra CQL/);
  });

  it('allowed_values from values.allow (literals escaped), ignored_keys only for kept exact keys', () => {
    expect(red.allowed_values).toEqual(['support@example\\.com', '[a-z]+@corp\\.example']);
    expect(red.ignored_keys).toEqual(['app.ticket']);
    expect(config.notExpressed.join('\n')).toMatch(/values\.ignoreKeys globs and keys the rules do not allow/);
  });
});
