import { describe, expect, it } from 'vitest';
import { AttributeRules } from '../../engine/attribute-rules';
import { KeyMeaningPatterns, keyWords } from '../../engine/key-meaning';
import { classifyKey } from '../../policy/semconv-classification';

// The edges of matching keys by meaning (engine/key-meaning.ts): words cut between digits and letters, patterns that
// name a word only when the whole pattern is `*word*` or `*.word.*`, the pattern named as first written.

describe('keyWords: digits and letters are separate words', () => {
  it.each([
    ['app.2faCode', '.app.2.fa.code.'],
    ['app.2pin', '.app.2.pin.'],
    ['app.pin2', '.app.pin.2.'],
    // a digit between letters: cut on both sides
    ['otp6digits', '.otp.6.digits.'],
    ['user2pin', '.user.2.pin.'],
    ['sha256hmac', '.sha.256.hmac.'],
  ])('%s → %s', (key, words) => {
    expect(keyWords(key)).toBe(words);
  });

  it('drops a whole-word credential after a digit (`app.2pin`, `auth.6otp`) by the default classification', () => {
    expect(classifyKey('app.2pin')?.class).toBe('credential');
    expect(classifyKey('auth.6otp')?.class).toBe('credential');
    expect(new KeyMeaningPatterns(['*.pin.*']).match('app.4pin')).toBe('*.pin.*');
  });

  it('drops a whole word after a digit that follows letters (`app.user2pin`) under a policy that allows `app.*`', () => {
    const rules = new AttributeRules(
      { allow: ['app.*'], hash: [], encrypt: [], drop: ['*.pin.*', '*.cvv.*'], generalize: {}, default: 'drop' },
      'test',
    );
    expect(rules.decide('app.user2pin').action).toBe('drop');
    expect(rules.decide('app.card1cvv').action).toBe('drop');
    expect(rules.decide('app.spin2win').action).toBe('allow');
  });
});

describe('KeyMeaningPatterns: a word pattern is the whole pattern', () => {
  it('a namespaced pattern does not match keys of another namespace across dots', () => {
    const p = new KeyMeaningPatterns(['db.*password*', '*password*.hint']);
    expect(p.match('db.password')).toBe('db.*password*');
    expect(p.match('app.pass.word')).toBeUndefined();
    expect(p.match('app.password.hint')).toBe('*password*.hint');
  });

  it('a namespaced whole-word pattern does not match the word in another namespace', () => {
    const p = new KeyMeaningPatterns(['app*.pin.*', '*.pin.*x']);
    expect(p.match('app.pin.hint')).toBe('app*.pin.*');
    expect(p.match('user.pin')).toBeUndefined();
    expect(p.match('userPin')).toBeUndefined();
  });

  it('names whole words of several words, numbers among them', () => {
    const p = new KeyMeaningPatterns(['*.session.id.*', '*.2.fa.*', '*.cvv.2.*']);
    expect(p.match('app.sessionId')).toBe('*.session.id.*');
    expect(p.match('app.2faCode')).toBe('*.2.fa.*');
    expect(p.match('card.CVV2')).toBe('*.cvv.2.*');
    expect(p.match('app.sessions')).toBeUndefined();
    expect(p.match('app.cvv')).toBeUndefined();
  });

  it('names the first of patterns that read the same, as written', () => {
    const p = new KeyMeaningPatterns(['*pass_word*', '*PassWord*', '*.Pin.*', '*.PIN.*']);
    expect(p.match('app.password')).toBe('*pass_word*');
    expect(p.match('app.pass.word')).toBe('*pass_word*');
    expect(p.match('app.userPin')).toBe('*.Pin.*');
  });

  it('matches none with no patterns', () => {
    const p = new KeyMeaningPatterns([]);
    for (const key of ['password', 'app.pass.word', 'app.pin', '']) expect(p.match(key)).toBeUndefined();
  });
});
