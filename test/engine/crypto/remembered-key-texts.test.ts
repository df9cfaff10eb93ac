import { describe, expect, it } from 'vitest';
import { rememberKeyText, rememberedKeyTexts } from '../../../engine/crypto/key-material';
import { diagnosticText } from '../../../engine/diagnostic-text';

// The texts of keys the process read are never printed by diagnostics, whatever they look like; the set is bounded
// (the first 64 kept) and skips texts under 8 characters, which would mask ordinary words.

describe('remembered key texts', () => {
  it('diagnostics never print a remembered text; the first 64 are kept, short ones are not remembered', () => {
    // plain words (no key-like shape), so only the remembered set hides them
    const texts = Array.from({ length: 80 }, (_, i) => `fake-key-text-${String(i).padStart(3, '0')}`);
    rememberKeyText('short7x');
    for (const t of texts) rememberKeyText(`  base64:${t}\n`);
    expect(rememberedKeyTexts.size).toBe(64);
    // each text is remembered as read (trimmed) and without its `base64:` prefix: 32 keys fill the 64
    for (const t of texts.slice(0, 32)) {
      expect(rememberedKeyTexts.has(t) && rememberedKeyTexts.has(`base64:${t}`)).toBe(true);
      expect(diagnosticText(`cannot read ${t} from the file`)).not.toContain(t);
    }
    expect(diagnosticText('a short7x word')).toBe('a short7x word');
  });
});
