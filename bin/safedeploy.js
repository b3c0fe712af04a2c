#!/usr/bin/env node
'use strict';
// Thin launcher: the TypeScript is compiled to dist/ by `npm run build` (run by `prepare` on npm ci).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('safedeploy: not built yet; run `npm run build` (npm ci does it for you)\n');
  process.exit(2);
}
// `safedeploy … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
require(entry)
  .main(process.argv)
  .then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`safedeploy: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
