import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AttributeRules } from '../../engine/attribute-rules';
import type { ResolvedAttributeRules } from '../../engine/attribute-rules';
import { DROPPED } from '../../engine/attribute-redactor';
import { definePolicy } from '../../index';

// Behaviour of the compiled attribute rules that the mutation run of engine/attribute-rules.ts found unpinned
// (docs/mutation-testing.md): drop patterns with `?`, the rule names the self-observability reports, the per-key
// decision cache and its bound, the layered (`extends: default`) rules and what `util.inspect` shows.

function spec(over: Partial<ResolvedAttributeRules> = {}): ResolvedAttributeRules {
  return { allow: [], hash: [], encrypt: [], drop: [], generalize: {}, default: 'drop', ...over };
}

/** A key scanner that finds an "email" in keys containing `@`, and counts how often it ran per key. */
function countingScanner(): { scan: (key: string) => readonly string[] | undefined; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  return {
    calls,
    scan: (key) => {
      calls.set(key, (calls.get(key) ?? 0) + 1);
      return key.includes('@') ? ['email'] : undefined;
    },
  };
}

describe('AttributeRules: drop patterns', () => {
  it('drops a key that a `?` drop pattern matches as written, even where the naming-style form does not match', () => {
    // `user?id` matches `user_id` literally; in naming-style-free form the key is `userid`, which `user?id` does not
    // match (no character left for `?`). The literal match must decide.
    const rules = new AttributeRules(spec({ drop: ['user?id'], allow: ['*'] }), 'test');
    for (const key of ['user_id', 'user-id', 'user.id']) expect(rules.decide(key).action, key).toBe('drop');
    expect(rules.decide('userid').action).toBe('allow');
  });

  it('names the drop pattern as written: the literal match, else the first pattern of the same meaning', () => {
    const rules = new AttributeRules(spec({ drop: ['*pass-word*', '*pass_word*'], allow: ['*'] }), 'test');
    expect(rules.decide('db.pass_word').rule).toBe('drop "*pass_word*"');
    expect(rules.decide('db.pass-word').rule).toBe('drop "*pass-word*"');
    expect(rules.decide('db.PassWord').rule).toBe('drop "*pass-word*"');
  });
});

describe('AttributeRules: rule names (reported by ruleStats)', () => {
  it('names every rule with its action and pattern', () => {
    const rules = new AttributeRules(
      spec({
        encrypt: ['user.email'],
        hash: ['user.id'],
        generalize: { 'client.*': 'ip-prefix' },
        allow: ['http.*'],
        default: 'mask',
      }),
      'test',
    );
    expect(rules.decide('user.email')).toMatchObject({ action: 'encrypt', rule: 'encrypt "user.email"' });
    expect(rules.decide('user.id')).toMatchObject({ action: 'hash', rule: 'hash "user.id"' });
    expect(rules.decide('client.address')).toMatchObject({
      action: 'generalize',
      rule: 'generalize "client.*": ip-prefix',
    });
    expect(rules.decide('http.route')).toMatchObject({ action: 'allow', rule: 'allow "http.*"' });
    expect(rules.decide('other')).toMatchObject({ action: 'mask', rule: 'default: mask' });
  });

  it('drops a key holding findings under one shared rule naming each type once', () => {
    const types = ['email', 'payment-card', 'email'];
    const rules = new AttributeRules(spec({ allow: ['*'] }), 'test', {}, (key) =>
      key.startsWith('x') ? types : undefined,
    );
    const a = rules.decide('x1');
    expect(a).toMatchObject({ action: 'drop', rule: 'drop key holding email, payment-card' });
    expect(a.keyFindings).toEqual(['email', 'payment-card']);
    // one decision object per rule: its count is the rule's count over every key it decided
    expect(rules.decide('x2')).toBe(a);
    expect(rules.usedRules().filter((d) => d.rule.startsWith('drop key holding'))).toHaveLength(1);
  });
});

describe('AttributeRules: the per-key decision cache', () => {
  it('scans a kept key once, however often and in whatever order keys are decided', () => {
    const s = countingScanner();
    const rules = new AttributeRules(spec({ allow: ['*'] }), 'test', {}, s.scan);
    for (let i = 0; i < 50; i++) for (const key of ['a', 'b', 'c@example.com']) rules.decide(key);
    expect([...s.calls.values()]).toEqual([1, 1, 1]);
    expect(rules.decide('c@example.com').action).toBe('drop');
  });

  it('is bounded: after many distinct keys the first one is decided (and scanned) again, with the same result', () => {
    const s = countingScanner();
    const rules = new AttributeRules(spec({ allow: ['app.*'] }), 'test', {}, s.scan);
    const first = rules.decide('app.first');
    for (let i = 0; i < 20_000; i++) rules.decide(`app.k${i}`);
    expect(rules.decide('app.first')).toBe(first);
    expect(s.calls.get('app.first')).toBe(2);
    // the most recent keys are still cached
    rules.decide('app.k19999');
    expect(s.calls.get('app.k19999')).toBe(1);
  });
});

describe('AttributeRules: layered rules (extends: default)', () => {
  const user = spec({ allow: ['user.id'], default: 'drop' });
  const layered = new AttributeRules(
    spec({ drop: ['user.*'], allow: ['http.*'], explicit: { keys: ['user.id'], rules: user } }),
    'test',
  );

  it('decides a key the user names literally by the user rules alone, and says so', () => {
    expect(layered.isExplicit('user.id')).toBe(true);
    expect(layered.isExplicit('user.name')).toBe(false);
    expect(layered.decide('user.id')).toMatchObject({ action: 'allow', rule: 'allow "user.id"' });
    expect(layered.decide('user.name')).toMatchObject({ action: 'drop', rule: 'drop "user.*"' });
    expect(new AttributeRules(spec(), 'plain').isExplicit('user.id')).toBe(false);
  });

  it('reports the rules of both layers as used', () => {
    layered.decide('http.route');
    expect(layered.usedRules().map((d) => d.rule)).toEqual(
      expect.arrayContaining(['allow "user.id"', 'drop "user.*"', 'allow "http.*"']),
    );
  });

  it('says whether the default action decided a key', () => {
    const rules = new AttributeRules(spec({ allow: ['log.body'], default: 'mask' }), 'test');
    expect(rules.isUnnamed('log.body')).toBe(false);
    expect(rules.isUnnamed('other')).toBe(true);
  });
});

describe('AttributeRules: what is printed', () => {
  it('prints its label, never the raw keys it has decided', () => {
    const rules = new AttributeRules(spec({ allow: ['*'] }), 'traces/scope-a');
    rules.decide('jane.doe@example.com');
    const text = inspect(rules, { depth: 5 });
    expect(text).toContain('AttributeRules');
    expect(text).toContain('traces/scope-a');
    expect(text).not.toContain('jane.doe');
  });
});

describe('values.bytes: keep under a URL-sanitized key', () => {
  it('keeps undecodable bytes only under a key named literally, not under a key kept by a URL-sanitizer glob', () => {
    const binary = new Uint8Array([0xff, 0xfe, 0x00, 0x80]);
    const p = definePolicy({
      version: 1,
      attributes: { allow: ['app.blob', 'url.*'] },
      sanitizers: { url: { attributes: ['url.*'] } },
      values: { detectors: 'all', bytes: 'keep' },
    });
    const s = p.sanitizer('logs');
    expect(s.rules.decide('url.full').transform).toBeDefined();
    expect(s.sanitizeValue('app.blob', binary)).toEqual(binary); // a copy of the bytes
    expect(s.sanitizeValue('url.full', binary)).toBe(DROPPED);
  });
});
