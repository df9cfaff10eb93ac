// Writes policy/default-policy.yaml and docs/default-policy.md from policy/semconv-classification.ts and the attribute
// keys of the installed @opentelemetry/semantic-conventions (`npm run policy:default`).
import { writeFileSync } from 'node:fs';
import { classifiedKeys, renderDefaultPolicy, renderDefaultPolicyDocs } from './default-policy-render';

const keys = classifiedKeys();
const policyTarget = new URL('../policy/default-policy.yaml', import.meta.url);
writeFileSync(policyTarget, renderDefaultPolicy(keys));
console.log(`wrote ${policyTarget.pathname}`);
const docsTarget = new URL('../docs/default-policy.md', import.meta.url);
writeFileSync(docsTarget, renderDefaultPolicyDocs(keys));
console.log(`wrote ${docsTarget.pathname}`);
