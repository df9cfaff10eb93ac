import { z } from 'zod';
import { policySchema } from './schema';

/**
 * The published JSON Schema of policy files (for editors), generated from the zod schema so the two
 * can never disagree. `npm run schema` writes it to `policy/policy.schema.json`.
 */
export function policyJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(policySchema, { io: 'input', target: 'draft-2020-12' }),
    title: 'otel-privacy policy',
  };
}
