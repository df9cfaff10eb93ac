/**
 * `node --import otel-privacy/register app.mjs` / `node --require otel-privacy/register app.js` (SPEC §8).
 * The NodeSDK wiring lands with issue 7.
 */
export {};
