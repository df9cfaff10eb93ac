// Writes policy/policy.schema.json and policy/policy-document.ts from the zod schema (the one source of truth).
import { writeFileSync } from 'node:fs';
import { policyJsonSchema } from '../policy/json-schema';
import { policyDocumentTypes } from './policy-document-types';

const schemaTarget = new URL('../policy/policy.schema.json', import.meta.url);
writeFileSync(schemaTarget, `${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
console.log(`wrote ${schemaTarget.pathname}`);
const typesTarget = new URL('../policy/policy-document.ts', import.meta.url);
writeFileSync(typesTarget, await policyDocumentTypes());
console.log(`wrote ${typesTarget.pathname}`);
