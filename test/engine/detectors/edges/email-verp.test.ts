import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPipeline, edgeScanners } from './secret-edges-helpers';

// `email` (engine/detectors/email.ts, docs/detectors.md): a VERP return path (variable envelope return path: mailing
// lists and bulk senders write the recipient into the sender's local part, `@` as `=`):
// `bounce-1-jane=example.com@lists.example.org`, `bounces+12345-jane.doe=example.com@em.sendgrid.net`. The `=` there
// is no key's: when the word before it holds a `+` or a digit and what follows it up to the `@` reads as a domain, the
// whole local part is masked. A key before an address (`user=jane.doe@example.com`, `reply-to=jane@example.com`) stays.

const scan = edgeScanners(['email']);
const user = fc.constantFrom('jane', 'jane.doe', 'j_doe', 'jane-doe', 'jdoe42');
const domain = fc.constantFrom('example.com', 'example.org', 'example.net', 'mail.example.co.uk', 'example.de');
const host = fc.constantFrom('lists.example.org', 'em.example.net', 'bounce.example.com', 'example.io');
const n = fc.integer({ min: 1, max: 999999 });
/** The sender's part before the recipient: qmail/ezmlm, Mailman, Postfix, bulk senders. */
const prefix = fc.oneof(
  n.map((k) => `bounce-${k}-`),
  n.map((k) => `bounces+${k}-`),
  fc.constantFrom('list-bounces+', 'owner-announce+', 'news+'),
  n.map((k) => `announce-return-${k}-`),
);
const WRITINGS: readonly ((a: string) => string)[] = [
  (a) => `«${a}»`,
  (a) => `Return-Path: <«${a}»>`,
  (a) => `postfix/qmgr: 4F2A1: from=<«${a}»>, size=2301, nrcpt=1`,
  (a) => `{"sender":"«${a}»","status":"bounced"}`,
  (a) => `sender=«${a}» status=sent`,
];

describe('email: a VERP return path', () => {
  it('the whole address is masked, the recipient encoded in its local part included', () => {
    fc.assert(
      fc.property(prefix, user, domain, host, fc.constantFrom(...WRITINGS), (p, u, d, h, write) =>
        scan.marked(write(`${p}${u}=${d}@${h}`)),
      ),
      { numRuns: 150 },
    );
  });

  it('a key before an address stays: no + or digit in it, or no domain after the =', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('user', 'email', 'reply-to', 'x-original-to', 'owner', 'to'),
        user,
        fc.constantFrom('example.com', 'example.de', 'wei.li', 'jane.ng'),
        host,
        (key, u, d, h) => {
          scan.marked(`${key}=«${u}@${h}» ok`);
          scan.marked(`${key}=«${d}@${h}» ok`);
          scan.marked(`bounce-1-${u}=«${u}@${h}» ok`);
          scan.marked(`list+${u}=«${d.replace('.', '')}@${h}» ok`);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('a VERP return path through real SDK providers with the default policy', () => {
  const pipeline = defaultPipeline();
  it('the recipient is not exported from a log body', () => {
    fc.assert(
      fc.property(prefix, user, domain, host, (p, u, d, h) => {
        expect(pipeline.exported(`bounce from ${p}${u}=${d}@${h} queued`)).not.toContain(`${u}=`);
      }),
      { numRuns: 30 },
    );
  });
});
