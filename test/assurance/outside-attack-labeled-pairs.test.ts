import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines } from './helpers/outside-attack';

// The fifth outside attack round's credential labels written as data, through real SDK providers with the privacy
// processors and the DEFAULT policy (log bodies kept and scanned): the label as the name of a name/value pair
// (Kubernetes and ECS environment variables, jQuery's serializeArray, CloudFormation parameters) in compact, pretty
// and escaped JSON, in YAML and as an HTML form field, and a YAML value on the line after its label. No secret may survive in any exported
// string; look-alikes (labels that end no identifier, placeholders, state words) are exported as written.
const { loggerProvider, exportedJson } = defaultPolicyPipelines();

/** Emits `text` as a log body; returns the exported body. */
function exportedBody(text: string): string {
  loggerProvider.getLogger('attack').emit({ body: text });
  const logs = JSON.parse(exportedJson().split('\n')[1]) as {
    resourceLogs: { scopeLogs: { logRecords: { body?: { stringValue?: string } }[] }[] }[];
  };
  const records = logs.resourceLogs.flatMap((r) => r.scopeLogs.flatMap((s) => s.logRecords));
  expect(records).toHaveLength(1);
  return records[0].body?.stringValue ?? '';
}

const label = fc.constantFrom(
  'password',
  'DB_PASSWORD',
  'dbPassword',
  'smtp-passwd',
  'API_KEY',
  'client_secret',
  'STRIPE_SECRET_KEY',
  'AUTH_TOKEN',
  'access_token',
);
/** Fake secrets that look random (letters and a digit, 10-24 characters). */
const secret = fc
  .tuple(fc.stringMatching(/^[A-Za-z]{6,16}$/), fc.integer({ min: 10, max: 9999 }), fc.stringMatching(/^[a-z]{2,4}$/))
  .map(([a, n, b]) => `${a}${n}${b}`);
const nameKey = fc.constantFrom('name', 'Name', 'key', 'Key', 'ParameterKey');
const valueKey = fc.constantFrom('value', 'Value', 'ParameterValue', 'secretValue');

/** How the pair, or the label and its value, is written. */
const writings = fc.constantFrom(
  (n: string, l: string, v: string, k: string) => JSON.stringify({ [n]: l, [k]: v }),
  (n: string, l: string, v: string, k: string) => JSON.stringify([{ [n]: l, [k]: v }], null, 2),
  (n: string, l: string, v: string, k: string) => JSON.stringify({ env: JSON.stringify({ [n]: l, [k]: v }) }),
  (n: string, l: string, v: string, k: string) => `env:\n- ${n}: ${l}\n  ${k}: ${v}\n`,
  (n: string, l: string, v: string, k: string) => `{'${n}': '${l}', '${k}': '${v}'}`,
  (_n: string, l: string, v: string) => `<input type="text" name="${l}" value="${v}">`,
  (_n: string, l: string, v: string) => `db:\n  ${l}:\n    ${v}\n`,
  (_n: string, l: string, v: string) => JSON.stringify({ config: `${l}:\n  ${v}` }),
);

describe('outside attack round 5: credential labels written as data', () => {
  it('the value of a name/value pair named by a credential label, and a YAML value on the next line, are masked', () => {
    fc.assert(
      fc.property(label, secret, nameKey, valueKey, writings, (l, v, n, k, write) => {
        const text = write(n, l, v, k);
        const body = exportedBody(text);
        expect(body, `${JSON.stringify(text)} → ${JSON.stringify(body)}`).not.toContain(v);
      }),
      { numRuns: 200 },
    );
  });

  it('look-alikes are exported as written', () => {
    for (const text of [
      '{"name":"password_policy","value":"strict"}',
      '{"name":"max_tokens","value":"512"}',
      '{"name":"DB_PASSWORD","value":"${DB_PASSWORD}"}',
      '{"name":"token","value":"expired"}',
      '{"name":"session_timeout","value":"30m"}',
      '- name: LOG_LEVEL\n  value: debug',
      'reset password\n  Please try again',
      'token:\n  expired',
      '<input name="password_confirm" type="password">',
      'the password value=ok',
    ])
      expect(exportedBody(text)).toBe(text);
  });
});
