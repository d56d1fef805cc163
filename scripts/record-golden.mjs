#!/usr/bin/env node
// (Re)records the real-kernel goldens: runs every scenario test/scenarios/NAME.sh on a fresh
// real lab host (see src/reallab/lab.ts) several times, normalises each transcript, checks
// that the runs agree, and writes test/golden/real/NAME.txt.
//
// Needs root on Linux with unshare, iproute2, iputils-ping, bridge-utils, procps, tcpdump.
// Usage (from the repository root, after a build):
//   npx tsc -p . && node scripts/record-golden.mjs [--runs N] [--jobs N] [--check] [NAME...]
//     --runs N   record each scenario N times and require identical normalised output (default 3)
//     --jobs N   labs run at once (default 1: neighbour states are timing-sensitive, see below)
//     --check    write nothing; compare the new recording with the committed golden
//     NAME...    only these scenarios (default: all of test/scenarios/*.sh)
// Exit status: 0 when every scenario was recorded (or matched, with --check), 1 otherwise.
//
// Timing: a few goldens show neighbour states that hold only for a while after a ping
// (DELAY lasts delay_first_probe_time = 5 s after a STALE entry is used, then REACHABLE).
// Scenarios reach those listings within ~2 s on an idle machine; on a very busy one they may
// not, so record one lab at a time (the default) and re-run if the runs disagree.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { runRealScenario, realLabUnavailableReason } = await import(join(root, 'dist/src/reallab/index.js'));
const { normalise } = await import(join(root, 'dist/src/transcript/index.js'));

const args = process.argv.slice(2);
let runs = 3;
let jobs = 1;
let check = false;
const names = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--jobs') jobs = Number(args[++i]);
  else if (args[i] === '--check') check = true;
  else if (args[i].startsWith('-')) throw new Error(`unknown option ${args[i]}`);
  else names.push(args[i].replace(/\.sh$/, ''));
}

const unavailable = realLabUnavailableReason();
if (unavailable !== undefined) {
  console.error(`record-golden: cannot record: ${unavailable}`);
  process.exit(1);
}

const scenarioDir = join(root, 'test/scenarios');
const goldenDir = join(root, 'test/golden/real');
const all = readdirSync(scenarioDir)
  .filter((f) => f.endsWith('.sh'))
  .map((f) => f.slice(0, -3))
  .sort();
const chosen = names.length > 0 ? names : all;

function diff(a, b, labelA, labelB) {
  const d = mkdtempSync(join(tmpdir(), 'knetlab-diff-'));
  try {
    writeFileSync(join(d, 'a'), a);
    writeFileSync(join(d, 'b'), b);
    return spawnSync('diff', ['-u', '--label', labelA, '--label', labelB, join(d, 'a'), join(d, 'b')]).stdout.toString();
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}

// A small pool: at most `jobs` labs at once.
async function pool(tasks) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
  return results;
}

const tasks = [];
for (const name of chosen) {
  const script = readFileSync(join(scenarioDir, `${name}.sh`), 'utf8');
  for (let r = 0; r < runs; r++) tasks.push(async () => ({ name, text: normalise(await runRealScenario(script)) }));
}
const results = await pool(tasks);

let failed = false;
for (const name of chosen) {
  const texts = results.filter((r) => r.name === name).map((r) => r.text);
  const disagree = texts.findIndex((t) => t !== texts[0]);
  if (disagree > 0) {
    failed = true;
    console.error(`record-golden: ${name}: run 1 and run ${disagree + 1} differ after normalisation:`);
    console.error(diff(texts[0], texts[disagree], `${name} run 1`, `${name} run ${disagree + 1}`));
    continue;
  }
  const file = join(goldenDir, `${name}.txt`);
  if (check) {
    const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (old === texts[0]) console.log(`record-golden: ${name}: matches the golden`);
    else {
      failed = true;
      console.error(`record-golden: ${name}: differs from the golden:`);
      console.error(diff(old, texts[0], `test/golden/real/${name}.txt`, `${name} (real, now)`));
    }
  } else {
    writeFileSync(file, texts[0]);
    console.log(`record-golden: ${name}: ${runs} identical runs, wrote test/golden/real/${name}.txt`);
  }
}
process.exit(failed ? 1 : 0);
