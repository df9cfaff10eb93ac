import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines, exportedThrough } from './helpers/outside-attack';
import type { TextField } from './helpers/outside-attack';

// Passwords after words that are labels only in their statement or tool (round 18 of the outside attack): SQL's
// `IDENTIFIED BY '…'`, Redis's `AUTH [user] …`, `CONFIG SET requirepass …`, `ACL SETUSER app on >…`, MongoDB's
// `db.changeUserPassword("app", "…")`, and command lines written to CI logs with `set -x` (`docker login -u app -p …`,
// `sshpass -p …`, `redis-cli -a …`, `curl -u app:…`, `smbclient -U app%…`, `zip -P …`, `net user app … /add`); and
// labels whose blanks a form encoding wrote as `+` (`password+=+…`, `password+%3D+…`, `password:+"…"`). Sent by an
// outside tester through real SDK providers with the real privacy processors and the DEFAULT policy, in every free-text
// field it keeps (a log body, `error.type`, a span name, an event name). Each was exported whole before its fix.
// Ordinary command lines and log lines that hold no password are exported as written.
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

type Form = (pw: string, k: (s: string) => string) => string;
const FORMS: readonly Form[] = [
  (pw, k) => `${k('CREATE USER')} 'app'@'%' ${k('IDENTIFIED BY')} '${pw}'`,
  (pw, k) => `${k('ALTER USER')} app ${k('IDENTIFIED BY')} ${pw}`,
  (pw, k) => `${k('CREATE USER')} app ${k('IDENTIFIED WITH')} sha256_password ${k('BY')} '${pw}'`,
  (pw) => `AUTH ${pw}`,
  (pw) => `AUTH default ${pw}`,
  (pw) => `HELLO 3 AUTH default ${pw}`,
  (pw, k) => `${k('CONFIG SET')} requirepass ${pw}`,
  (pw) => `MIGRATE host 6379 key 0 5000 AUTH ${pw}`,
  (pw, k) => `${k('ACL SETUSER')} app on >${pw} ~* +@all`,
  (pw) => `db.changeUserPassword("app", "${pw}")`,
  (pw) => `docker login -u app -p ${pw} registry.example.com`,
  (pw) => `az login -u app -p ${pw}`,
  (pw) => `vault login ${pw}`,
  (pw) => `sshpass -p ${pw} ssh app@host`,
  (pw) => `redis-cli -h cache -p 6379 -a ${pw} ping`,
  (pw) => `ldapsearch -x -D cn=admin -w ${pw}`,
  (pw) => `curl -u app:${pw} https://api.example.com`,
  (pw) => `smbclient //srv/share -U app%${pw}`,
  (pw) => `keytool -storepass ${pw} -list`,
  (pw) => `zip -P ${pw} out.zip a.txt`,
  (pw) => `7z a -p${pw} out.7z a.txt`,
  (pw) => `echo "app:${pw}" | chpasswd`,
  (pw) => `mysql -u root -p'${pw}' orders`,
  (pw) => `rabbitmqctl change_password app ${pw}`,
  (pw) => `net user app ${pw} /add`,
  (pw) => `htpasswd -b /etc/nginx/.htpasswd app ${pw}`,
  (pw) => `sqlcmd -S db -U sa -P ${pw} -Q "SELECT 1"`,
  (pw) => `mongosh -u app -p ${pw} --authenticationDatabase admin`,
];
/** Statement keywords as written (or lower case); tools are lower case. */
const CASES: readonly ((s: string) => string)[] = [(s) => s, (s) => s.toLowerCase()];
/** Where the line is written: as is, a `set -x` trace, an error, a JSON member, a YAML value, a log line, XML. */
const WRAPPERS: readonly ((m: string) => string)[] = [
  (m) => m,
  (m) => `+ ${m}`,
  (m) => `query failed: ${m}`,
  (m) => JSON.stringify({ level: 'error', cmd: m }),
  (m) => `cmd: ${m}`,
  (m) => `2026-12-07T09:00:00Z ERROR runner: ${m}`,
  (m) => `step 3\n${m}\nexit status 1`,
];

describe('a password after a statement or command word', () => {
  it('is masked in every kept free-text field, whatever the wrapper and keyword case', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FORMS),
        password,
        fc.constantFrom(...CASES),
        fc.constantFrom(...WRAPPERS),
        fc.constantFrom(...FIELDS),
        (form, pw, cased, wrap, field) => {
          const text = wrap(form(pw, cased));
          for (const value of exported(field, text))
            expect(value, `${field}: ${JSON.stringify(text)}`).not.toContain(pw);
        },
      ),
      { numRuns: 300 },
    );
  });
});

const FORM_LABELS = ['password', 'passwd', 'DB_PASSWORD', 'api_key', 'secret', 'token'];
const FORM_SEPARATORS = ['+=+', '+%3D+', '+%3D%20', '%3D+', '++=++', '+%3d+', '%3A+', '+:+'];
const FORM_WRAPPERS: readonly ((m: string) => string)[] = [
  (m) => m,
  (m) => `body=${m}&lang=en`,
  (m) => `config=host+%3D+db%0A${m}`,
  (m) => `POST /settings body: ${m}`,
];

describe('a label whose blanks a form encoding wrote as `+`', () => {
  it('has its value masked (`password+=+…`, `password+%3D+…`, `password:+"…"`)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FORM_LABELS),
        fc.constantFrom(...FORM_SEPARATORS),
        password,
        fc.boolean(),
        fc.constantFrom(...FORM_WRAPPERS),
        fc.constantFrom<TextField>('log body', 'error.type'),
        (label, sep, pw, quoted, wrap, field) => {
          const value = `Zx9${pw}`;
          const text = wrap(`${label}${sep}${quoted ? `"${value}"` : value}`);
          for (const v of exported(field, text)) expect(v, `${field}: ${JSON.stringify(text)}`).not.toContain(pw);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('look-alikes: ordinary command and log lines', () => {
  it('are exported as written', () => {
    for (const text of [
      'docker run -p 8080:80 nginx',
      'ssh -p 2222 app@host',
      'redis-cli -h cache.internal -p 6379 ping',
      'zip -r out.zip dir',
      'curl -u app https://api.example.com',
      'AUTH failed',
      'auth service returned 503',
      'ERR AUTH <password> called without any password configured',
      'NOAUTH Authentication required.',
      'docker login registry.example.com',
      'Login Succeeded',
      'mysql -u root -p orders',
      'net user jane /delete',
      'vault login -method=github',
      'ACL SETUSER app on ~* +@all',
      'the user is identified by name',
      'password is required',
      'token expired',
      'the password field',
      'bypass=cache',
      'q=password+reset+help',
      'msg=token+expired',
    ])
      for (const field of ['log body', 'error.type'] as const)
        expect(exported(field, text), `${field}: ${JSON.stringify(text)}`).toContain(text);
  });
});
