import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { TestPki, issueStandardCertificates } from './helpers/test-pki';

declare module 'vitest' {
  export interface ProvidedContext {
    /** JSON file of the run's shared standard certificates (see `createStandardPki`). */
    sharedPkiFile: string;
  }
}

/**
 * Vitest global setup: work done once per run instead of once per test file. It generates the standard test
 * certificates (with the openssl CLI, at test time, into a temporary directory removed when the run ends) that every
 * TLS test file used to generate for itself; `test/setup-shared-fixtures.ts` hands them to the test processes.
 */
export default function setup(project: TestProject): () => void {
  const pki = TestPki.create();
  const file = join(pki.dir, 'standard-certificates.json');
  writeFileSync(file, JSON.stringify(issueStandardCertificates(pki)));
  project.provide('sharedPkiFile', file);
  return () => pki.cleanup();
}
