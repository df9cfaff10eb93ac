import { diag } from '@opentelemetry/api';
import { envNameForError, looksLikeKeyMaterial, rememberedKeyTexts } from './crypto/key-material';
import { createValueScanner } from './detectors/value-scanner';
import { templatePeoplePathsInText } from './sanitizers/url-text';
import type { DetectorScanner } from './detectors/value-scanner';

/** Longest diagnostic line printed; longer text is cut (a dumped body or stack is not a diagnostic). */
const MAX_DIAGNOSTIC_LENGTH = 1000;
/** What replaces the text of a key the process read. */
const KEY_TEXT_SHOWN_AS = '[key material not shown]';
/** What replaces a word that looks like key material. */
const KEY_LIKE_SHOWN_AS = '[value not shown: looks like key material]';
/** Words that may be key material: base64/hex runs, optionally with a `base64:` / `hex:` prefix. */
const WORD = /[A-Za-z0-9+/_=:.~-]{20,}/g;

let scanner: DetectorScanner | undefined;

/**
 * Whether a word of diagnostic text looks like key material. A path (`/var/lib/app/otel-spool`) and a certificate pin
 * (`sha256/…`, the hash of a public key, shown so a mismatch can be fixed) are not; a word that could be an
 * environment variable's name is judged as one (`OTEL_PRIVACY_HMAC_KEY_BILLING`, `OtelPrivacySpoolKeyForBilling` are
 * names; a long hex run or a mixed-case run with digits is not).
 */
function keyLikeWord(word: string): boolean {
  if (/^(\/|\.\.?\/|~\/|sha256\/)/.test(word)) return false;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(word)) return envNameForError(word) !== word;
  return looksLikeKeyMaterial(word);
}

/**
 * `text` with every control character (C0 including CR, LF and ESC, DEL, C1) shown as `?`: text from outside (a
 * receiver's answer, a configured endpoint) printed in a log line can then neither forge another line nor drive a
 * terminal.
 */
export function withoutControlCharacters(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      out += `${text.slice(from, i)}?`;
      from = i + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * Diagnostic text as otel-privacy prints it (`diag` lines, the exporters' log lines, the register hook's notices,
 * error messages, the audit log, the command line's error lines): the text of every key the process read and every
 * word that looks like key material are replaced, every value-scanner finding (all built-in detectors: e-mail
 * addresses, card numbers, tokens, …) is masked as `[REDACTED:{type}]`, control characters are shown as `?` and the
 * text is cut at 1000 characters. Text from outside (an error an application's value threw, a receiver's answer, a
 * configured name) can then not carry a raw value or a secret into a log.
 */
export function diagnosticText(text: unknown): string {
  let t: string;
  try {
    t = typeof text === 'string' ? text : String(text);
  } catch {
    return '(text not shown: it cannot be converted to a string)';
  }
  for (const k of rememberedKeyTexts) if (t.includes(k)) t = t.split(k).join(KEY_TEXT_SHOWN_AS);
  t = t.replace(WORD, (word) => (keyLikeWord(word) ? KEY_LIKE_SHOWN_AS : word));
  scanner ??= createValueScanner({ detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]', cleanCacheSize: 0 });
  const scanned = scanner.scan(t);
  // A route naming a person in the error's text (`GET /users/janedoe failed`): the segment becomes `{id}`, as in spans.
  t = withoutControlCharacters(scanned.dropped ? '(text not shown)' : templatePeoplePathsInText(scanned.value));
  return t.length > MAX_DIAGNOSTIC_LENGTH ? `${t.slice(0, MAX_DIAGNOSTIC_LENGTH - 3)}...` : t;
}

/**
 * The OpenTelemetry `diag` logger as otel-privacy uses it: every line goes through {@link diagnosticText}. The only
 * way the library writes to `diag` (a lint rule keeps `diag` out of the other source files).
 */
export const privacyDiag = {
  error: (text: string): void => diag.error(diagnosticText(text)),
  warn: (text: string): void => diag.warn(diagnosticText(text)),
  info: (text: string): void => diag.info(diagnosticText(text)),
  debug: (text: string): void => diag.debug(diagnosticText(text)),
};
