import { inject } from 'vitest';
import { SHARED_PKI_ENV } from './helpers/test-pki';

// Runs in every test process before its test file: points createStandardPki at the run's shared certificates
// (generated once by test/global-setup.ts).
const sharedPkiFile = inject('sharedPkiFile');
if (sharedPkiFile) process.env[SHARED_PKI_ENV] = sharedPkiFile;
