import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lintPolicy } from '../../cli/policy-lint';
import { definePolicy } from '../../policy/load-policy';
import { parsePolicyText } from '../../policy/policy-source';
import type { PolicyDocument } from '../../policy/schema';

beforeEach(() => {
  process.env.OTEL_PRIVACY_HMAC_KEY = 'base64:ZmFrZS1obWFjLWtleS1mb3ItbGludC10ZXN0cy0wMTIzNDU2Nzg5';
});
afterEach(() => {
  delete process.env.OTEL_PRIVACY_HMAC_KEY;
});

function lint(yaml: string) {
  const parsed = parsePolicyText(yaml, 'p.yaml');
  const doc = parsed.value as PolicyDocument;
  return lintPolicy(doc, parsed.source, definePolicy(doc), process.cwd());
}

describe('validate: allow globs that meet a drop pattern under another case or naming style', () => {
  it('warns for server.* against *password* (server.Password) and for an own literal key', () => {
    const warnings = lint(`version: 1
attributes:
  allow: [server.*, code.*, db.Password, http.route]
  drop: ["*password*", "*api_key*"]
  default: drop
`);
    const byPath = Object.fromEntries(warnings.map((w) => [w.path, w.message]));
    expect(byPath['attributes.allow[0]']).toMatch(
      /"server\.\*" also matches "server\.\w*[Pp]assword\w*".*"\*password\*"/,
    );
    expect(byPath['attributes.allow[1]']).toMatch(/"code\.\*" also matches/);
    expect(byPath['attributes.allow[2]']).toMatch(/"db\.Password" also matches "db\.Password"/);
    expect(byPath['attributes.allow[3]']).toBeUndefined();
  });

  it('warns against the default policy drops when extending it', () => {
    const warnings = lint(`version: 1
extends: default
attributes:
  allow: [app.*]
`);
    expect(warnings.some((w) => w.path === 'attributes.allow[0]' && /names in another case/.test(w.message))).toBe(
      true,
    );
  });

  it('is quiet for allow lists that cannot meet a drop pattern', () => {
    expect(
      lint(`version: 1
attributes:
  allow: [http.route, http.request.method]
  drop: ["*password*"]
  default: drop
`),
    ).toEqual([]);
  });
});
