import { describe, expect, it } from 'vitest';
import { definePolicy } from '../../index';
import type { Policy } from '../../index';
import { DROPPED } from '../../engine/attribute-redactor';

type Doc = Parameters<typeof definePolicy>[0];
type Values = NonNullable<Doc['values']>;

const EMAIL = 'jane.doe@example.com';
const CARD = '4111111111111111';

function policy(values: Values = {}, allow: string[] = ['app.*'], extra: Partial<Doc> = {}): Policy {
  return definePolicy({ version: 1, attributes: { allow }, values: { detectors: 'all', ...values }, ...extra });
}

const findings = (p: Policy) => ({ ...p.counters.findings });

describe('keys are values too', () => {
  it('drops an attribute whose key holds a finding, with its value, and counts it by detector on every occurrence', () => {
    const p = policy({}, ['*']);
    const s = p.sanitizer('traces');
    const attrs = { [`app.${EMAIL}`]: 'x', 'app.ok': 'fine' };
    expect(s.sanitize(attrs)).toEqual({ 'app.ok': 'fine' });
    expect(s.sanitize(attrs)).toEqual({ 'app.ok': 'fine' });
    expect(findings(p)).toEqual({ email: 2 });
    // The decision is cached with the key and shows up as a rule; the key is not in its name.
    const rule = p.ruleStats().find((r) => r.rule.startsWith('drop key holding'));
    expect(rule).toMatchObject({ action: 'drop', rule: 'drop key holding email', count: 2 });
  });

  it('scans each key once: a repeated key is decided from the cache without running the detectors', () => {
    const p = policy({}, ['*']);
    const s = p.sanitizer('traces');
    const key = `app.${EMAIL}`;
    // The first decision scans, later ones are the cached decision object.
    const first = s.rules.decide(key);
    expect(first.keyFindings).toEqual(['email']);
    expect(s.rules.decide(key)).toBe(first);
    expect(s.rules.decide('app.ok').keyFindings).toBeUndefined();
  });

  it('drops map entries whose key holds a finding, at any depth, and keys of log bodies', () => {
    const p = policy({}, ['app.*', 'log.body', 'log.body.*']);
    const s = p.sanitizer('logs');
    const out = s.sanitizeValue('app.user', { name: 'ok', [EMAIL]: 'x', nested: { [`card ${CARD}`]: 1, keep: 2 } });
    expect(out).toEqual({ name: 'ok', nested: { keep: 2 } });
    expect(s.sanitizeKept('log.body', { [EMAIL]: 'hi', msg: 'fine' })).toEqual({ msg: 'fine' });
    expect(findings(p)).toEqual({ email: 2, 'payment-card': 1 });
  });

  it('does not scan keys the rules drop anyway (they never leave), and needs a values block', () => {
    const p = policy({}, ['app.*']);
    expect(p.sanitizer('traces').sanitize({ [EMAIL]: 'x' })).toEqual({});
    expect(findings(p)).toEqual({});
    const noValues = definePolicy({ version: 1, attributes: { allow: ['*'] } });
    expect(noValues.sanitizer('traces').sanitize({ [EMAIL]: 'x' })).toEqual({ [EMAIL]: 'x' });
  });

  it('drops a key with a finding even under hash or encrypt rules (the key itself would leave)', () => {
    process.env.VC_HMAC = 'fake-hmac-key-for-value-channel-tests-0123';
    try {
      const p = definePolicy({
        version: 1,
        keys: { hmac: { id: 'k1', env: 'VC_HMAC' } },
        attributes: { hash: ['user.*'] },
        values: {},
      });
      expect(p.sanitizer('traces').sanitize({ [`user.${EMAIL}`]: 'x', 'user.id': 'u1' })).toEqual({
        'user.id': expect.stringMatching(/^k1:/),
      });
    } finally {
      delete process.env.VC_HMAC;
    }
  });
});

describe('bytes', () => {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const binary = new Uint8Array([0xff, 0xfe, 0x00, 0x80]);

  it('scans valid UTF-8 like text: clean bytes stay the same bytes (a copy), a finding is masked (still bytes)', () => {
    const p = policy();
    const s = p.sanitizer('logs');
    const clean = utf8('hello world');
    const kept = s.sanitizeValue('app.data', clean);
    expect(kept).toEqual(clean);
    // a copy: what the application writes into its memory afterwards is not exported
    expect(kept).not.toBe(clean);
    clean.set(utf8('mail x@y.z'));
    expect(new TextDecoder().decode(kept as Uint8Array)).toBe('hello world');
    const masked = s.sanitizeValue('app.data', utf8(`mail ${EMAIL}`));
    expect(masked).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(masked as Uint8Array)).toBe('mail [REDACTED:email]');
    expect(findings(p)).toEqual({ email: 1 });
  });

  it('drops a bytes value with a finding under values.action: drop', () => {
    const s = policy({ action: 'drop' }).sanitizer('logs');
    expect(s.sanitizeValue('app.data', utf8(EMAIL))).toBe(DROPPED);
  });

  it('scan (default): drops and counts bytes that are not UTF-8', () => {
    const p = policy();
    expect(p.sanitizer('logs').sanitizeValue('app.data', binary)).toBe(DROPPED);
    expect(p.sanitizer('logs').sanitizeKept('log.body', binary)).toBe(DROPPED);
    expect(findings(p)).toEqual({ bytes: 2 });
  });

  it('drop: drops and counts every bytes value', () => {
    const p = policy({ bytes: 'drop' });
    expect(p.sanitizer('logs').sanitizeValue('app.data', utf8('hello'))).toBe(DROPPED);
    expect(findings(p)).toEqual({ bytes: 1 });
  });

  it('keep: keeps undecodable bytes only under a key named literally in an allow list', () => {
    const p = policy({ bytes: 'keep' }, ['app.*', 'app.blob']);
    const s = p.sanitizer('logs');
    expect(s.sanitizeValue('app.blob', binary)).toEqual(binary);
    expect(s.sanitizeValue('app.blob', binary)).not.toBe(binary); // a copy
    expect(s.sanitizeValue('app.other', binary)).toBe(DROPPED);
    // UTF-8 under the literal key is still scanned.
    expect(new TextDecoder().decode(s.sanitizeValue('app.blob', utf8(EMAIL)) as Uint8Array)).toBe('[REDACTED:email]');
  });

  it('keep is refused at load when no allow list names a key literally', () => {
    expect(() => policy({ bytes: 'keep' }, ['app.*'])).toThrow(
      /values\.bytes: "keep" keeps undecodable bytes only under keys named literally/,
    );
  });
});

describe('numbers', () => {
  it('masks an integer, double or bigint that is a card number (the value becomes the mask string)', () => {
    const p = policy();
    const s = p.sanitizer('traces');
    expect(s.sanitize({ 'app.n': Number(CARD), 'app.b': BigInt(CARD) } as never)).toEqual({
      'app.n': '[REDACTED:payment-card]',
      'app.b': '[REDACTED:payment-card]',
    });
    expect(findings(p)).toEqual({ 'payment-card': 2 });
  });

  it('finds a phone number under a key that names a phone, and an SSN-shaped id is not masked without its dashes', () => {
    const s = policy().sanitizer('traces');
    expect(s.sanitizeValue('app.phone', 2025550143)).toBe('[REDACTED:phone]');
    expect(s.sanitizeValue('app.count', 2025550143)).toBe(2025550143);
  });

  it('leaves small numbers, non-matching large numbers and timestamps alone; scanNumbers: false turns it off', () => {
    const p = policy();
    const s = p.sanitizer('traces');
    for (const n of [0, 42, -999_999, 3.14, 1_733_400_000_000, 4111111111111112, Infinity, NaN])
      expect(s.sanitizeValue('app.n', n)).toBe(n);
    expect(findings(p)).toEqual({});
    expect(policy({ scanNumbers: false }).sanitizer('traces').sanitizeValue('app.n', Number(CARD))).toBe(Number(CARD));
  });

  it('drops a number with a finding under values.action: drop; numbers inside arrays and maps are scanned', () => {
    expect(policy({ action: 'drop' }).sanitizer('traces').sanitizeValue('app.n', Number(CARD))).toBe(DROPPED);
    const s = policy().sanitizer('logs');
    expect(s.sanitizeValue('app.list', [1, Number(CARD)])).toEqual([1, '[REDACTED:payment-card]']);
    expect(s.sanitizeValue('app.map', { card: Number(CARD), n: 7 })).toEqual({ card: '[REDACTED:payment-card]', n: 7 });
  });
});

describe('string arrays are also scanned as their joined text', () => {
  it('masks the whole array when only the join holds a finding', () => {
    const p = policy();
    const s = p.sanitizer('traces');
    expect(s.sanitizeValue('app.parts', ['jane.doe@', 'example.com'])).toEqual(['[REDACTED:email]']);
    expect(s.sanitizeValue('app.parts', ['4111 1111', '1111 1111'])).toEqual(['[REDACTED:payment-card]']);
    expect(findings(p)).toEqual({ email: 1, 'payment-card': 1 });
  });

  it('keeps a clean array as it is, and masks element findings element by element', () => {
    const s = policy().sanitizer('traces');
    expect(s.sanitizeValue('app.tags', ['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(s.sanitizeValue('app.tags', [EMAIL, 'b'])).toEqual(['[REDACTED:email]', 'b']);
  });

  it('drops the array under values.action: drop', () => {
    expect(
      policy({ action: 'drop' }).sanitizer('traces').sanitizeValue('app.parts', ['jane.doe@', 'example.com']),
    ).toBe(DROPPED);
  });

  it('numbers and mixed scalar arrays are joined too (a card split into integers; found by an outside-style attack)', () => {
    const p = policy();
    const s = p.sanitizer('traces');
    expect(s.sanitizeValue('app.parts', [4111, 1111, 1111, 1111])).toEqual(['[REDACTED:payment-card]']);
    expect(s.sanitizeValue('app.parts', ['4111 1111', 1111, '1111'])).toEqual(['[REDACTED:payment-card]']);
    expect(s.sanitizeValue('app.sizes', [1, 2, 3, 200, 404])).toEqual([1, 2, 3, 200, 404]);
    expect(findings(p)).toEqual({ 'payment-card': 2 });
  });
});
