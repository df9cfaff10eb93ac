import { describe, expect, it } from 'vitest';
import { emailDetector } from '../../../../engine/detectors/email';
import type { Finding } from '../../../../engine/detectors/types';

// Every example of the `email` row of docs/detectors.md and of `emailDetector`'s doc comment, as written there: what is
// found (the exact masked stretch) and what is not. The first check of the e-mail suites, and the cheapest.

function found(text: string): string[] {
  const out: Finding[] = [];
  emailDetector.find(text, out);
  return out.map((f) => text.slice(f.start, f.end));
}

const FOUND: [string, string[]][] = [
  ['mail jane@example.com ok', ['jane@example.com']],
  ['?email=jane%40example.com&x=1', ['jane%40example.com']],
  ['иван.петров@пример.рф', ['иван.петров@пример.рф']],
  ['ジェーン@example.com', ['ジェーン@example.com']],
  ['élodie@example.com', ['élodie@example.com']],
  ['x "john.doe"@example.com y', ['"john.doe"@example.com']],
  ['ping @jane.doe@example.com', ['jane.doe@example.com']],
  ['cc:@jane.doe@example.com', ['jane.doe@example.com']],
  ['x jane @ example.com y', ['jane @ example.com']],
  ['x john(at)example.com y', ['john(at)example.com']],
  ['x john [at] example [dot] com y', ['john [at] example [dot] com']],
  ['x john(at)example[.]com y', ['john(at)example[.]com']],
  ['x john{at}example.com y', ['john{at}example.com']],
  ['x john<at>example.com y', ['john<at>example.com']],
  ['Kontakt: info(a)example.de', ['info(a)example.de']],
  ['x john.doe at example dot com y', ['john.doe at example dot com']],
  ['x jane@example.com2026 y', ['jane@example.com']],
  ['x jane@example.com-backup y', ['jane@example.com']],
  ['x jane@example.com.1 y', ['jane@example.com']],
  ['x jane@example.co.uk.v2 y', ['jane@example.co.uk']],
  ['x jane@example.com.z y', ['jane@example.com']],
  ['export_jane.doe@example.com_2026.csv', ['export_jane.doe@example.com']],
  ['x jane@example.comjohn@example.org y', ['jane@example.com', 'john@example.org']],
  ['x a0@example.coma1@example.com y', ['a0@example.com', 'a1@example.com']],
  ['x jane(c)@example.com y', ['jane(c)@example.com']],
  ['x jane\r\n @example.com y', ['jane\r\n @example.com']],
  ['x jane\r@\rexample.com y', ['jane\r@\rexample.com']],
  ['x jane[@]example.com y', ['jane[@]example.com']],
  ['x jane(@)example.com y', ['jane(@)example.com']],
  ['x jane@[203.0.113.7] y', ['jane@[203.0.113.7]']],
  ['x jane@[IPv6:2001:db8::7] y', ['jane@[IPv6:2001:db8::7]']],
  ['x jane(work)@example.com y', ['jane(work)@example.com']],
  ['x jane@example.com. y', ['jane@example.com']],
  ['x a.@b.com y', ['a.@b.com']],
];

const NOT_FOUND = [
  'lodash@4.17.21',
  '@scope/pkg',
  'icon@2x.png',
  'clip@2x.mp4',
  'img@sha256:abcdef0123',
  'root@localhost',
  'choose (a) github.com',
  'deployed 1.2 at api.example.com',
  'svc @ node-1.cluster.local',
  'retry at db.internal',
  'jane@example',
  'items@[0]',
  'lodash@０.１０.１０',
  '李@example.cn',
  'þ@mail.example.net',
  'look at the dot com bubble',
];

describe('email: the documented examples', () => {
  it('found, each exactly', () => {
    for (const [text, want] of FOUND) expect(found(text), JSON.stringify(text)).toEqual(want);
  });
  it('not found', () => {
    for (const text of NOT_FOUND) expect(found(`x ${text} y`), text).toEqual([]);
  });
});
