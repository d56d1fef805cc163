// ipset against the real tool: each testdata/NAME.sh runs on a fresh emulated host and must print
// byte for byte what this machine's ipset v7.17 (kernel 6.18) printed for the same script in a
// fresh network namespace (testdata/NAME.txt). `UPDATE_GOLDEN=1` re-records (root, Linux).
//
// Sets created without `initval` get a random one in the kernel; the emulated registry is given
// the value the recording shows for that set name, so members come out in the same bucket order.
// Besides ipset lines, scripts may use `printf '…' > FILE` (restore input), `sleep N` (the clock
// advances N s) and `iptables -A|-F … --match-set NAME …` (takes or drops set references).
// Every command advances the clock 10 ms, about what the real lab spends per command.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { updateGolden } from '../../golden.js';
import { fileURLToPath } from 'node:url';
import { Host, Kernel } from '../../../src/kernel/index.js';
import { IpsetRegistry, attachIpset } from '../../../src/kernel/netfilter/index.js';
import { realLabUnavailableReason, runRealScenario } from '../../../src/reallab/index.js';
import { formatTranscript, parseScenario, shellWords, unifiedDiff, type TranscriptEntry } from '../../../src/transcript/index.js';
import type { Proc } from '../../../src/apps/proc.js';
import { ipset } from '../../../src/apps/ipset/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const TESTDATA = join(ROOT, 'src/apps/ipset/testdata');

/** Set name -> the initval its first appearance in the recording shows. */
function recordedInitvals(transcript: string): Map<string, number> {
  const map = new Map<string, number>();
  const put = (name: string, hex: string): void => {
    if (!map.has(name)) map.set(name, parseInt(hex, 16));
  };
  for (const m of transcript.matchAll(/^Name: (\S+)\n(?:.*\n){2}Header: .* initval (0x[0-9a-f]+)$/gm)) put(m[1]!, m[2]!);
  for (const m of transcript.matchAll(/^create (\S+) \S+ .* initval (0x[0-9a-f]+)$/gm)) put(m[1]!, m[2]!);
  for (const m of transcript.matchAll(/<ipset name="([^"]+)">\n(?:.*\n){2}<header>.*<initval>(0x[0-9a-f]+)<\/initval>/gm))
    put(m[1]!, m[2]!);
  return map;
}

function printfText(fmt: string): string {
  return fmt.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\\\/g, '\\');
}

/** Runs a script on a fresh emulated host; returns its transcript. */
export function runEmulated(script: string, initvals: ReadonlyMap<string, number>): string {
  const kernel = new Kernel({ seed: 'ipset-golden' });
  const host = new Host(kernel, 'lab');
  const ns = host.root;
  const registry = new IpsetRegistry(kernel.clock, { initval: (name) => initvals.get(name) ?? kernel.rng.u32() });
  attachIpset(ns, registry);
  const files = new Map<string, Uint8Array>();
  const refs: string[] = [];
  const entries: TranscriptEntry[] = parseScenario(script).map((c) => {
    let stdout = '';
    let stderr = '';
    const words = shellWords(c.text);
    let exit = 0;
    if (words[0] === 'sleep') {
      kernel.clock.advance(Number(words[1]) * 1000);
    } else if (words[0] === 'printf' && words[2] === '>') {
      files.set(words[3]!, new TextEncoder().encode(printfText(words[1]!)));
    } else if (words[0] === 'iptables') {
      const i = words.indexOf('--match-set');
      if (words.includes('-F')) for (const r of refs.splice(0)) registry.release(r);
      else if (i >= 0) {
        registry.reference(words[i + 1]!);
        refs.push(words[i + 1]!);
      }
    } else {
      const proc: Proc = {
        host,
        ns,
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        writeFile() {},
        readFile: (path) => files.get(path),
        exec: () => 127,
      };
      exit = ipset(words.slice(1), proc);
    }
    kernel.clock.advance(10);
    return { command: c.text, stdout, stderr, exit };
  });
  return formatTranscript(entries);
}

const names = readdirSync(TESTDATA)
  .filter((f) => f.endsWith('.sh'))
  .map((f) => f.slice(0, -3))
  .sort();

for (const name of names) {
  test(`ipset golden ${name}: the emulated ipset prints what ipset v7.17 printed`, async (t) => {
    const script = readFileSync(join(TESTDATA, `${name}.sh`), 'utf8');
    const golden = join(TESTDATA, `${name}.txt`);
    if (!(await updateGolden(t, golden, () => runRealScenario(script), realLabUnavailableReason()))) return;
    const expected = readFileSync(golden, 'utf8');
    const actual = runEmulated(script, recordedInitvals(expected));
    const diff = unifiedDiff(expected, actual, { from: `testdata/${name}.txt (real ipset)`, to: `emulated ${name}` });
    assert.ok(diff === '', `${name}: the emulated ipset differs from the real one\n${diff}`);
  });
}
