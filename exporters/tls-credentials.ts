import { printOnlySummary } from '../engine/inspect-summary';
import { keyPathForError } from '../engine/crypto/key-material';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkServerIdentity, createSecureContext } from 'node:tls';
import type { PeerCertificate } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { chainMatchesPins, chainPins } from './certificate-pins';
import { OnceLogger } from './exporter-logger';
import type { ExporterLogger } from './exporter-logger';
import type { ResolvedTlsSources } from './exporter-config';
import { PIN_MISMATCH_MESSAGE } from './handshake-diagnostics';
import { SecureExportConfigError } from './secure-export-config-error';
import type { PemSource } from './secure-exporter-options';
import type { TlsProtocolSettings } from './tls-options';

const DAY_MILLIS = 86_400_000;

interface LoadedMaterial {
  readonly ca: Buffer | undefined;
  readonly cert: Buffer | undefined;
  readonly key: Buffer | undefined;
  /** Certificate revocation lists (PEM), one per source. */
  readonly crl: Buffer[];
  /** SHA-256 over all material, to notice changes without keeping copies around. */
  readonly fingerprint: string;
}

/** True when a {@link PemSource} is inline PEM rather than a file path. */
export function isInlinePem(source: PemSource): boolean {
  return Buffer.isBuffer(source) || source.includes('-----BEGIN');
}

function readSource(source: PemSource | undefined, what: string): Buffer | undefined {
  if (source === undefined) return undefined;
  if (Buffer.isBuffer(source)) return source;
  if (isInlinePem(source)) return Buffer.from(source, 'utf8');
  try {
    return readFileSync(source);
  } catch (error) {
    throw new SecureExportConfigError(
      `cannot read tls.${what} file ${quotedPath(source)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** A file path as an error shows it: quoted, or the notice that it is not shown (key material, a finding). */
function quotedPath(path: string): string {
  const shown = keyPathForError(path);
  return shown === path ? `"${path}"` : shown;
}

const CRL_PEM = '-----BEGIN X509 CRL-----';

function loadMaterial(sources: ResolvedTlsSources): LoadedMaterial {
  const ca = readSource(sources.ca, 'ca');
  const cert = readSource(sources.cert, 'cert');
  const key = readSource(sources.key, 'key');
  const crl = sources.crl.map((source, index) => {
    const pem = readSource(source, 'crl') as Buffer;
    if (!pem.includes(CRL_PEM)) {
      const where =
        Buffer.isBuffer(source) || isInlinePem(source) ? `entry ${index + 1}` : `file ${quotedPath(source)}`;
      throw new SecureExportConfigError(`tls.crl ${where} is not a PEM certificate revocation list (${CRL_PEM})`);
    }
    return pem;
  });
  const hash = createHash('sha256');
  for (const part of [ca, cert, key, ...crl]) hash.update(part ?? Buffer.alloc(0)).update('\0');
  return { ca, cert, key, crl, fingerprint: hash.digest('hex') };
}

/** Describes a secure-context error without echoing input (OpenSSL messages never contain key bytes). */
function contextError(error: unknown): string {
  const message = (error as Error).message ?? String(error);
  return message.split('\n')[0].replace(/^error:[0-9A-F]+:[^:]*:[^:]*:/, '');
}

/**
 * Owns the TLS material of one channel: reads the CA, client certificate and key (files or inline PEM), builds gRPC
 * channel credentials from a Node secure context that enforces the protocol settings, verifies the server's hostname
 * and SPKI pins, re-reads files on an interval (a broken new file keeps the previous credentials and is reported
 * once), and reports client certificate expiry ahead of time.
 */
export class TlsCredentialSource {
  private material: LoadedMaterial;
  private credentials: grpc.ChannelCredentials;
  private clientNotAfter: Date | undefined;
  private clientSubject: string | undefined;
  private failedFingerprint: string | undefined;
  private lastExpiryLog = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly once: OnceLogger;
  private reloads = 0;

  /** Creates the source; throws {@link SecureExportConfigError} when the initial material is unusable. */
  constructor(
    private readonly sources: ResolvedTlsSources,
    private readonly settings: TlsProtocolSettings,
    private readonly endpoint: string,
    private readonly logger: ExporterLogger,
  ) {
    this.once = new OnceLogger(logger);
    this.material = loadMaterial(sources);
    try {
      this.credentials = this.build(this.material);
    } catch (error) {
      throw new SecureExportConfigError(`invalid TLS material for ${endpoint}: ${contextError(error)}`);
    }
    this.checkExpiry();
    const fileBased = [sources.ca, sources.cert, sources.key, ...sources.crl].some(
      (source) => source !== undefined && !isInlinePem(source),
    );
    if (settings.reloadIntervalMillis > 0 && fileBased) {
      this.timer = setInterval(() => this.reload(), settings.reloadIntervalMillis);
      this.timer.unref();
    }
  }

  /** Current gRPC channel credentials. */
  current(): grpc.ChannelCredentials {
    return this.credentials;
  }

  /** Registers a callback run after credentials changed; returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Expiry of the client certificate, if one is configured. */
  clientCertificateExpiry(): Date | undefined {
    return this.clientNotAfter;
  }

  /** Number of successful reloads since start. */
  reloadCount(): number {
    return this.reloads;
  }

  /**
   * Re-reads file-based material; when it changed and is valid, switches to it and notifies listeners. Returns true
   * when the credentials changed. Also re-checks certificate expiry.
   */
  reload(): boolean {
    let changed = false;
    try {
      const next = loadMaterial(this.sources);
      if (next.fingerprint !== this.material.fingerprint && next.fingerprint !== this.failedFingerprint) {
        try {
          this.credentials = this.build(next);
          this.material = next;
          this.failedFingerprint = undefined;
          this.once.reset('reload:', true);
          this.reloads++;
          this.lastExpiryLog = 0;
          changed = true;
          this.logger.info(`otel-privacy secure export: reloaded TLS certificates for ${this.endpoint}`);
        } catch (error) {
          this.failedFingerprint = next.fingerprint;
          this.once.log(
            'error',
            `reload:${next.fingerprint}`,
            `otel-privacy secure export: new TLS material for ${this.endpoint} is unusable, keeping the previous certificates: ${contextError(error)}`,
          );
        }
      }
    } catch (error) {
      this.once.log(
        'error',
        `reload-read:${(error as Error).message}`,
        `${(error as Error).message}; keeping the previous certificates`,
      );
    }
    this.checkExpiry();
    if (changed) for (const listener of this.listeners) listener();
    return changed;
  }

  /** Stops the reload timer. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  private build(material: LoadedMaterial): grpc.ChannelCredentials {
    let notAfter: Date | undefined;
    let subject: string | undefined;
    if (material.cert) {
      const leaf = new X509Certificate(material.cert);
      notAfter = new Date(leaf.validTo);
      subject = leaf.subject.replace(/\n/g, ', ');
    }
    const context = createSecureContext({
      ca: material.ca,
      cert: material.cert,
      key: material.key,
      minVersion: this.settings.minVersion,
      maxVersion: 'TLSv1.3',
      ciphers: this.settings.ciphers,
      ecdhCurve: this.settings.curves,
      // with CRLs, OpenSSL checks the whole server chain against them (a CA without a current CRL fails closed)
      crl: material.crl.length > 0 ? material.crl : undefined,
    });
    const pins = this.settings.pins;
    const verify = (hostname: string, peer: PeerCertificate): Error | undefined => {
      const identityError = checkServerIdentity(hostname, peer);
      if (identityError) return identityError;
      if (pins.size > 0 && !chainMatchesPins(peer, pins)) {
        const leafPin = chainPins(peer)[0] ?? 'none';
        return new Error(
          `${PIN_MISMATCH_MESSAGE}: server chain (leaf ${leafPin}) matches none of the ${pins.size} configured pins`,
        );
      }
      return undefined;
    };
    const credentials = grpc.credentials.createFromSecureContext(context, { checkServerIdentity: verify });
    this.clientNotAfter = notAfter;
    this.clientSubject = subject;
    return credentials;
  }

  private checkExpiry(): void {
    if (!this.clientNotAfter) return;
    const now = Date.now();
    const remaining = this.clientNotAfter.getTime() - now;
    if (remaining > this.settings.expiryWarningDays * DAY_MILLIS) return;
    if (now - this.lastExpiryLog < DAY_MILLIS && this.lastExpiryLog !== 0) return;
    this.lastExpiryLog = now;
    const when = this.clientNotAfter.toISOString();
    if (remaining <= 0) {
      this.logger.error(
        `otel-privacy secure export: client certificate for ${this.endpoint} (${this.clientSubject}) expired at ${when}`,
      );
    } else {
      const days = Math.floor(remaining / DAY_MILLIS);
      this.logger.warn(
        `otel-privacy secure export: client certificate for ${this.endpoint} (${this.clientSubject}) expires in ${days} day(s), at ${when}`,
      );
    }
  }
}

// Holds the client private key: prints only the endpoint.
printOnlySummary(TlsCredentialSource.prototype, 'TlsCredentialSource', (t) => ({
  endpoint: (t as unknown as { endpoint: string }).endpoint,
}));
