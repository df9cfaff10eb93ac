import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines } from './helpers/outside-attack';

// Base64 of personal data as the value of a header, a multipart part or a log line, followed by a line break and
// another line, sent by an outside tester through real SDK providers with the real privacy processors and the default
// policy. Before the fix, a run of whole quads (no `=` padding) of 40 characters or more followed by a line break and
// a line starting with base64 characters (`Accept`, `ok`, `--boundary`) was read as base64 wrapped onto that line
// (MIME), did not decode as a whole, and was exported undecoded; the same value alone was masked.
const pipelines = defaultPolicyPipelines();

const SECRETS = [
  (n: number) => `{"email":"jane.doe@example.com","n":${n}}`,
  (n: number) => `password=hunter2fake and the rest of line ${n}`,
  (n: number) => `contact jane.doe@example.com about order ${n}`,
  (n: number) => `card 4111 1111 1111 1111 order ${n}`,
];
const NEXT_LINES = [
  'Accept: */*',
  'ok',
  '--boundary',
  'Content-Type: text/plain',
  '-----END-----',
  'Host: example.com',
];

/** `text` with blanks after it so its UTF-8 length is a multiple of three: base64 of whole quads, no padding. */
const wholeQuads = (text: string): string => text + ' '.repeat((3 - (Buffer.byteLength(text) % 3)) % 3);

describe('base64 followed by a line break and another line', () => {
  it('is decoded and masked, whatever the next line', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SECRETS),
        fc.integer({ min: 1, max: 99_999 }),
        fc.constantFrom('\r\n', '\n'),
        fc.constantFrom(...NEXT_LINES),
        fc.constantFrom('X-Payload: ', 'payload=', ''),
        (secret, n, lineBreak, next, before) => {
          const b64 = Buffer.from(wholeQuads(secret(n))).toString('base64');
          const value = `${before}${b64}${lineBreak}${next}`;
          for (const out of pipelines.roundTrip(value)) expect(out, value).not.toContain(b64.slice(0, 24));
        },
      ),
      { numRuns: 120 },
    );
  });

  it('keeps base64 of text without personal data, and the next line', () => {
    const b64 = Buffer.from(wholeQuads('the quick brown fox jumps over the lazy dog again')).toString('base64');
    expect(pipelines.roundTrip(`X-Payload: ${b64}\r\nAccept: */*`)).toContain(`X-Payload: ${b64}\r\nAccept: */*`);
  });
});
