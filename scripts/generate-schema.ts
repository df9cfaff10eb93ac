// Writes policy/policy.schema.json from the zod schema (the one source of truth).
import { writeFileSync } from 'node:fs';
import { policyJsonSchema } from '../policy/json-schema';

const target = new URL('../policy/policy.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
