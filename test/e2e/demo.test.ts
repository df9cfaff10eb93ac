import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// `npm run demo` (after the build that npm test runs first): the receiver over TLS 1.3/mTLS, the Express service
// under `--import otel-privacy/register`, the traffic burst twice, the report; its own leak check must pass.
describe('the demo', () => {
  it('reports zero leaked fake identities, per signal, and exits 0', { timeout: 120_000 }, () => {
    const root = resolve(__dirname, '../..');
    const r = spawnSync(process.execPath, ['examples/demo.mjs'], {
      cwd: root,
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('fake identities leaked: 0');
    expect(r.status).toBe(0);
    // the pass-through run really carried the identities, so the zero above means something
    const carried = /fake identities in the pass-through run: (\d+) of (\d+)/.exec(r.stdout);
    expect(Number(carried?.[1])).toBeGreaterThanOrEqual(20);
    // every signal arrived, and the policy visibly acted on each
    expect(r.stdout).toMatch(/spans received: (\d+) → (\d+) /);
    const [, spansBefore, spansAfter] = /spans received: (\d+) → (\d+) /.exec(r.stdout)!;
    expect(Number(spansAfter)).toBeGreaterThan(0);
    expect(Number(spansAfter)).toBeLessThan(Number(spansBefore)); // health checks sampled away
    expect(r.stdout).toMatch(
      /→ order by \[REDACTED:email\] paid with card \[REDACTED:payment-card\], contact phone \[REDACTED:phone\]/,
    );
    expect(r.stdout).toMatch(/app\.customer\.contact .*→ enc:v1:shop-e1:/);
    expect(r.stdout).toMatch(/app\.customer\.id .*→ shop-k1:/);
    expect(r.stdout).toMatch(/shop\.order\.amount: 6 series → 2 series/);
    expect(r.stdout).toMatch(/values: hashed [1-9]\d*, encrypted [1-9]\d*, .*dropped [1-9]\d*/);
    expect(r.stdout).toMatch(/whole items not exported: .*traces sampled_out [1-9]/);
    expect(r.stdout).toContain('leak alarms (alarms.leak): none');
    expect(r.stdout).toMatch(
      /retention labels \(retention\): .*traces short [1-9].*traces standard [1-9]|retention labels \(retention\): .*traces standard [1-9].*traces short [1-9]/,
    );
    expect(r.stdout).toContain('delivered over mTLS as client: demo-service');
    // consent: the opted-out customer's orders were not exported (counted per signal), and their pseudonym is nowhere
    expect(r.stdout).toMatch(
      /consent: customer cust-john-0002 opted out → not exported: traces [1-9]\d*, logs [1-9]\d*, metrics [1-9]\d*/,
    );
    expect(r.stdout).toMatch(
      /subject cust-john-0002 \(otel-privacy subject\): shop-k1:[A-Za-z0-9_-]{22}; found in what arrived: 0 items/,
    );
    // user groups: gold (set on the handler's span after its start) drops app.order.items there, and `plan` from the
    // log record written inside that span; basic keeps both; no undeclared plan
    expect(r.stdout).toMatch(
      /user groups \(userGroups: app\.plan, order gold > base > basic\): order spans gold [1-9]\d* without app\.order\.items \(0 with\), basic [1-9]\d* with it; order log records with plan: basic [1-9]\d*, gold 0 \([1-9]\d* lost it through their span's group\); unknown group values 0/,
    );
    // no process left behind: both services exited (the demo waits for them) before the demo ended by itself
    expect(r.stdout).toContain('services stopped: exit code 0, exit code 0');
    expect(r.signal).toBeNull();
  });
});
