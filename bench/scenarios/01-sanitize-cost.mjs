// 1. Sanitize cost per span: the realistic HTTP span's 20 attributes through the default policy's
// sanitizer, against the floor of a plain copy of the same attributes.
import { defaultPolicy } from 'otel-privacy';
import { httpAttributes, measure, roundsFor } from '../lib.mjs';

export default async function ({ quick }) {
  const sanitizer = defaultPolicy().sanitizer('traces');
  const inputs = Array.from({ length: 4096 }, (_, i) => httpAttributes(i));
  const n = quick ? 20_000 : 200_000;
  const rounds = roundsFor(quick);
  const floor = measure((i) => ({ ...inputs[i & 4095] }), n, rounds);
  const ours = measure((i) => sanitizer.sanitize(inputs[i & 4095]), n, rounds);
  return [
    `1 sanitize cost per span (20 attrs, default policy): ${ours.toFixed(2)} µs/span; plain copy ${floor.toFixed(2)} µs; ratio ${(ours / floor).toFixed(1)}x the copy`,
  ];
}
