#!/usr/bin/env node
// Lints the files listed in FILELIST (one path a line) with Ruff's WebAssembly build and only
// the ASYNC rules (flake8-async), one file at a time as the Workspace API allows, and prints one
// JSON line: {"files", "lines", "bytes", "diagnostics", "syntaxErrors", "failed", "seconds", "ruff"}.
//   node ruff-async.js FILELIST
// bench/run.sh runs it under /usr/bin/time, so the wall time it reports includes Node's start.
'use strict';
const fs = require('fs');
const { Workspace, PositionEncoding } = require('@astral-sh/ruff-wasm-nodejs');

const list = process.argv[2];
if (!list) {
  console.error('usage: node ruff-async.js FILELIST');
  process.exit(2);
}
const t0 = process.hrtime.bigint();
const files = fs.readFileSync(list, 'utf8').split('\n').filter((l) => l.length > 0);
const ws = new Workspace({ lint: { select: ['ASYNC'] } }, PositionEncoding.Utf16);
let lines = 0;
let bytes = 0;
let diagnostics = 0;
let syntaxErrors = 0;
let failed = 0;
const codes = {};
for (const f of files) {
  let text;
  try {
    const buf = fs.readFileSync(f);
    bytes += buf.length;
    text = buf.toString('utf8');
  } catch (e) {
    failed++;
    continue;
  }
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  try {
    const ds = ws.check(text);
    for (const d of ds) {
      if (d.code && d.code !== 'invalid-syntax') {
        diagnostics++;
        codes[d.code] = (codes[d.code] || 0) + 1;
      } else {
        syntaxErrors++;
      }
    }
  } catch (e) {
    failed++;
  }
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ files: files.length, lines, bytes, diagnostics, syntaxErrors, failed,
  seconds: Math.round(seconds * 1000) / 1000, codes, ruff: Workspace.version() }));
