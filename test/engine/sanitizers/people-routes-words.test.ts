import { describe, expect, it } from 'vitest';
import { templateNameTokens } from '../../../engine/sanitizers/name-tokens';
import { createUrlSanitizer } from '../../../engine/sanitizers/url-sanitizer';
import { templatePeoplePathsInText } from '../../../engine/sanitizers/url-text';

// The word lists and edges of the people rule (engine/sanitizers/people-routes.ts), read through its three users: the
// URL sanitizer (`url.path`, `url.full`), the people rule in free text (`error.type`) and the span-name identifier
// tokens. One word of each line of each list, so a list that loses a line fails here. Every value is made up
// (`janedoe`, a token of letters).

const url = createUrlSanitizer();

/** A person's key of letters: no digits, so only the people rule (not an ID rule) templates it. */
const PERSON = 'janedoe';
/** A link's token of letters (a reset or invitation link). */
const TOKEN = 'hKqPzTrWxYvBnM';

/** `path` through the URL sanitizer, the free-text people rule and the span-name tokens: the same exported path. */
function allThree(path: string, expected: string): void {
  expect(url(path), 'url').toBe(expected);
  expect(templatePeoplePathsInText(`NotFound ${path}`), 'text').toBe(`NotFound ${expected}`);
  expect(templateNameTokens(`GET ${path}`), 'span name').toBe(`GET ${expected}`);
}

describe('people segments: the segment after one is the person’s key', () => {
  it.each(['customers', 'patients', 'followers', 'mailboxes', 'User-Profiles'])('/%s/janedoe', (word) => {
    allThree(`/${word}/${PERSON}/inbox`, `/${word}/{id}/inbox`);
  });
});

describe('credential segments: the segment after one is the secret a link carries', () => {
  it.each(['reset-password', 'password_reset', 'invitations', 'magic-link', 'unsubscribe', 'activation'])(
    '/%s/<token>',
    (word) => {
      allThree(`/${word}/${TOKEN}`, `/${word}/{id}`);
    },
  );
});

describe('route words after a people segment stay', () => {
  // one word of each line of the list (none of them a lookup key, none read by the plural or suffix rules)
  it.each([
    'whoami',
    'export',
    'avatar',
    'deactivate',
    'signup',
    'omniauth',
    'roster',
    'unblock',
    'summary',
    'invoice',
    'unlink',
    'impersonate',
    'gist',
    'anonymize',
    'webhook',
    'referral',
    'typeahead',
    'playlist',
    'calendar',
    'timezone',
    'nearby',
    'familiar',
    'introspect',
    'mailbox',
  ])('/users/%s', (word) => {
    allThree(`/users/${word}`, `/users/${word}`);
  });

  it.each([
    // plural `s` and `es` dropped
    ['/users/invoices', '/users/invoices'],
    ['/users/mailboxes', '/users/mailboxes'],
    ['/users/searches', '/users/searches'],
    // noun endings of seven letters or more (`-tion`, `-sion`, `-ment`, `-ness`, `-able`, `-ible`, `-ship`)
    ['/users/retention', '/users/retention'],
    ['/users/permissions', '/users/permissions'],
    ['/users/settlements', '/users/settlements'],
    ['/users/readiness', '/users/readiness'],
    ['/users/payable', '/users/payable'],
    ['/users/visible', '/users/visible'],
    ['/users/sponsorship', '/users/sponsorship'],
    // joined route words, a version, a template
    ['/users/sign_in', '/users/sign_in'],
    ['/users/passwordReset', '/users/passwordReset'],
    ['/users/_search', '/users/_search'],
    ['/users/v2', '/users/v2'],
    ['/users/:userId', '/users/:userId'],
  ])('%s stays', (path, expected) => {
    allThree(path, expected);
  });

  it.each([
    // a given name is no route word: no plural of a route word, no noun ending, too short for one
    ['/users/alices', '/users/{id}'],
    ['/users/ames', '/users/{id}'],
    ['/users/yes', '/users/{id}'],
    ['/users/es', '/users/{id}'],
    ['/users/s', '/users/{id}'],
    ['/users/florence', '/users/{id}'],
    ['/users/ashley', '/users/{id}'],
    ['/users/v1234', '/users/{id}'],
    ['/users/me-alice', '/users/{id}'],
  ])('%s', (path, expected) => {
    allThree(path, expected);
  });
});

describe('a lookup key after a people segment reads the next segment as the person’s key', () => {
  it.each([
    ['/users/nickname/janedoe', '/users/nickname/{id}'],
    ['/users/screenname/janedoe', '/users/screenname/{id}'],
    ['/users/id/janedoe', '/users/id/{id}'],
    // a separator at an end (`_username`) is no word
    ['/users/_username/janedoe', '/users/_username/{id}'],
    ['/users/by-display-name-username/janedoe', '/users/by-display-name-username/{id}'],
    ['/users/by-screenname-displayname/janedoe', '/users/by-screenname-displayname/{id}'],
  ])('%s → %s', (path, expected) => {
    allThree(path, expected);
  });

  it.each([
    // `by` only in front: `name-by` is two route words, no lookup key
    ['/users/name-by/janedoe', '/users/name-by/janedoe'],
  ])('%s → %s', (path, expected) => {
    allThree(path, expected);
  });
});

describe('a people word written as its compatibility form', () => {
  // NFKC folds one character (`㍷` is `dm`, `㏌` is `in`) or letters of two UTF-16 units each (math bold) into the
  // word: the rule reads the folded word, whatever the length of the written one
  it.each([
    ['\u3377', 'dm'],
    ['\u33cc', 'in'],
    ['\u{1d41f}\u{1d428}\u{1d425}\u{1d425}\u{1d428}\u{1d430}\u{1d41e}\u{1d42b}\u{1d42c}', 'followers'],
    ['\u{1d42e}\u{1d42c}\u{1d41e}\u{1d42b}\u{1d42c}', 'users'],
  ])('%s (%s)', (word) => {
    const path = `/${word}/${PERSON}`;
    expect(url(path)).not.toContain(PERSON);
    expect(templatePeoplePathsInText(`NotFound ${path}`)).toBe(`NotFound /${word}/{id}`);
    expect(templateNameTokens(`GET ${path}`)).toBe(`GET /${word}/{id}`);
  });
});

describe('the lookup key is a path rule: in a dotted name the word after `users.` is read by the dotted-name rule', () => {
  it.each([
    ['cache users.Nickname', 'cache users.{id}'],
    ['cache users.by-Email', 'cache users.{id}'],
    ['GET /users/by-Email/JaneDoe', 'GET /users/by-Email/{id}'],
  ])('%s → %s', (name, expected) => {
    expect(templateNameTokens(name)).toBe(expected);
  });
});

describe('a people word or a lookup key percent-encoded anywhere in it', () => {
  it.each([
    ['/u%73ers/janedoe', '/u%73ers/{id}'],
    ['/%75sers/janedoe', '/%75sers/{id}'],
    ['/users/by-n%61me/janedoe', '/users/by-n%61me/{id}'],
  ])('%s → %s', (path, expected) => {
    expect(url(path)).toBe(expected);
    expect(templatePeoplePathsInText(`NotFound ${path}`)).toBe(`NotFound ${expected}`);
  });
});
