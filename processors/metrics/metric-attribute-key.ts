import type { Attributes } from '@opentelemetry/api';

/**
 * The identity of a metric series: its attribute set as a string, independent of key order (the same
 * encoding the SDK uses to tell series apart). Two points of one metric with equal keys are the same
 * series and must be merged, never exported twice.
 */
export function attributeSetKey(attributes: Attributes): string {
  const keys = Object.keys(attributes);
  if (keys.length === 0) return '';
  keys.sort();
  return JSON.stringify(keys.map((k) => [k, attributes[k]]));
}
