import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// `npm run demo` (after the build that npm test runs first): its own leak check must pass.
describe('the demo', () => {
  it('reports zero leaked fake identities and exits 0', () => {
    const root = resolve(__dirname, '../..');
    const env = { ...process.env };
    delete env.OTEL_PRIVACY_HMAC_KEY;
    const r = spawnSync(process.execPath, ['examples/basic/demo.mjs'], { cwd: root, env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('fake identities leaked: 0');
    expect(r.stdout).toMatch(/url\.full .* -> https:\/\/shop\.example\/checkout\?email=REDACTED&token=REDACTED/);
    expect(r.status).toBe(0);
  });
});
