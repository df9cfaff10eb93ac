import { codeAt, isAlnum } from './chars';
import type { Detector, Finding } from './types';

/**
 * Vendor token formats that announce themselves by a fixed prefix: GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`,
 * `github_pat_`), GitLab (`glpat-`), Slack (`xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-`, `xoxo-`), Stripe secret and
 * restricted keys (`sk_live_`, `sk_test_`, `rk_live_`, `rk_test_`), npm (`npm_`), Google API keys (`AIza`),
 * SendGrid (`SG.…….……`). One alternation with no nested quantifiers: linear on any input.
 */
const TOKEN =
  /(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}|glpat-[A-Za-z0-9_-]{20,64}|xox[abposr]-[A-Za-z0-9-]{10,255}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,255}|npm_[A-Za-z0-9]{36}|AIza[0-9A-Za-z_-]{35}|SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})/g;

/**
 * `api-token`: API tokens of well-known services by their published prefixes (see `TOKEN`). A token glued to a
 * preceding letter or digit is still found when the prefix itself is intact; the match ends at the first character
 * outside the token's alphabet.
 */
export const apiTokenDetector: Detector = {
  name: 'api-token',
  trigger: /gh[pousr]_|github_pat_|glpat-|xox[abposr]-|[sr]k_(?:live|test)_|npm_|AIza|SG\./,
  mayMatch: (text) => apiTokenDetector.trigger.test(text),
  find(text: string, out: Finding[]): void {
    const re = new RegExp(TOKEN.source, TOKEN.flags);
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      let end = m.index + m[0].length;
      // A token alphabet run that continues past the pattern's bound is one token: mask all of it.
      while (end < text.length && (isAlnum(codeAt(text, end)) || codeAt(text, end) === 95)) end++;
      out.push({ start: m.index, end, type: 'api-token' });
      re.lastIndex = end;
    }
  },
};
