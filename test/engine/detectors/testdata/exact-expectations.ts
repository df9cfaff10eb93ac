import { createValueScanner } from '../../../../engine/detectors/value-scanner';
import type { DetectorScanner } from '../../../../engine/detectors/value-scanner';

/**
 * The exact expectations on the labeled corpora (`exact-corpora.test.ts`): every labeled positive is found and every
 * labeled negative is left as written, except the items listed here. Each listed item is keyed by its text and carries
 * the reason, which is a gap or a known false positive written down in docs/detectors.md. A listed item that the
 * scanner now gets right fails the test too, so the lists hold exactly today's misses and false positives: remove an
 * item when a detector fix makes it pass (and update docs/detectors.md), never add one to make a regression pass.
 */

const VISA_445 = 'a 13-digit Visa in 4-4-5 groups ("still gets through"; found contiguous)';
const MAESTRO_444 = 'a 12-digit Maestro in 4-4-4 groups ("still gets through"; found contiguous)';

/** Positives of the independent labeled set (`labeled-set.ts`) that are not found, with why. */
export const LABELED_SET_MISSES: Readonly<Record<string, string>> = {
  'charge failed: card 4242 5270 28108 declined (insufficient_funds)': VISA_445,
  'cc=5018-1726-6908': MAESTRO_444,
};

const CURSOR =
  'a base64 pagination cursor after a label ending in `token` is masked as labeled-secret (known false positive: a ' +
  'token label cannot tell a cursor from a credential, fail closed)';

/** Negatives of the independent labeled set that the scanner changes, with why. */
export const LABELED_SET_FALSE_POSITIVES: Readonly<Record<string, string>> = {
  'continuation_token=eyJzaGFyZCI6NTUsInBvcyI6NTQ5MzQ1MjA0fQ': CURSOR,
  'continuation_token=eyJzaGFyZCI6MTcsInBvcyI6Mjc3MTg0Njk1fQ': CURSOR,
  'continuation_token=eyJzaGFyZCI6MTAsInBvcyI6Nzc5OTc3MTE4fQ': CURSOR,
  'continuation_token=eyJzaGFyZCI6NDYsInBvcyI6ODczMTE5MDM4fQ': CURSOR,
  'continuation_token=eyJzaGFyZCI6NTksInBvcyI6ODY2OTA1OTU1fQ': CURSOR,
  'continuation_token=eyJzaGFyZCI6NjAsInBvcyI6NDcxNTUyNTY4fQ': CURSOR,
  'continuation_token=eyJzaGFyZCI6MzgsInBvcyI6MjY0MTg0ODE1fQ': CURSOR,
};

/**
 * Labeled-set families whose name says which detector must report the value (the other families name a vendor or a
 * place, which several detectors share: a GitHub token in a clone URL is `url-credentials`, after `Bearer` it is
 * `bearer-token`).
 */
export const FAMILY_DETECTOR: Readonly<Record<string, string>> = {
  email: 'email',
  phone: 'phone',
  card: 'payment-card',
  ssn: 'us-ssn',
  iban: 'iban',
  ipv4: 'ipv4',
  ipv6: 'ipv6',
  jwt: 'jwt',
  'private-key': 'private-key',
  'aws/access-key-id': 'aws-access-key',
};

/** The detector a labeled-set family names, if it names one (`card/visa` → `payment-card`). */
export function familyDetector(family: string): string | undefined {
  return FAMILY_DETECTOR[family] ?? FAMILY_DETECTOR[family.split('/')[0]!];
}

const UNCOMMON_TLD =
  'blanks around `@` or the word ` at ` before an uncommon top-level domain (not detected by design: `svc @ node-1.cluster.local`)';

/** Generated positives (`generate.ts`, seeds × operators) whose labeled type is not reported, with why. */
export const GENERATED_MISSES: Readonly<Record<string, string>> = {
  'User reported a problem with name @ example.photography in the checkout form': UNCOMMON_TLD,
  'Error: invalid value name at example dot photography at line 3': UNCOMMON_TLD,
  'level=info msg="profile updated" field=root @ host-01.example.internal duration=12ms': UNCOMMON_TLD,
  'root at host-01 dot example dot internal': UNCOMMON_TLD,
  'Error: invalid value value:::ffff:192.0.2.128! at line 3':
    'a mapped IPv6 address after `value:` reads as `:::`; its IPv4 part is found and masked as ipv4',
};

/**
 * Extra types a generated positive may report besides its label: the operators' decoded forms of a credential URL
 * (`postgres%3A%2F%2Fapp%3Ahunter2%40db.example.com`) also read as an e-mail address or a labeled secret, and the
 * mapped IPv6 miss above reports its IPv4 part. Any other extra type fails.
 */
export const GENERATED_EXTRA_TYPES: Readonly<Record<string, readonly string[]>> = {
  'url-credentials': ['email', 'labeled-secret'],
  ipv6: ['ipv4'],
};

const AFTER_CONTACT =
  'an invoice or ticket number or epoch milliseconds in a `<contact>` element: read as a phone number after a phone ' +
  'word (known false positive, fail closed)';
const SNOWFLAKE =
  'an 18-digit snowflake id with a Maestro prefix and a valid Luhn digit: a contiguous number of a card length is ' +
  'read as a card (known false positive)';

const INVISIBLE_BLANKS =
  'digit groups split by invisible characters (zero-width space, BOM, soft hyphen, Mongolian vowel separator): an ' +
  'invisible character is also read as a blank, so the groups read as a grouped phone number, as the same id written ' +
  'with blanks is (known false positive)';

/** Generated look-alike negatives (`generateNegatives(60)`) that the scanner changes, with why. */
export const GENERATED_FALSE_POSITIVES: Readonly<Record<string, string>> = {
  "00-\u200bba0\u200ba6a\u200b295\u200b121\u200b0a8\u200b102\u200b1a8\u200b2b6\u200bd2d\u200bac6\u200be1-\u200b381\u200b031\u200b110\u200b806\u200b4a2\u200b5-0\u200b1": INVISIBLE_BLANKS,
  "Error: invalid value cf0\u200bda7\u200b9ca\u200bd6e\u200be2d\u200b0b8\u200b7ae\u200ba47\u200b292\u200b86d\u200b835\u200bd98\u200b218\u200b223\u200b9dc\u200b037\u200b793\u200b144\u200b330\u200b7f5\u200bfc8\u200bf at line 3": INVISIBLE_BLANKS,
  "level=info msg=\"profile updated\" field=161\u00ad005\ufeff929\u180e801\ufeff6 duration=12ms": INVISIBLE_BLANKS,
  "<contact><value>167\u200b499\u200b023\u200b284\u200b7</value></contact>": INVISIBLE_BLANKS,
  "<contact><value>16\u200d54\u00ad32\u206020\u180e08</value></contact>": INVISIBLE_BLANKS,
  "<contact><value>167\u200b399\u200b231\u200b2</value></contact>": INVISIBLE_BLANKS,
  "<contact><value>500\u200b694\u200b736\u200b by\u200btes</value></contact>": INVISIBLE_BLANKS,
  "<contact><value>id=\u200b643\u200b058\u200b422\u200b456\u200b146\u200b100</value></contact>": INVISIBLE_BLANKS,
  '<contact><value>\u2066164\u202e\u202c7105612955\u2069</value></contact>': AFTER_CONTACT,
  '<contact><value>ＩＮＶ－２０２４－２３９１５２</value></contact>': AFTER_CONTACT,
  '<contact><value>INV-2024-653473</value></contact>': AFTER_CONTACT,
  '<contact><value>INV-2022-416684</value></contact>': AFTER_CONTACT,
  '<contact><value>INV-2022-154274</value></contact>': AFTER_CONTACT,
  '<contact><value>(INV-2020-705589),</value></contact>': AFTER_CONTACT,
  '<contact><value>INV-2023-460641</value></contact>': AFTER_CONTACT,
  '<contact><value>INV-2023-880350</value></contact>': AFTER_CONTACT,
  '<contact><value>value:INV-2022-870386!</value></contact>': AFTER_CONTACT,
  '<contact><value>INV-2025-542041</value></contact>': AFTER_CONTACT,
  '<contact><value>INV-2020-949739.</value></contact>': AFTER_CONTACT,
  '<contact><value>INV-2020-326728</value></contact>': AFTER_CONTACT,
  '<contact><value>INV-2025-403742</value></contact>': AFTER_CONTACT,
  '<contact><value>INV-2023-711604</value></contact>': AFTER_CONTACT,
  '<contact><value>INV-2020-789374</value></contact>': AFTER_CONTACT,
  '<contact><value>INV-2025-059722</value></contact>': AFTER_CONTACT,
  '<contact><value>INV-2021-680146</value></contact>': AFTER_CONTACT,
  '<contact><value>２３０４－６４１３－８５２３</value></contact>': AFTER_CONTACT,
  '<contact><value>5686-4311-2099</value></contact>': AFTER_CONTACT,
  '<contact><value>7643-7347-2785</value></contact>': AFTER_CONTACT,
  '<contact><value>{"url":"/cb?x=5398-8291-2022"}</value></contact>': AFTER_CONTACT,
  '<contact><value>8506-8544-9671</value></contact>': AFTER_CONTACT,
  '<contact><value>6556-9449-8555</value></contact>': AFTER_CONTACT,
  '<contact><value>(5741-3344-4992),</value></contact>': AFTER_CONTACT,
  '<contact><value>7202-2095-1555</value></contact>': AFTER_CONTACT,
  '<contact><value>6362&hyphen;7046&hyphen;7901</value></contact>': AFTER_CONTACT,
  '<contact><value>3194-6936-4783</value></contact>': AFTER_CONTACT,
  '<contact><value>6734-2965-6331</value></contact>': AFTER_CONTACT,
  '<contact><value>9538-6051-8180</value></contact>': AFTER_CONTACT,
  '<contact><value>２５０９－２９７８－９９００</value></contact>': AFTER_CONTACT,
  '<contact><value>2916-7567-9667</value></contact>': AFTER_CONTACT,
  '<contact><value>9272-9379-5218</value></contact>': AFTER_CONTACT,
  '<contact><value>605\u200b9-8\u200b372\u200b-21\u200b03</value></contact>': AFTER_CONTACT,
  '<contact><value>2308-5568-9530</value></contact>': AFTER_CONTACT,
  'Error: invalid value id=632310347757574272 at line 3': SNOWFLAKE,
  'id\u2060=6\ufeff32\u206031\u00ad03\u180e47\u00ad75\u180e75\u180e74\ufeff27\u200c2': SNOWFLAKE,
  'User reported a problem with id=672440750339457446 in the checkout form': SNOWFLAKE,
  'level=info msg="profile updated" field=value:id=672440750339457446! duration=12ms': SNOWFLAKE,
  'id=695498794429411493': SNOWFLAKE,
  'User reported a problem with id%3D695498794429411493 in the checkout form': SNOWFLAKE,
};

/** The scanner the corpora are scored with: every detector, mask, no clean-value cache (every item is scanned). */
export function corpusScanner(options: { prefilter?: boolean; cleanCacheSize?: number } = {}): DetectorScanner {
  return createValueScanner({
    detectors: 'all',
    action: 'mask',
    mask: '[REDACTED:{type}]',
    cleanCacheSize: 0,
    ...options,
  });
}

/**
 * Checks one list of known exceptions against what was observed: `wrong` are the items that failed their expectation
 * and are not listed, `stale` the listed items that now pass (or are no longer in the corpus). Returns messages.
 */
export function compareWithKnown(
  what: string,
  wrong: readonly { text: string; detail: string }[],
  known: Readonly<Record<string, string>>,
  texts: ReadonlySet<string>,
): string[] {
  const out: string[] = [];
  const failed = new Set<string>();
  for (const w of wrong) {
    failed.add(w.text);
    if (!(w.text in known)) out.push(`${what}: ${JSON.stringify(w.text)} ${w.detail}`);
  }
  for (const text of Object.keys(known)) {
    if (!texts.has(text)) out.push(`listed ${what} is no longer in the corpus, remove it from the list: ${JSON.stringify(text)}`);
    else if (!failed.has(text))
      out.push(`listed ${what} now passes, remove it from the list (and from docs/detectors.md): ${JSON.stringify(text)}`);
  }
  return out;
}
