#!/usr/bin/env node
// `prepare` (runs after `npm install` / `npm ci` in this repository, and before `npm pack`): one line about the dev
// install's Node 24, instead of npm's per-package EBADENGINE warnings (silenced in .npmrc). Inside npm scripts `node`
// is already that Node 24, so the note does not depend on the version it runs on.
process.stderr.write(
  'otel-privacy (dev install): the package supports Node >= 20.6; the OpenTelemetry JS 3.x dev packages declare ' +
    'Node >= 22.15, so the dev install brings Node 24 as the "node" dev dependency (node_modules/.bin/node, first on ' +
    'PATH in npm scripts and npx) and npm test runs on it; npm engine warnings are silenced in .npmrc\n',
);
