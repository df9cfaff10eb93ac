import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate authority created by {@link TestPki.createCa}. */
export interface TestCertificateAuthority {
  /** Short name used for file names. */
  readonly name: string;
  /** Path of the PEM certificate. */
  readonly certPath: string;
  /** Path of the PEM private key. */
  readonly keyPath: string;
  /** PEM certificate text. */
  readonly certPem: string;
}

/** A leaf certificate issued by {@link TestPki.issue}. */
export interface TestCertificate {
  /** Short name used for file names. */
  readonly name: string;
  /** Path of the PEM certificate. */
  readonly certPath: string;
  /** Path of the PEM private key. */
  readonly keyPath: string;
  /** PEM certificate text. */
  readonly certPem: string;
  /** PEM private key text. */
  readonly keyPem: string;
  /** `sha256/<base64>` SPKI pin, computed with the openssl CLI (independently of the code under test). */
  readonly pin: string;
}

/** Options for {@link TestPki.issue}. */
export interface IssueOptions {
  /** Short name used for file names; must be unique within the PKI. */
  readonly name: string;
  /** Subject common name (default: `name`). */
  readonly commonName?: string;
  /** `server` adds serverAuth and the SAN list, `client` adds clientAuth. */
  readonly usage: 'server' | 'client';
  /** Subject alternative names (default for servers: `DNS:localhost,IP:127.0.0.1`). */
  readonly subjectAltNames?: readonly string[];
  /** Validity start as `YYYYMMDDHHMMSSZ` (default: one day ago). */
  readonly notBefore?: string;
  /** Validity end as `YYYYMMDDHHMMSSZ` (default: thirty days from now). */
  readonly notAfter?: string;
}

/** Formats a date as the `YYYYMMDDHHMMSSZ` form `openssl ca` expects. */
export function opensslDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

const DAY = 86_400_000;

/**
 * A throw-away public key infrastructure in a temporary directory, generated at test time with the `openssl` CLI
 * (EC P-256 keys). Nothing here is ever committed; call {@link TestPki.cleanup} when done.
 */
export class TestPki {
  /** Temporary directory holding every key and certificate. */
  readonly dir: string;
  // random start (as real CAs use random serials): test files share the CAs of the run's standard PKI and issue
  // more certificates from them, and a CRL revoking one of those must not revoke a shared certificate as well
  private serial = randomBytes(4).readUInt32BE() * 0x100 + 0x1000;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Creates an empty PKI in a fresh temporary directory. */
  static create(): TestPki {
    return new TestPki(mkdtempSync(join(tmpdir(), 'otel-privacy-pki-')));
  }

  /** Creates a self-signed certificate authority. */
  createCa(name: string): TestCertificateAuthority {
    const keyPath = join(this.dir, `${name}.key`);
    const certPath = join(this.dir, `${name}.crt`);
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', keyPath]);
    openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      keyPath,
      '-sha256',
      '-days',
      '30',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      certPath,
    ]);
    return { name, keyPath, certPath, certPem: readFileSync(certPath, 'utf8') };
  }

  /** Issues a leaf certificate signed by `ca`, with explicit validity dates when given. */
  issue(ca: TestCertificateAuthority, options: IssueOptions): TestCertificate {
    const { name, usage } = options;
    const keyPath = join(this.dir, `${name}.key`);
    const csrPath = join(this.dir, `${name}.csr`);
    const certPath = join(this.dir, `${name}.crt`);
    const extPath = join(this.dir, `${name}.ext`);
    const caDir = join(this.dir, `ca-db-${name}`);
    mkdirSync(join(caDir, 'new'), { recursive: true });
    writeFileSync(join(caDir, 'index.txt'), '');
    writeFileSync(join(caDir, 'serial'), `${hexSerial(this.serial++)}\n`);
    const configPath = join(caDir, 'ca.cnf');
    writeFileSync(
      configPath,
      [
        '[ca]',
        'default_ca = test_ca',
        '[test_ca]',
        `dir = ${caDir}`,
        'database = $dir/index.txt',
        'serial = $dir/serial',
        'new_certs_dir = $dir/new',
        'default_md = sha256',
        'policy = any_policy',
        'unique_subject = no',
        'copy_extensions = none',
        '[any_policy]',
        'commonName = supplied',
        '',
      ].join('\n'),
    );
    const sans = options.subjectAltNames ?? (usage === 'server' ? ['DNS:localhost', 'IP:127.0.0.1'] : []);
    const ext = [
      'basicConstraints = critical,CA:FALSE',
      'keyUsage = critical,digitalSignature',
      `extendedKeyUsage = ${usage === 'server' ? 'serverAuth' : 'clientAuth'}`,
    ];
    if (sans.length > 0) ext.push(`subjectAltName = ${sans.join(',')}`);
    writeFileSync(extPath, `${ext.join('\n')}\n`);
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', keyPath]);
    openssl(['req', '-new', '-key', keyPath, '-subj', `/CN=${options.commonName ?? name}`, '-out', csrPath]);
    const now = Date.now();
    openssl([
      'ca',
      '-batch',
      '-notext',
      '-config',
      configPath,
      '-cert',
      ca.certPath,
      '-keyfile',
      ca.keyPath,
      '-in',
      csrPath,
      '-out',
      certPath,
      '-extfile',
      extPath,
      '-startdate',
      options.notBefore ?? opensslDate(new Date(now - DAY)),
      '-enddate',
      options.notAfter ?? opensslDate(new Date(now + 30 * DAY)),
    ]);
    return {
      name,
      keyPath,
      certPath,
      certPem: readFileSync(certPath, 'utf8'),
      keyPem: readFileSync(keyPath, 'utf8'),
      pin: `sha256/${spkiDigest(certPath)}`,
    };
  }

  /**
   * Makes a certificate revocation list signed by `ca` that revokes `revoked` (none: an empty, valid CRL), with the
   * openssl CLI at test time. `lastUpdate`/`nextUpdate` (`YYYYMMDDHHMMSSZ`) default to now and one day from now.
   */
  createCrl(
    ca: TestCertificateAuthority,
    name: string,
    revoked: readonly TestCertificate[],
    options: { lastUpdate?: string; nextUpdate?: string } = {},
  ): { readonly path: string; readonly pem: string } {
    const dbDir = join(this.dir, `crl-db-${name}`);
    mkdirSync(dbDir, { recursive: true });
    writeFileSync(join(dbDir, 'index.txt'), '');
    writeFileSync(join(dbDir, 'crlnumber'), '01\n');
    const configPath = join(dbDir, 'ca.cnf');
    writeFileSync(
      configPath,
      [
        '[ca]',
        'default_ca = crl_ca',
        '[crl_ca]',
        `database = ${dbDir}/index.txt`,
        `crlnumber = ${dbDir}/crlnumber`,
        'default_md = sha256',
        '',
      ].join('\n'),
    );
    const signer = ['-config', configPath, '-keyfile', ca.keyPath, '-cert', ca.certPath];
    for (const certificate of revoked) openssl(['ca', ...signer, '-revoke', certificate.certPath]);
    const path = join(this.dir, `${name}.crl`);
    const now = Date.now();
    openssl([
      'ca',
      ...signer,
      '-gencrl',
      '-crl_lastupdate',
      options.lastUpdate ?? opensslDate(new Date(now - 60_000)),
      '-crl_nextupdate',
      options.nextUpdate ?? opensslDate(new Date(now + DAY)),
      '-out',
      path,
    ]);
    return { path, pem: readFileSync(path, 'utf8') };
  }

  /** Removes the temporary directory. */
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A serial number as the even number of hex digits `openssl ca` reads. */
function hexSerial(serial: number): string {
  const hex = serial.toString(16);
  return hex.length % 2 === 0 ? hex : `0${hex}`;
}

function openssl(args: string[], input?: Buffer): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** The `sha256/<base64>` SPKI pin of a PEM certificate file, computed with the openssl CLI. */
export function spkiPinOf(certPath: string): string {
  return `sha256/${spkiDigest(certPath)}`;
}

function spkiDigest(certPath: string): string {
  const pubPem = openssl(['x509', '-in', certPath, '-noout', '-pubkey']);
  const der = openssl(['pkey', '-pubin', '-outform', 'DER'], pubPem);
  return openssl(['dgst', '-sha256', '-binary'], der).toString('base64');
}

/** The certificates most exporter tests need, created in one call. */
export interface StandardPki {
  /** The PKI holding all files. */
  readonly pki: TestPki;
  /** CA trusted by client and receiver. */
  readonly ca: TestCertificateAuthority;
  /** A second, unrelated CA (for "wrong CA" cases). */
  readonly otherCa: TestCertificateAuthority;
  /** Valid server certificate for localhost/127.0.0.1, issued by `ca`. */
  readonly server: TestCertificate;
  /** Server certificate issued by `otherCa`. */
  readonly serverFromOtherCa: TestCertificate;
  /** Server certificate issued by `ca` that expired yesterday. */
  readonly expiredServer: TestCertificate;
  /** Valid client certificate issued by `ca` (CN `client-a`). */
  readonly client: TestCertificate;
  /** A second valid client certificate issued by `ca` (CN `client-b`), for rotation. */
  readonly rotatedClient: TestCertificate;
}

/** The certificates of a {@link StandardPki} without the PKI object: what the vitest global setup shares. */
export type StandardCertificates = Omit<StandardPki, 'pki'>;

/**
 * Environment variable naming the JSON file of the run's shared {@link StandardCertificates}. The vitest global setup
 * (`test/global-setup.ts`) generates them once per run (at test time, in a temporary directory it removes at the end)
 * and `test/setup-shared-fixtures.ts` sets this variable in every test process; elsewhere (scripts, benchmarks) it is
 * unset and every call generates its own.
 */
export const SHARED_PKI_ENV = 'TEST_SHARED_PKI_FILE';

/** Generates the certificates of a {@link StandardPki} into `pki`. */
export function issueStandardCertificates(pki: TestPki): StandardCertificates {
  const ca = pki.createCa('test-ca');
  const otherCa = pki.createCa('other-ca');
  const now = Date.now();
  return {
    ca,
    otherCa,
    server: pki.issue(ca, { name: 'server', usage: 'server' }),
    serverFromOtherCa: pki.issue(otherCa, { name: 'server-other-ca', usage: 'server' }),
    expiredServer: pki.issue(ca, {
      name: 'server-expired',
      usage: 'server',
      notBefore: opensslDate(new Date(now - 10 * DAY)),
      notAfter: opensslDate(new Date(now - DAY)),
    }),
    client: pki.issue(ca, { name: 'client-a', usage: 'client' }),
    rotatedClient: pki.issue(ca, { name: 'client-b', usage: 'client' }),
  };
}

/**
 * Creates {@link StandardPki}: two CAs, valid/expired/foreign server certificates and two client certificates.
 *
 * Under vitest the certificates are the run's shared ones (generated once by the global setup: 34 openssl runs per
 * set, which every TLS test file used to repeat), read-only; `pki` is a fresh, empty PKI of the calling file, whose
 * `issue` and `createCrl` sign with the shared CAs into the file's own directory, and whose `cleanup` removes only
 * that directory. Elsewhere every call generates a new set.
 */
export function createStandardPki(): StandardPki {
  const pki = TestPki.create();
  const shared = process.env[SHARED_PKI_ENV];
  if (shared) return { pki, ...(JSON.parse(readFileSync(shared, 'utf8')) as StandardCertificates) };
  return { pki, ...issueStandardCertificates(pki) };
}
