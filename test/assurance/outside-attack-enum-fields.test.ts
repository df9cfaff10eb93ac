import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { definePolicy } from '../../index';
import { privacyPipelines } from './helpers/outside-attack';

// A log record's `severityNumber` is an enum (0 to 24) the application writes. An outside tester writes a card number,
// a phone number or an e-mail address there instead (JavaScript callers are not held to the type). Real SDK providers
// with the privacy processors; the OTLP/JSON request is read: the written value must not be in it.
const policy = definePolicy({ version: 1, attributes: { allow: ['app.*'] }, values: { detectors: 'all' } });
const { loggerProvider, exportedJson } = privacyPipelines(policy);
const logger = loggerProvider.getLogger('enum-fields');

const attack = fc.oneof(
  // card-valid and phone-like numbers, as numbers and as strings
  fc
    .constantFrom(4111111111111111, 5555555555554444, 2025550143, 15555550123)
    .chain((n) => fc.constantFrom<unknown>(n, String(n), n + 0.5, -n)),
  fc.stringMatching(/^[a-z]{3,8}$/).map((u) => `${u}@example.com`),
);

describe('a log record severityNumber that is not a severity', () => {
  it('is not exported', () => {
    fc.assert(
      fc.property(attack, (value) => {
        logger.emit({ body: 'event', severityNumber: value as number });
        const json = exportedJson();
        const written = String(value).replace(/^-/, '').split('.')[0];
        expect(json, String(value)).not.toContain(written);
      }),
      { numRuns: 60 },
    );
  });
});
