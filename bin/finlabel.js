#!/usr/bin/env node
'use strict';
// The CLI is bundled by scripts/build.mjs (run by `npm install` through the prepare script).
const path = require('path');
const fs = require('fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('finlabel: dist/cli.js is missing; run `npm run build` in ' + path.dirname(__dirname) + '\n');
  process.exit(2);
}
require(cli);
