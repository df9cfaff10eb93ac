import { describe, expect, it } from 'vitest';
import { definePolicy } from '../../index';
import type { PolicyDocument } from '../../index';

// The people rule on paths in kept free-text values (`error.type`, an allowed `app.note`): applied only with the URL
// rules on for text, and a value it leaves as it is scanned as any kept value (its exemptions hold). Every value is
// made up.

const doc = (
  url: NonNullable<PolicyDocument['sanitizers']>['url'],
  values: PolicyDocument['values'],
): PolicyDocument => ({
  version: 1,
  attributes: { allow: ['error.type', 'app.*', 'url.path'] },
  values,
  sanitizers: { url },
});

describe('paths in kept free-text values', () => {
  it('templates the person’s key after a people word with the URL rules on', () => {
    const s = definePolicy(doc({ attributes: ['url.path'] }, { detectors: 'all' })).sanitizer('traces');
    expect(s.sanitize({ 'error.type': 'NotFound /users/janedoe', 'app.note': 'GET /staff/janedoe failed' })).toEqual({
      'error.type': 'NotFound /users/{id}',
      'app.note': 'GET /staff/{id} failed',
    });
  });

  it('leaves the path as written when the URL rules are off for text (`logBody: false`)', () => {
    const s = definePolicy(doc({ attributes: ['url.path'], logBody: false }, { detectors: 'all' })).sanitizer('traces');
    expect(s.sanitize({ 'error.type': 'NotFound /users/janedoe' })).toEqual({
      'error.type': 'NotFound /users/janedoe',
    });
    expect(s.sanitize({ 'url.path': '/users/janedoe' })).toEqual({ 'url.path': '/users/{id}' });
  });

  it('keeps an allowed text in a value with a path the rule leaves alone (`values.allow`)', () => {
    const s = definePolicy(
      doc({ attributes: ['url.path'] }, { detectors: 'all', allow: ['support@example.com'] }),
    ).sanitizer('traces');
    expect(s.sanitize({ 'app.note': 'mail support@example.com about /docs/setup' })).toEqual({
      'app.note': 'mail support@example.com about /docs/setup',
    });
    expect(s.sanitize({ 'app.note': 'mail jane.doe@example.com about /docs/setup' })).toEqual({
      'app.note': 'mail [REDACTED:email] about /docs/setup',
    });
  });

  it('masks a finding in a value whose path it templated', () => {
    const s = definePolicy(doc({ attributes: ['url.path'] }, { detectors: 'all' })).sanitizer('traces');
    expect(s.sanitize({ 'error.type': 'NotFound /users/janedoe for jane.doe@example.com' })).toEqual({
      'error.type': 'NotFound /users/{id} for [REDACTED:email]',
    });
  });
});
