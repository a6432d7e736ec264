#!/usr/bin/env node
// Entry of `npx almready`: runs the compiled CLI (backend/dist/, made by `npm run build:backend`,
// which `npm ci` and `npm start` run) while it matches the sources; otherwise — sources edited since,
// or never built — the TypeScript sources through tsx. ALMREADY_DEV=1 always takes the sources.
import { buildIsFresh } from './build-state.mjs';

let main;
if (process.env.ALMREADY_DEV !== '1' && buildIsFresh()) {
  // Stack traces name the TypeScript files and lines.
  process.setSourceMapsEnabled(true);
  ({ main } = await import('../dist/cli.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv);
