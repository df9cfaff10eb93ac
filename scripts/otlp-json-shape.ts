// Writes cli/otlp-json-shape.ts (the known fields of every OTLP message, for `otel-privacy scan`) from
// engine/otlp-proto/otlp.proto: `npm run otlp:shape`. A test fails when the committed file is stale.
import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { OTLP_JSON_SHAPE_FILE, renderOtlpJsonShape } from './otlp-inventory';

const options = await resolveConfig(OTLP_JSON_SHAPE_FILE);
writeFileSync(
  OTLP_JSON_SHAPE_FILE,
  await format(renderOtlpJsonShape(), { ...options, filepath: OTLP_JSON_SHAPE_FILE }),
);
console.log(`wrote ${OTLP_JSON_SHAPE_FILE}`);
