import fc from 'fast-check';
import { describe, it } from 'vitest';
import { chars, edgeScanners } from './secret-edges-helpers';

// `labeled-secret` (docs/detectors.md): passwords written after statement and command words with no `=` or `:` label
// of their own (`IDENTIFIED BY '…'`, Redis's `AUTH …`, `docker login -u app -p …`, `curl -u app:…`), and labels whose
// blanks a form encoding wrote as `+` (`password+=+…`, `password+%3D+…`, `password:+"…"`). Each case is checked
// exactly («…» masked, the rest as written) through the scanner with its pre-filter on and off; the look-alikes
// (ports, options, prose) stay exactly as written.

const scan = edgeScanners(['labeled-secret']);

/**
 * A password that looks like a credential (letters, a digit, a `-`, a capital): from letters that spell no label,
 * command word or state word (no `a e i o k p s t u w`), so it is one answer only.
 */
const password = fc
  .tuple(chars('bcfhmnrvxz', 3, 8), fc.integer({ min: 0, max: 99 }), chars('BCFHMNRVXZ', 1), chars('bcfhmnrvxz', 2, 5))
  .map(([a, d, u, b]) => `${a}${d}-${u}${b}`);
/** Blanks between a command's arguments. */
const blank = fc.constantFrom(' ', '  ', '\t');
/** A command line written into a log line or error text, unchanged around it. */
const around = fc.constantFrom(
  (s: string) => s,
  (s: string) => `+ ${s}`,
  (s: string) => `$ ${s}`,
  (s: string) => `query failed: ${s}`,
  (s: string) => `step 3/7\n${s}\nexit status 1`,
  (s: string) => `${s} (exit 1)`,
);
/** Statement keywords in the case a client writes them. */
const kw = fc.constantFrom(
  (s: string) => s,
  (s: string) => s.toLowerCase(),
);

/** Each form: a function of the password, the blank and the keyword case giving the marked text. */
type Form = (pw: string, b: string, k: (s: string) => string) => string;
const STATEMENTS: Form[] = [
  (pw, b, k) => `${k('CREATE USER')} 'app'@'%' ${k('IDENTIFIED')}${b}${k('BY')}${b}'«${pw}»'`,
  (pw, b, k) => `${k('ALTER USER')} app ${k('IDENTIFIED')}${b}${k('BY')}${b}«${pw}»`,
  (pw, b, k) => `${k('ALTER USER')} app ${k('IDENTIFIED BY')} "«${pw}»"`,
  (pw, b, k) => `${k('GRANT ALL ON')} *.* ${k('TO')} 'app'@'%' ${k('IDENTIFIED BY')}${b}'«${pw}»'`,
  (pw, b, k) =>
    `${k('CREATE USER')} app ${k('IDENTIFIED')}${b}${k('WITH')}${b}sha256_password${b}${k('BY')}${b}'«${pw}»'`,
  (pw, b) => `AUTH${b}«${pw}»`,
  (pw, b) => `AUTH${b}default${b}«${pw}»`,
  (pw, b) => `HELLO 3 AUTH${b}default${b}«${pw}»${b}SETNAME worker`,
  (pw, b, k) => `${k('CONFIG SET')} requirepass${b}«${pw}»`,
  (pw, b) => `masterauth${b}«${pw}»`,
  (pw, b) => `MIGRATE host 6379 key 0 5000 AUTH${b}«${pw}»`,
  (pw, b) => `MIGRATE host 6379 "" 0 5000 AUTH2${b}app${b}«${pw}» KEYS a b`,
  (pw, b, k) => `${k('ACL SETUSER')} app on${b}>«${pw}»${b}~* +@all`,
  (pw) => `"AUTH" "«${pw}»"`,
  (pw) => `1733565600.107412 [0 127.0.0.1:60866] "AUTH" "default" "«${pw}»"`,
  (pw) => `db.changeUserPassword("app", "«${pw}»")`,
  (pw) => `db.changeUserPassword('app','«${pw}»')`,
];
const COMMANDS: Form[] = [
  (pw, b) => `docker login -u app${b}-p${b}«${pw}» registry.example.com`,
  (pw, b) => `podman login -p${b}«${pw}»${b}-u app quay.io`,
  (pw, b) => `az login -u app@example.com${b}-p${b}«${pw}»`,
  (pw, b) => `oc login https://api.example.com:6443 -u app -p${b}«${pw}»`,
  (pw, b) => `vault login${b}«${pw}»`,
  (pw, b) => `sshpass -p${b}«${pw}» ssh app@host`,
  (pw) => `sshpass -p«${pw}» ssh app@host`,
  (pw, b) => `redis-cli -h cache -p 6379 -a${b}«${pw}» ping`,
  (pw, b) => `ldapsearch -x -D cn=admin,dc=example,dc=com -w${b}«${pw}» -b dc=example,dc=com`,
  (pw, b) => `ldapmodify -D cn=admin -w${b}'«${pw}»' -f change.ldif`,
  (pw, b) => `curl -sS -u${b}app:«${pw}» https://api.example.com/v1/items`,
  (pw) => `curl --user "app:«${pw}»" https://api.example.com`,
  (pw, b) => `curl -fsSLu${b}app:«${pw}» https://api.example.com`,
  (pw, b) => `smbclient //srv/share -U${b}app%«${pw}»`,
  (pw, b) => `keytool -list -keystore ks.jks -storepass${b}«${pw}»`,
  (pw, b) => `jarsigner -keystore ks.jks -storepass «${pw}» -keypass${b}«${pw}» app.jar signer`,
  (pw, b) => `zip -r -P${b}«${pw}» out.zip dir`,
  (pw, b) => `unzip -P${b}«${pw}» out.zip`,
  (pw) => `mysql -u root -p«${pw}» orders`,
  (pw) => `mysqldump -u root -p'«${pw}»' orders`,
  (pw) => `7z a -p«${pw}» -mhe=on out.7z dir`,
  (pw) => `7za x -p'«${pw}»' out.7z`,
  (pw, b) => `echo "app:«${pw}»"${b}|${b}chpasswd`,
  (pw) => `echo app:«${pw}» | sudo chpasswd`,
  (pw) => `printf 'app:«${pw}»\\n' | chpasswd -c SHA512`,
  (pw, b) => `rabbitmqctl change_password app${b}«${pw}»`,
  (pw, b) => `rabbitmqctl add_user app${b}«${pw}»`,
  (pw, b) => `net user app${b}«${pw}» /add`,
  (pw, b) => `htpasswd -b /etc/nginx/.htpasswd app${b}«${pw}»`,
  (pw, b) => `htpasswd -nbB app${b}«${pw}»`,
  (pw, b) => `sqlcmd -S db.example.com -U sa -P${b}«${pw}» -Q "SELECT 1"`,
  (pw, b) => `mongosh "mongodb://db.example.com/admin" -u app -p${b}«${pw}»`,
  (pw, b) => `mongodump --host db -u app -p${b}'«${pw}»' --out /backup`,
];

describe('labeled-secret: passwords after statement and command words', () => {
  it('statements (SQL `IDENTIFIED BY`, Redis `AUTH`, `requirepass`, `ACL SETUSER`, MongoDB): the password only', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STATEMENTS), password, blank, kw, around, (form, pw, b, k, wrap) =>
        scan.marked(wrap(form(pw, b, k))),
      ),
    );
  });

  it('command lines (`docker login -p`, `curl -u app:…`, `sshpass -p`, …): the password only', () => {
    fc.assert(
      fc.property(fc.constantFrom(...COMMANDS), password, blank, around, (form, pw, b, wrap) =>
        scan.marked(wrap(form(pw, b, (s) => s))),
      ),
    );
  });

  it('each command word in upper and mixed case (its one pre-filter trigger: a letter of the word)', () => {
    for (const marked of [
      'CURL -u app:«hunter2-Fake-9x»',
      'LDAPSEARCH -w «hunter2-Fake-9x»',
      'ZIP -P «hunter2-Fake-9x» a.zip',
      'MYSQL -p«hunter2-Fake-9x»',
      'SQLCMD -P «hunter2-Fake-9x»',
      'MONGOSH -p «hunter2-Fake-9x»',
      'NET USER app «hunter2-Fake-9x» /add',
      'RABBITMQCTL add_user app «hunter2-Fake-9x»',
      'REDIS-CLI -a «hunter2-Fake-9x»',
      'SMBCLIENT -U app%«hunter2-Fake-9x»',
      'DOCKER LOGIN -p «hunter2-Fake-9x»',
      'Docker Login -p «hunter2-Fake-9x»',
      'acl setuser app >«hunter2-Fake-9x»',
      'Identified By «hunter2-Fake-9x»',
      'IDENTIFIED BY «hunter2-Fake-9x»',
      'MasterAuth «hunter2-Fake-9x»',
      '7Z a -p«hunter2-Fake-9x» out.7z',
    ])
      scan.marked(marked);
  });

  it('ports, options, prompts, placeholders and prose stay as written', () => {
    for (const text of [
      'docker run -p 8080:80 nginx',
      'docker run -d -p 127.0.0.1:8080:80 --name web nginx:1.27',
      'ssh -p 2222 app@host',
      'redis-cli -h cache.internal -p 6379 ping',
      'redis-cli -a $REDIS_PASSWORD ping',
      'zip -r out.zip dir',
      'zip -q -9 out.zip a.txt',
      'curl -u app https://api.example.com',
      'curl -fsSL https://get.example.com/install.sh',
      'curl -u app: https://api.example.com',
      'curl -u app:$API_PASSWORD https://api.example.com',
      'curl -sS -o out.json https://api.example.com/v1/items',
      'AUTH failed',
      'AUTH failed: invalid username-password pair',
      'AUTH default',
      'auth service returned 503',
      'auth user jane2 logged in',
      'ERR AUTH <password> called without any password configured',
      'NOAUTH Authentication required.',
      'docker login registry.example.com',
      'docker login -u app --password-stdin registry.example.com',
      'Login Succeeded',
      'mysql -u root -p orders',
      'mysql -h db -P 3306 -u app orders',
      'net user jane /delete',
      'net user app * /add',
      'vault login -method=github',
      'sshpass -e ssh app@host',
      'keytool -list -storepass:env STOREPASS -keystore ks.jks',
      'ACL SETUSER app on ~* +@all',
      'CREATE USER app IDENTIFIED EXTERNALLY',
      'the user is identified by name',
      'CREATE USER app IDENTIFIED BY ?',
      'rabbitmqctl list_users',
      'rabbitmqctl change_password app',
      'ldapsearch -x -H ldap://ldap.example.com -b dc=example,dc=com',
      'password is required',
      'token expired',
      'the password field',
      'bypass=cache',
      'gzip -9 out.tar',
      '7z a -p out.7z dir',
      'echo "users updated" | chpasswd -e',
      'chpasswd < users.txt',
      '7z x out.7z -o/tmp/out',
      'unzip -o out.zip -d dir',
      'htpasswd -c /etc/nginx/.htpasswd app',
      'mongosh --port 27017 -u app -p',
      'sqlcmd -S db -E -Q "SELECT 1"',
      'htpasswd -D /etc/nginx/.htpasswd app',
    ])
      scan.kept(text);
  });
});

describe('labeled-secret: form-encoded blanks (`+`) around the separator', () => {
  it('`password+=+…`, `password+%3D+…`, `api_key+=+…`, `password:+"…"`: the value only', () => {
    const forms: ((pw: string) => string)[] = [
      (pw) => `password+=«+${pw}»`,
      (pw) => `password+%3D«+${pw}»`,
      (pw) => `password+%3D«%20${pw}»`,
      (pw) => `body=password+%3D«+${pw}»&lang=en`,
      (pw) => `config=host+%3D+db%0Apassword+%3D«+${pw}»`,
      (pw) => `ini=%5Bdb%5D%0Apassword+%3D«+${pw}»`,
      (pw) => `api_key+=«+Zx9${pw}»`,
      (pw) => `secret+%3D«+Zx9${pw}»`,
      (pw) => `password:+"«${pw}»"`,
      (pw) => `password%3A«+%22${pw}%22»`,
      (pw) => `password%3A«+${pw}»`,
      (pw) => `token%3D«+Zx9${pw}»`,
      (pw) => `DB_PASSWORD++=«++${pw}»`,
    ];
    fc.assert(
      fc.property(fc.constantFrom(...forms), password, around, (form, pw, wrap) => scan.marked(wrap(form(pw)))),
    );
  });

  it('form text with `+` blanks but no label value stays as written', () => {
    for (const text of [
      'q=password+reset+help',
      'password+=+',
      'msg=token+expired',
      'password+is+required',
      'password++',
      'a=1+%3D+2',
    ])
      scan.kept(text);
  });
});
