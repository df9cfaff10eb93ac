import { describe, expect, it } from 'vitest';
import { lintPolicy } from '../../cli/policy-lint';
import { definePolicy } from '../../policy/load-policy';
import { inCodeSource } from '../../policy/policy-source';
import type { PolicyDocument } from '../../policy/schema';

const lint = (doc: PolicyDocument) =>
  lintPolicy(doc, inCodeSource, definePolicy(doc), process.cwd()).map((f) => `${f.path}: ${f.message}`);

describe('otel-privacy validate: propagation', () => {
  it('warns about baggage and tracestate allow patterns that match every key', () => {
    const out = lint({
      version: 1,
      traces: { traceState: { allow: ['ot', '*'] } },
      propagation: { baggage: { allow: ['tenant', '**'] } },
    });
    expect(out).toEqual([
      'propagation.baggage.allow[1]: "**" matches every baggage key, so every entry the application or a caller sets is forwarded to every downstream service (values are still scanned); list the keys you need',
      'traces.traceState.allow[1]: "*" matches every tracestate key, so every vendor\'s member is exported and forwarded (values are still scanned); list the vendor keys you need',
    ]);
  });

  it('says nothing about named keys and vendor globs', () => {
    expect(
      lint({
        version: 1,
        traces: { traceState: { allow: ['ot', '*@dd'] } },
        propagation: { baggage: { allow: ['tenant', 'feature.*'] } },
      }),
    ).toEqual([]);
  });
});
