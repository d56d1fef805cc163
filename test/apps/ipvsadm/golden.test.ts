// ipvsadm against hand-built goldens. IPVS is not compiled into this machine's kernel, so the
// expected transcripts (testdata/NAME.txt) were written by hand from ipvsadm 1.31's printf
// formats (ipvsadm.c: print_title, print_service_entry, print_largenum, print_conn,
// list_timeout; libipvs.c: ipvs_strerror) and checked against the real `ipvsadm -Ln`,
// `--stats` and `--rate` output in seed 004; each file's leading `#` lines say where its formats
// come from. `UPDATE_GOLDEN=1` does not apply: there is no real tool to record from.
//
// Scripts may also use `knetlab-flow PROTO SRC:PORT VIP:PORT [syn|ack|fin|rst]...` (a packet into
// IPVS, printing the verdict), `knetlab-reply PROTO SERVER:PORT CLIENT:PORT [flags]` (a real
// server's reply) and `sleep N` (the clock advances N s). Each command advances the clock 10 ms.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Host, Kernel } from '../../../src/kernel/index.js';
import { ipvsOf } from '../../../src/kernel/netfilter/index.js';
import { formatTranscript, parseScenario, shellWords, unifiedDiff, type TranscriptEntry } from '../../../src/transcript/index.js';
import { formatIpv4, parseIpv4 } from '../../../src/wire/index.js';
import type { Proc } from '../../../src/apps/proc.js';
import { ipvsadm } from '../../../src/apps/ipvsadm/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const TESTDATA = join(ROOT, 'src/apps/ipvsadm/testdata');

function endpoint(text: string): [number, number] {
  const [a, p] = text.split(':');
  return [parseIpv4(a!)!, Number(p)];
}

/** Runs a script on a fresh emulated host; returns its transcript. */
export function runEmulated(script: string): string {
  const kernel = new Kernel({ seed: 'ipvsadm-golden' });
  const host = new Host(kernel, 'lab');
  const ns = host.root;
  const ipvs = ipvsOf(ns);
  const entries: TranscriptEntry[] = parseScenario(script).map((c) => {
    let stdout = '';
    let stderr = '';
    let exit = 0;
    const words = shellWords(c.text);
    if (words[0] === 'sleep') {
      kernel.clock.advance(Number(words[1]) * 1000);
    } else if (words[0] === 'knetlab-flow' || words[0] === 'knetlab-reply') {
      const protocol = words[1] === 'udp' ? 17 : 6;
      const [src, sport] = endpoint(words[2]!);
      const [dst, dport] = endpoint(words[3]!);
      const flags = new Set(words.slice(4));
      const tcp = { syn: flags.has('syn'), ack: flags.has('ack'), fin: flags.has('fin'), rst: flags.has('rst') };
      const pkt = { protocol, src, sport, dst, dport, tcp, len: protocol === 6 ? 60 : 80 };
      if (words[0] === 'knetlab-flow') {
        const v = ipvs.packetIn(pkt);
        stdout = v.kind === 'forward' ? `forward ${formatIpv4(v.dest.addr)}:${v.conn.dport}${v.created ? ' (new)' : ''}\n` : `${v.kind}\n`;
      } else {
        const hit = ipvs.lookup(pkt);
        if (hit?.dir === 'out') ipvs.outPacket(hit.conn, pkt);
        stdout = hit ? `${hit.dir}\n` : 'no connection\n';
      }
    } else {
      const proc: Proc = {
        host,
        ns,
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        writeFile() {},
        readFile: () => undefined,
        exec: () => 127,
      };
      exit = ipvsadm(words.slice(1), proc);
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
  test(`ipvsadm golden ${name}: the emulated ipvsadm prints ipvsadm 1.31's formats`, () => {
    const script = readFileSync(join(TESTDATA, `${name}.sh`), 'utf8');
    const expected = readFileSync(join(TESTDATA, `${name}.txt`), 'utf8').replace(/^(#.*\n)+/, '');
    const actual = runEmulated(script);
    const diff = unifiedDiff(expected, actual, { from: `testdata/${name}.txt (hand-built)`, to: `emulated ${name}` });
    assert.ok(diff === '', `${name}: the emulated ipvsadm differs from the expected output\n${diff}`);
  });
}
