import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'index.ts', register: 'instrumentation/register.ts', cli: 'cli/main.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  // The package's own files are read at run time relative to the bundle (see policy/default-policy-document.ts).
  shims: true,
  splitting: true,
  // Peer and runtime dependencies stay external: users bring their own SDK.
  external: [/^@opentelemetry\//],
});
