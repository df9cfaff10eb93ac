import { baggageEntryMetadataFromString, propagation } from '@opentelemetry/api';
import type { Baggage } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { DROPPED } from '../../engine/attribute-redactor';
import type { ValueScanner } from '../../engine/attribute-redactor';
import { BaggageFilter, MAX_BAGGAGE_ENTRIES } from '../../engine/baggage-filter';
import { Pseudonymizer } from '../../engine/crypto/pseudonymizer';
import { createValueScanner } from '../../engine/detectors/value-scanner';

const FAKE_EMAIL = 'jane.doe@example.com';
const pseudonymizer = new Pseudonymizer({ id: 'k1', bytes: Buffer.alloc(32, 7) });

function scanner(): { scan: ValueScanner; calls: string[]; findings: Record<string, number> } {
  const detector = createValueScanner({ detectors: 'all', action: 'mask', mask: '[R:{type}]', cleanCacheSize: 0 });
  const calls: string[] = [];
  return {
    calls,
    findings: detector.findings,
    scan: (value) => {
      calls.push(value);
      return detector.redact(value) ?? DROPPED;
    },
  };
}

const bag = (entries: Record<string, string>): Baggage =>
  propagation.createBaggage(Object.fromEntries(Object.entries(entries).map(([k, value]) => [k, { value }])));
const plain = (b: Baggage | undefined) =>
  Object.fromEntries((b?.getAllEntries() ?? []).map(([k, e]) => [k, e.value] as const));

describe('BaggageFilter', () => {
  it('keeps allowed keys, pseudonymizes hashed ones, drops the rest; hash wins over allow', () => {
    const f = new BaggageFilter({ allow: ['tenant', 'app.*', 'user.id'], hash: ['user.id'] }, { pseudonymizer });
    const out = f.filter(bag({ tenant: 'acme', 'app.step': 'pay', 'user.id': 'fake-user-7', email: FAKE_EMAIL }));
    expect(plain(out)).toEqual({
      tenant: 'acme',
      'app.step': 'pay',
      'user.id': pseudonymizer.pseudonym('fake-user-7'),
    });
  });

  it('drops an allowed entry whose value or key the scanner finds something in, counting every occurrence', () => {
    const s = scanner();
    const f = new BaggageFilter({ allow: ['note', 'app.*'], hash: [] }, { scanner: s.scan });
    const b = bag({ note: `write to ${FAKE_EMAIL}`, [`app.${FAKE_EMAIL}`]: '1', 'app.ok': 'yes' });
    expect(plain(f.filter(b))).toEqual({ 'app.ok': 'yes' });
    expect(plain(f.filter(b))).toEqual({ 'app.ok': 'yes' });
    // the value finding is counted each time; the key decision is made once per key
    expect(s.findings.email).toBe(3);
  });

  it('returns the same object when nothing changes, caches results by identity, and is a fixed point', () => {
    const s = scanner();
    const f = new BaggageFilter({ allow: ['tenant'], hash: ['user.id'] }, { scanner: s.scan, pseudonymizer });
    const clean = bag({ tenant: 'acme' });
    expect(f.filter(clean)).toBe(clean);
    const mixed = bag({ tenant: 'acme', 'user.id': 'u1', other: 'x' });
    const out = f.filter(mixed)!;
    expect(out).not.toBe(mixed);
    s.calls.length = 0;
    expect(f.filter(mixed)).toBe(out);
    expect(f.filter(out)).toBe(out);
    expect(s.calls).toEqual([]);
    expect(plain(mixed)).toEqual({ tenant: 'acme', 'user.id': 'u1', other: 'x' }); // never mutated
  });

  it('never hashes its own pseudonyms twice, also after the application adds entries', () => {
    const f = new BaggageFilter({ allow: ['app.*'], hash: ['user.id'] }, { pseudonymizer });
    const once = f.filter(bag({ 'user.id': 'u1' }))!;
    const grown = once.setEntry('app.step', { value: 'pay' });
    expect(plain(f.filter(grown))).toEqual({ 'user.id': pseudonymizer.pseudonym('u1'), 'app.step': 'pay' });
    // an entry copied from a pseudonym with another value is hashed
    const [, entry] = once.getAllEntries()[0];
    expect(plain(f.filter(once.setEntry('user.id', { ...entry, value: 'raw-user' })))['user.id']).toBe(
      pseudonymizer.pseudonym('raw-user'),
    );
    // a value that merely looks like a pseudonym is hashed: only entries this filter wrote pass
    const forged = bag({ 'user.id': pseudonymizer.pseudonym('u1') });
    expect(plain(f.filter(forged))['user.id']).toBe(pseudonymizer.pseudonym(pseudonymizer.pseudonym('u1')));
  });

  it('drops entry properties (metadata), keeping the value', () => {
    const f = new BaggageFilter({ allow: ['plan'], hash: [] }, {});
    const b = propagation.createBaggage({
      plan: { value: 'gold', metadata: baggageEntryMetadataFromString(`source=${FAKE_EMAIL}`) },
    });
    const out = f.filter(b)!;
    expect(out.getAllEntries()).toEqual([['plan', { value: 'gold' }]]);
  });

  it('keeps at most 64 entries and returns undefined when nothing is left', () => {
    const f = new BaggageFilter({ allow: ['k*'], hash: [] }, {});
    const many = bag(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, `v${i}`])));
    const out = f.filter(many)!;
    expect(out.getAllEntries()).toHaveLength(MAX_BAGGAGE_ENTRIES);
    expect(out.getEntry('k0')?.value).toBe('v0');
    expect(f.filter(bag({ other: 'x' }))).toBeUndefined();
    expect(f.filter(undefined)).toBeUndefined();
    const none = new BaggageFilter({ allow: [], hash: [] }, {});
    expect(none.dropsEverything).toBe(true);
    expect(none.filter(bag({ k1: 'x' }))).toBeUndefined();
  });

  it('handles unicode keys and values', () => {
    const s = scanner();
    const f = new BaggageFilter({ allow: ['café', 'note'], hash: [] }, { scanner: s.scan });
    expect(plain(f.filter(bag({ café: 'crème \u{1F600}', note: '\uD800 lone', x: 'ü' })))).toEqual({
      café: 'crème \u{1F600}',
      note: '\uD800 lone',
    });
  });

  it('refuses hash rules without a pseudonymizer', () => {
    expect(() => new BaggageFilter({ allow: [], hash: ['user.id'] }, {})).toThrow(
      'propagation.baggage.hash needs keys.hmac',
    );
  });
});
