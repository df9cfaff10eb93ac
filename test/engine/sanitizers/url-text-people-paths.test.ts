import { describe, expect, it } from 'vitest';
import { templatePeoplePathsInText } from '../../../engine/sanitizers/url-text';

// The people rule on paths in free text (`templatePeoplePathsInText`): a sentence's punctuation after a path stays
// outside it, so the person's key before it is templated and the punctuation is kept. Every value is made up.

describe('templatePeoplePathsInText: punctuation after a path', () => {
  it.each([
    ['NotFound /users/janedoe.', 'NotFound /users/{id}.'],
    ['at /users/janedoe: not found', 'at /users/{id}: not found'],
    ['no such user /staff/janedoe!', 'no such user /staff/{id}!'],
    ['who is /authors/jane-doe?', 'who is /authors/{id}?'],
    ['see /staff/janedoe...', 'see /staff/{id}...'],
    ['"/in/janedoe".', '"/in/{id}".'],
    // a path that is only punctuation after its `/` stays as it is
    ['at /. and /:', 'at /. and /:'],
  ])('%s → %s', (input, expected) => {
    expect(templatePeoplePathsInText(input)).toBe(expected);
  });
});
