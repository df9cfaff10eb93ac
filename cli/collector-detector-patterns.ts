import type { DetectorName } from '../policy/schema';

/**
 * RE2 (Go regexp) approximations of the value detectors, for the Collector redaction processor's
 * `blocked_values`. They are looser or narrower than the detectors (no Luhn or mod-97 checks, no context
 * rules); detectors without a usable regular expression map to `undefined` and are reported as not
 * expressed.
 */
export const COLLECTOR_DETECTOR_PATTERNS: Readonly<
  Record<DetectorName, { readonly pattern?: string; readonly note?: string }>
> = {
  email: { pattern: '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}' },
  'payment-card': { pattern: '\\b(?:\\d[ -]?){12,18}\\d\\b', note: 'no Luhn check: masks any 13-19 digit run' },
  iban: { pattern: '\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}\\b', note: 'no mod-97 check' },
  'us-ssn': { pattern: '\\b\\d{3}-\\d{2}-\\d{4}\\b', note: 'dashed form only' },
  phone: { note: "phone numbers need the detector's context checks; a regex would mask timestamps and ids" },
  ipv4: { pattern: '\\b(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\b' },
  ipv6: {
    pattern: '\\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\\b',
    note: 'full form only; compressed addresses (::) are not matched',
  },
  jwt: { pattern: 'eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*' },
  'bearer-token': { pattern: '(?i)bearer\\s+[A-Za-z0-9._~+/-]+=*' },
  'aws-access-key': { pattern: '\\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\\b' },
  'api-token': {
    pattern:
      '(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}|glpat-[A-Za-z0-9_-]{20,64}|xox[abposr]-[A-Za-z0-9-]{10,255}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,255}|npm_[A-Za-z0-9]{36}|AIza[0-9A-Za-z_-]{35}|SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43})',
  },
  'private-key': { pattern: '(?s)-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)' },
  'labeled-secret': {
    pattern:
      '(?i)(?:pass(?:word|wd|phrase)|pwd|secret|api[-_]?key|apikey|private[-_]?key|access[-_]?token|session[-_]?id)["\']?\\s{0,3}[:=]\\s{0,3}["\']?[^\\s"\'&;,<>]{3,}',
    note: 'masks the label with the value; no placeholder or state-word checks',
  },
  'url-credentials': { pattern: '[A-Za-z][A-Za-z0-9+.-]*://[^/\\s:@]+:[^/\\s@]+@' },
};
