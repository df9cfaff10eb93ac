/**
 * The words a detector's context pattern names, read from its source (`\bcall(?:er|back)?\b` → call, caller,
 * callback; `social.?security` → `social security`, the `.?` written as a space): what a key or instrument name may
 * be built from. Alternatives holding other punctuation (`tel:`, `ss#`) name no word.
 */
export function contextWords(pattern: RegExp): string[] {
  return pattern.source
    .replace(/\(\?:[^)]*\)\?/g, (group) => group.replace(/\|/g, ','))
    .split('|')
    .flatMap((alt) => {
      const plain = alt.replace(/\\b/g, '').replace(/\.\?/g, ' ');
      if (/[^a-z ,()?:]/i.test(plain) || /:$/.test(plain)) return [];
      const group = /\(\?:([^)]*)\)\?/.exec(plain);
      if (group === null) return [plain];
      const stem = plain.slice(0, group.index);
      return [stem, ...group[1]!.split(',').map((s) => stem + s)];
    });
}
