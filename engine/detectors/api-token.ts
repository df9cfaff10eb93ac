import { codeAt, fromStart, isAlnum, isDigit, isHexDigit, keywordBefore } from './chars';
import { LOOKALIKE, foldLookalikes } from './lookalikes';
import type { Detector, Finding } from './types';

/**
 * Vendor token formats that announce themselves by a fixed prefix: GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`,
 * `github_pat_`), GitLab (`glpat-`), Slack (`xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-`, `xoxo-`), Stripe secret and
 * restricted keys (`sk_live_`, `sk_test_`, `rk_live_`, `rk_test_`, in any case, with `-` for `_` and a blank or
 * line break after the prefix, also escaped: `SK_LIVE_…`, `sk-live-…`, `sk_live_ …`, `sk_live_\n…`), npm (`npm_`), Google API keys (`AIza`),
 * SendGrid (`SG.…….……`), OpenAI (`sk-proj-`, `sk-svcacct-`, `sk-admin-`, `sk-None-`, and legacy `sk-` with 48
 * letters and digits), Anthropic (`sk-ant-api03-`, `sk-ant-admin01-`, …), Hugging Face (`hf_` and 30-40 letters and
 * digits), Docker Hub (`dckr_pat_`), Shopify (`shpat_`, `shpss_`, `shpca_`, `shppa_` and 32 hex digits) and PyPI
 * (`pypi-AgE…` macaroons), Stripe webhook signing secrets (`whsec_`), Google OAuth access tokens (`ya29.` and 30+
 * characters) and client secrets (`GOCSPX-`), HashiCorp Vault (`hvs.`, `hvb.`, `hvr.`), DigitalOcean (`dop_v1_`, `doo_v1_`, `dor_v1_` and 64 hex
 * digits), Grafana (`glsa_`, `glc_`), New Relic (`NRAK-`, `NRII-`, `NRJS-`), Mailgun (`key-` and 32 hex digits),
 * Databricks (`dapi` and 32 hex digits), Telegram bot tokens (a bot id, `:AA` and 30-40 characters), Atlassian
 * (`ATATT3`), Linear (`lin_api_` and 40 letters and digits), Postman (`PMAK-` and two hex runs), Pulumi (`pul-` and 40
 * hex digits), Heroku (`HRKU-`), CircleCI (`CCIPAT_`), Doppler (`dp.st.`, `dp.pt.`, …), age secret keys
 * (`AGE-SECRET-KEY-1` and 58 bech32 characters), Braintree (`access_token$production$…`); Slack
 * incoming-webhook URLs (`hooks.slack.com/services/T…/B…/<secret>`:
 * the path after `services/` is masked, the host stays readable). One alternation with no nested quantifiers: linear on any input.
 */
const TOKEN =
  /(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}|glpat-[A-Za-z0-9_-]{20,64}|xox[abposr]-[A-Za-z0-9-]{10,255}|[sSrR][kK][_-](?:[lL][iI][vV][eE]|[tT][eE][sS][tT])[_-](?:[ \t\r\n]|\\[nrt]){0,2}[A-Za-z0-9]{16,255}|npm_[A-Za-z0-9]{36}|AIza[0-9A-Za-z_-]{35}|SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}|sk-ant-[a-z]{3,8}\d{2}-[A-Za-z0-9_-]{32,255}|sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,255}|sk-[A-Za-z0-9]{48}(?![A-Za-z0-9])|hf_[A-Za-z0-9]{30,40}(?![A-Za-z0-9_])|dckr_pat_[A-Za-z0-9_-]{20,64}|shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}|pypi-AgE[A-Za-z0-9_-]{50,400}|ya29\.[A-Za-z0-9_-]{30,2048}|GOCSPX-[A-Za-z0-9_-]{24,64}|whsec_[A-Za-z0-9+/=]{24,255}|hv[sbr]\.[A-Za-z0-9_-]{24,512}|do[opr]_v1_[a-f0-9]{64}|glsa_[A-Za-z0-9_]{32,64}|glc_[A-Za-z0-9+/=]{32,400}|NR(?:AK|II|JS)-[A-Za-z0-9]{20,40}|key-[0-9a-f]{32}(?![A-Za-z0-9])|dapi[a-f0-9]{32}(?:-\d{1,2})?|\d{5,12}:AA[A-Za-z0-9_-]{30,40}|(?<=hooks\.slack\.com\/services\/)T[A-Z0-9]{6,12}\/B[A-Z0-9]{6,12}\/[A-Za-z0-9]{16,64}|ATATT3[A-Za-z0-9_=-]{50,400}|lin_api_[A-Za-z0-9]{40}|PMAK-[a-f0-9]{24}-[a-f0-9]{34}|pul-[a-f0-9]{40}|HRKU-[A-Za-z0-9_-]{30,128}|CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40}|dp\.(?:pt|st|ct|sa|scim|audit)\.(?:[a-z0-9_-]{2,35}\.)?[A-Za-z0-9]{40,44}|AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}|access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32})/g;

/**
 * Prefixes short enough to end other words (`hf_` in `pdf_…`, `ya29.` in `maya29.…`, `key-` in `pubkey-…`, `dapi` in
 * `sdapi…`): these must start a word.
 */
const NEEDS_LEFT_BOUNDARY = /^(?:hf_|sk-|ya29\.|key-|dapi|pul-)/;

/**
 * A Twilio API key SID: `SK` and 32 lower-case hex digits. Hex identifiers are everywhere in telemetry, so it is
 * taken as a key only when it is the whole value or a credential word precedes it.
 */
const TWILIO = /\bSK[0-9a-f]{32}\b/g;
const TWILIO_CONTEXT = /twilio|api.?key|\bsid\b|secret|token|auth|credential|passw|\bkey\b/i;

/**
 * Tokens without a prefix of their own, each checked for letters of both cases and a digit (random, not a word):
 * Discord bot tokens (the base64 of a user id, `M`/`N`/`O` and 23-27 characters, `.`, 6, `.`, 27-38), Meta and Square
 * access tokens (`EAA` and 57 or more characters), Mailchimp API keys (32 hex digits, `-us` and a data-center number;
 * these need a hex letter and a digit).
 */
const DISCORD =
  /(?<![A-Za-z0-9_.-])[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}(?![A-Za-z0-9_-])/g;
const META = /(?<![A-Za-z0-9_-])EAA[A-Za-z0-9_-]{57,1024}(?![A-Za-z0-9_-])/g;
const MAILCHIMP = /(?<![A-Za-z0-9])[0-9a-f]{32}-us\d{1,2}(?![A-Za-z0-9])/g;

/** Whether `text[start, end)` holds an upper-case letter, a lower-case letter and a digit. */
function mixedCase(text: string, start: number, end: number): boolean {
  let upper = false;
  let lower = false;
  let digit = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digit = true;
    else if (c >= 65 && c <= 90) upper = true;
    else if (c >= 97 && c <= 122) lower = true;
  }
  return upper && lower && digit;
}

/** The unprefixed tokens (`DISCORD`, `META`, `MAILCHIMP`) in `text`, appended to `out`. */
function findUnprefixed(text: string, out: Finding[]): void {
  let m: RegExpExecArray | null;
  if (text.indexOf('.') !== -1) {
    const re = fromStart(DISCORD);
    while ((m = re.exec(text)) !== null)
      if (mixedCase(m[0], 0, m[0].length)) out.push({ start: m.index, end: m.index + m[0].length, type: 'api-token' });
  }
  if (text.indexOf('EAA') !== -1) {
    const re = fromStart(META);
    while ((m = re.exec(text)) !== null)
      if (mixedCase(m[0], 3, m[0].length)) out.push({ start: m.index, end: m.index + m[0].length, type: 'api-token' });
  }
  if (text.indexOf('-us') !== -1) {
    const re = fromStart(MAILCHIMP);
    while ((m = re.exec(text)) !== null)
      if (mixedHex(text, m.index, m.index + 32))
        out.push({ start: m.index, end: m.index + m[0].length, type: 'api-token' });
  }
}

/** Whether `text[start, end)` has both a digit and a hex letter (a random key rather than a word or a number). */
function mixedHex(text: string, start: number, end: number): boolean {
  let digit = false;
  let letter = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digit = true;
    else if (isHexDigit(c)) letter = true;
  }
  return digit && letter;
}

/** The prefixed tokens of `TOKEN` in `text`, appended to `out` in order. */
function findPrefixed(text: string, out: Finding[]): void {
  const re = fromStart(TOKEN);
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (
      (NEEDS_LEFT_BOUNDARY.test(m[0]) && isAlnum(codeAt(text, m.index - 1))) ||
      // A Telegram bot token's id starts at a digit run's start (`bot123456789:AA…` in its API URL still counts).
      (isDigit(m[0].charCodeAt(0)) && isDigit(codeAt(text, m.index - 1)))
    ) {
      re.lastIndex = m.index + 1;
      continue;
    }
    let end = m.index + m[0].length;
    // A token alphabet run that continues past the pattern's bound is one token: mask all of it.
    while (end < text.length && (isAlnum(codeAt(text, end)) || codeAt(text, end) === 95)) end++;
    out.push({ start: m.index, end, type: 'api-token' });
    re.lastIndex = end;
  }
}

/**
 * `api-token`: API tokens of well-known services by their published prefixes (see `TOKEN`; also with Cyrillic or Greek
 * look-alikes of the prefix letters, `LOOKALIKES` of `lookalikes.ts`: `ѕk_live_…`), and Twilio API key SIDs
 * (`SK` + 32 hex digits) when they are the whole value or follow a credential word. A token glued to a preceding letter
 * or digit is still found when the prefix itself is intact (but for the short `hf_` and `sk-` prefixes); the match
 * ends at the first character outside the token's alphabet.
 */
export const apiTokenDetector: Detector = {
  name: 'api-token',
  trigger:
    /gh[pousr]_|github_pat_|glpat-|xox[abposr]-|[sSrR][kK][_-](?:[lL][iI][vV][eE]|[tT][eE][sS][tT])[_-]|npm_|AIza|SG\.|sk-|hf_|dckr_pat_|shp(?:at|ss|ca|pa)_|pypi-AgE|SK[0-9a-f]{32}|hooks\.slack\.com\/|ya29\.|GOCSPX-|whsec_|hv[sbr]\.|do[opr]_v1_|glsa_|glc_|NR(?:AK|II|JS)-|key-|dapi|\d:AA|ATATT3|lin_api_|PMAK-|pul-|HRKU-|CCIPAT_|dp\.(?:pt|st|ct|sa|scim|audit)\.|AGE-SECRET-KEY-1|\$(?:production|sandbox)\$|\.[A-Za-z0-9_-]{6}\.|EAA|-us\d/,
  mayMatch: (text) =>
    apiTokenDetector.trigger.test(text) ||
    (LOOKALIKE.test(text) && apiTokenDetector.trigger.test(foldLookalikes(text))),
  find(text: string, out: Finding[]): void {
    const found: Finding[] = [];
    findPrefixed(text, found);
    const unprefixed: Finding[] = [];
    findUnprefixed(text, unprefixed);
    // Kept where a prefixed token overlaps it too (the scanner masks the union): a Meta token whose tail reads as a
    // Google key (`EAA…AIza…`) was masked from `AIza` on only, and its first characters exported.
    for (const f of unprefixed) found.push(f);
    if (unprefixed.length > 0) found.sort((a, b) => a.start - b.start);
    // A Cyrillic or Greek look-alike in a prefix (`ѕk_live_…`, `ghр_…`): the tokens of the folded text, where the
    // text itself has none (one UTF-16 unit for one, so the folded text's offsets are the text's).
    if (LOOKALIKE.test(text)) {
      const folded: Finding[] = [];
      findPrefixed(foldLookalikes(text), folded);
      for (const f of folded) if (!found.some((g) => g.start < f.end && f.start < g.end)) found.push(f);
      found.sort((a, b) => a.start - b.start);
    }
    let m: RegExpExecArray | null;
    if (text.indexOf('SK') !== -1) {
      const tw = fromStart(TWILIO);
      while ((m = tw.exec(text)) !== null) {
        const start = m.index;
        const end = start + m[0].length;
        if (!mixedHex(text, start + 2, end)) continue;
        const whole = text.trim() === m[0];
        if (whole || keywordBefore(text, start, TWILIO_CONTEXT, 32)) found.push({ start, end, type: 'api-token' });
      }
      found.sort((a, b) => a.start - b.start);
    }
    for (const f of found) out.push(f);
  },
};
