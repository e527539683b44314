#!/usr/bin/env node
// Schemathesis, the API fuzzer e2e/src/api-fuzz.e2e-spec.ts runs, in a Python virtualenv of its own.
//
// Plain CommonJS, like tools/kafka/kafka.js: `.ci/run` calls it before any TypeScript is compiled. The
// version is pinned once, in requirements.txt beside this file; the virtualenv lives outside the repo
// (in the same cache as the Kafka jars), named by a hash of that file, so a new pin gets a new one and
// `git clean` or a fresh worktree does not reinstall it.
//
//   node tools/fuzz/schemathesis.js fetch     install it into the cache (instant when it is there)
//
// Module API: fetchSchemathesis() -> { cacheDir, st }.
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REQUIREMENTS = path.join(__dirname, 'requirements.txt');

function schemathesisCacheDir() {
  if (process.env.SCHEMATHESIS_CACHE_DIR) return path.resolve(process.env.SCHEMATHESIS_CACHE_DIR);
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const pin = crypto.createHash('sha256').update(fs.readFileSync(REQUIREMENTS)).digest('hex').slice(0, 12);
  return path.join(cacheHome, 'skills-ladder', `schemathesis-${pin}`);
}

const binary = (cacheDir, name) => path.join(cacheDir, 'bin', name);

// Written last, so an interrupted install is never mistaken for a complete one.
const markerFile = (cacheDir) => path.join(cacheDir, '.complete');

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (code ${code}, signal ${signal}):\n${output.trim()}`)),
    );
  });
}

/**
 * Ensures the pinned schemathesis is installed in the cache; instant when it already is.
 * @returns {Promise<{ cacheDir: string, st: string }>}
 */
async function fetchSchemathesis() {
  const cacheDir = schemathesisCacheDir();
  const st = binary(cacheDir, 'st');
  if (fs.existsSync(markerFile(cacheDir)) && fs.existsSync(st)) return { cacheDir, st };
  const python = process.env.PYTHON || 'python3';
  // Debian ships venv's pip bootstrap (ensurepip) as a package of its own.
  if (spawnSync(python, ['-c', 'import ensurepip, venv'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`${python} cannot create a virtualenv with pip (on Debian: apt-get install python3-venv).`);
  }
  process.stderr.write(`Installing schemathesis (${REQUIREMENTS}, once) into ${cacheDir}\n`);
  // A half-made virtualenv from an interrupted run could hold a half-installed package: start clean.
  fs.rmSync(cacheDir, { recursive: true, force: true });
  await run(python, ['-m', 'venv', cacheDir]);
  await run(binary(cacheDir, 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS]);
  fs.writeFileSync(markerFile(cacheDir), fs.readFileSync(REQUIREMENTS));
  return { cacheDir, st };
}

module.exports = { fetchSchemathesis, schemathesisCacheDir };

if (require.main === module) {
  const [command] = process.argv.slice(2);
  if (command !== 'fetch') {
    process.stderr.write('usage: node tools/fuzz/schemathesis.js fetch\n');
    process.exit(2);
  }
  fetchSchemathesis().then(
    ({ st }) => process.stdout.write(`schemathesis: ${st}\n`),
    (error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    },
  );
}
