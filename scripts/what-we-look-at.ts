// Writes docs/what-we-look-at.md from the OTLP field inventory (engine/otlp-fields.ts): `npm run docs:fields`.
// A test fails when the committed page is stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { WHAT_WE_LOOK_AT_FILE, renderWhatWeLookAt } from './otlp-inventory';

mkdirSync(dirname(WHAT_WE_LOOK_AT_FILE), { recursive: true });
writeFileSync(WHAT_WE_LOOK_AT_FILE, renderWhatWeLookAt());
console.log(`wrote ${WHAT_WE_LOOK_AT_FILE}`);
