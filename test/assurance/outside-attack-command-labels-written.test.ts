import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines, exportedThrough } from './helpers/outside-attack';
import type { TextField } from './helpers/outside-attack';

// The listed tools' passwords written another way (round 18b of the outside attack, blind to our tests): glued to
// the flag (`docker login -u app -p…`, `zip -e -P…`, `mariadb -p…`), the tool as a Windows `.exe` (`docker.exe login`,
// `curl.exe -u app:…`), argument lists (`["docker","login","-u","app","-p","…"]`, `['docker', 'login', '-p', '…']`,
// a YAML list), `redis-cli --pass …`, (not listed before) `psexec`/`beeline`/`usermod`/`useradd -p`, `mosquitto_pub -P`, `valkey-cli -a`, `keydb-cli -a`, `net user /add app …`, `rabbitmqadmin -p …`;
// PowerShell's `ConvertTo-SecureString '…' -AsPlainText -Force` (also in `New-LocalUser -Password (…)`); free-text
// SQL `SET PASSWORD FOR … = PASSWORD('…')`, `ALTER LOGIN sa WITH PASSWORD = N'…'`, `IDENTIFIED BY VALUES '…'`; form
// fields `password[]=…`, `password%5B%5D=…`, `user%5Bpassword%5D+=+…`. Sent through real SDK providers with the real
// privacy processors and the DEFAULT policy in every kept free-text field; each was exported whole before its fix.
const pipelines = defaultPolicyPipelines();
const FIELDS: readonly TextField[] = ['log body', 'error.type', 'span name', 'event name'];
const exported = (field: TextField, text: string): string[] => exportedThrough(pipelines, field, text);

const LETTERS = 'bcfhmnrvxz';
const word = (min: number, max: number, alphabet = LETTERS) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max });
/** A password like `hunter2-Fake-9x`: letters, a digit, a `-`, a capital, letters. */
const password = fc
  .tuple(word(3, 8), fc.integer({ min: 0, max: 99 }), word(1, 1, 'BCFHMNRVXZ'), word(2, 5))
  .map(([a, d, u, b]) => `${a}${d}-${u}${b}9x`);

/** Each form of the password given a tool name transformation (`.exe`, upper case). */
type Form = (pw: string, t: (s: string) => string) => string;
const FORMS: readonly Form[] = [
  (pw, t) => `${t('docker')} login -u app -p${pw} registry.example.com`,
  (pw, t) => `${t('docker')} login -u app -p ${pw}`,
  (pw, t) => `${t('curl')} -u app:${pw} https://api.example.com`,
  (pw, t) => `${t('mariadb')} -u root -p${pw} orders`,
  (pw, t) => `${t('zip')} -e -P${pw} out.zip a.txt`,
  (pw, t) => `${t('redis-cli')} --pass ${pw}`,
  (pw, t) => `${t('redis-cli')} --user app --pass ${pw}`,
  (pw, t) => `${t('valkey-cli')} -a ${pw}`,
  (pw, t) => `${t('keydb-cli')} -a ${pw}`,
  (pw, t) => `${t('rabbitmqadmin')} -u app -p ${pw} list queues`,
  (pw, t) => `${t('psexec')} -u app -p ${pw} cmd`,
  (pw, t) => `${t('mosquitto_pub')} -u app -P ${pw} -t t -m x`,
  (pw, t) => `${t('useradd')} -p ${pw} app`,
  (pw, t) => `${t('beeline')} -n app -p ${pw}`,
  (pw, t) => `${t('isql')} -U sa -P ${pw}`,
  (pw) => `net user /add app ${pw}`,
  (pw) => `["docker","login","-u","app","-p","${pw}"]`,
  (pw) => `['docker', 'login', '-p', '${pw}']`,
  (pw) => `args: [docker, login, -p, ${pw}]`,
  (pw) => `- docker\n- login\n- -p\n- ${pw}`,
  (pw) => `New-LocalUser app -Password (ConvertTo-SecureString '${pw}' -AsPlainText -Force)`,
  (pw) => `ConvertTo-SecureString -String "${pw}" -AsPlainText -Force`,
  (pw) => `Set-ADAccountPassword app -NewPassword (ConvertTo-SecureString -AsPlainText '${pw}' -Force)`,
  (pw) => `SET PASSWORD FOR 'app'@'%' = PASSWORD('${pw}')`,
  (pw) => `ALTER LOGIN sa WITH PASSWORD = N'${pw}'`,
  (pw) => `ALTER USER app IDENTIFIED BY VALUES '${pw}'`,
  (pw) => `CONNECT TO sample USER app USING '${pw}'`,
  (pw) => `CONNECT TO sample USER app USING ${pw}`,
  (pw) => `password[]=${pw}`,
  (pw) => `password%5B%5D=${pw}`,
  (pw) => `user%5Bpassword%5D+=+${pw}`,
];
const TOOLS: readonly ((s: string) => string)[] = [(s) => s, (s) => `${s}.exe`, (s) => s.toUpperCase()];
/** Where the line is written: as is, a `set -x` trace, an error, a JSON member, a YAML value, a log line. */
const WRAPPERS: readonly ((m: string) => string)[] = [
  (m) => m,
  (m) => `+ ${m}`,
  (m) => `query failed: ${m}`,
  (m) => JSON.stringify({ level: 'error', cmd: m }),
  (m) => `cmd: ${m}`,
  (m) => `2026-12-07T09:00:00Z ERROR runner: ${m}`,
  (m) => `step 3\n${m}\nexit status 1`,
];

describe("a listed tool's password written another way", () => {
  it("is masked in every kept free-text field, whatever the wrapper and the tool name's form", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FORMS),
        password,
        fc.constantFrom(...TOOLS),
        fc.constantFrom(...WRAPPERS),
        fc.constantFrom(...FIELDS),
        (form, pw, t, wrap, field) => {
          const text = wrap(form(pw, t));
          for (const value of exported(field, text))
            expect(value, `${field}: ${JSON.stringify(text)}`).not.toContain(pw);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('look-alikes: ordinary command lines, lists and prose', () => {
  it('are exported as written', () => {
    for (const text of [
      'docker.exe run -p 8080:80 nginx',
      'docker login -u app --password-stdin',
      'mariadb -u root -p orders',
      'zip -e out.zip a.txt',
      'valkey-cli -h cache -p 6379 ping',
      'rabbitmqadmin list queues',
      'net user /domain',
      '["docker","run","-p","8080:80","nginx"]',
      '- docker\n- run\n- -p\n- 8080:80',
      '$p = ConvertTo-SecureString $encrypted',
      'ALTER LOGIN sa ENABLE',
      'failed to connect to db: connection refused',
      'CONNECT TO sample USER app',
      'password is required',
      'token expired',
      'the password field',
      'bypass=cache',
    ])
      for (const field of ['log body', 'error.type'] as const)
        expect(exported(field, text), `${field}: ${JSON.stringify(text)}`).toContain(text);
  });
});
