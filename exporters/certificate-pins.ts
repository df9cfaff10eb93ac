import { createHash, X509Certificate } from 'node:crypto';
import { keyNameForError } from '../engine/crypto/key-material';
import type { PeerCertificate, DetailedPeerCertificate } from 'node:tls';
import { SecureExportConfigError } from './secure-export-config-error';

const PIN_PATTERN = /^sha256\/([A-Za-z0-9+/]{43}=)$/;

/**
 * Validates `sha256/<base64>` SPKI pins (base64 of a 32-byte SHA-256 digest of the DER SubjectPublicKeyInfo) and
 * returns them normalised as a set. Throws a configuration error naming the first malformed pin.
 */
export function parsePins(pins: readonly string[] | undefined): ReadonlySet<string> {
  const out = new Set<string>();
  for (const pin of pins ?? []) {
    const match = PIN_PATTERN.exec(pin.trim());
    if (!match || Buffer.from(match[1], 'base64').length !== 32) {
      const shown = keyNameForError(pin);
      throw new SecureExportConfigError(
        `tls.pins entry ${shown === pin ? `"${pin}"` : shown} is not of the form sha256/<base64 of 32 bytes>`,
      );
    }
    out.add(`sha256/${match[1]}`);
  }
  return out;
}

/** Computes the `sha256/<base64>` SPKI pin of a certificate given as DER bytes or PEM text. */
export function spkiPin(certificate: Buffer | string): string {
  const spki = new X509Certificate(certificate).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256/${createHash('sha256').update(spki).digest('base64')}`;
}

/** Pins of every certificate in a peer chain as reported by Node's TLS layer (leaf first, stopping at a self-issued root). */
export function chainPins(peer: PeerCertificate): string[] {
  const pins: string[] = [];
  const seen = new Set<PeerCertificate>();
  let current: PeerCertificate | undefined = peer;
  while (current && !seen.has(current) && current.raw) {
    seen.add(current);
    pins.push(spkiPin(current.raw));
    const issuer: DetailedPeerCertificate | undefined = (current as Partial<DetailedPeerCertificate>).issuerCertificate;
    current = issuer && issuer !== current ? issuer : undefined;
  }
  return pins;
}

/** True when any certificate of the peer chain matches one of `pins`. */
export function chainMatchesPins(peer: PeerCertificate, pins: ReadonlySet<string>): boolean {
  return chainPins(peer).some((pin) => pins.has(pin));
}
