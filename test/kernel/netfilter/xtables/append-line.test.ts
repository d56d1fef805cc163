// The direct reader of `-A` restore lines (append-line.ts) against the full parser: on every rule
// line of the iptables goldens, the kube-proxy goldens, the rulespec golden and the bench's
// 1,000-service payload, and on variants of each (a word dropped, doubled, swapped, inverted or
// replaced by an odd value), a line the reader takes gives exactly the full parser's rule (same
// fields in the same order), and the full parser accepts it. Lines the reader gives up on are
// the full parser's, errors included.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readAppendLine } from '../../../../src/kernel/netfilter/xtables/append-line.js';
import { parseCommand } from '../../../../src/kernel/netfilter/xtables/rulespec.js';
import { splitRestoreLine } from '../../../../src/kernel/netfilter/xtables/tables-restore.js';
import { firstSyncPayload } from '../../../../bench/kube-proxy.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');

interface Line {
  readonly table: string;
  readonly line: string;
}

/** The `-A` lines of a restore payload, with the table of their block. */
function payloadLines(text: string): Line[] {
  const out: Line[] = [];
  let table = 'filter';
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1).trim();
    else if (line.startsWith('-A')) out.push({ table, line });
  }
  return out;
}

function files(dir: string, ext: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

function corpus(): Line[] {
  const lines: Line[] = [];
  for (const text of files(join(ROOT, 'src/apps/iptables/testdata'), '.rules')) lines.push(...payloadLines(text));
  for (const dir of ['test/proxy/upstream', 'test/proxy/testdata'])
    for (const text of files(join(ROOT, dir), '.iptables')) lines.push(...payloadLines(text));
  for (const l of readFileSync(join(ROOT, 'src/kernel/netfilter/xtables/testdata/rulespecs.in'), 'utf8').split('\n')) {
    const m = /^(\w+) (\S+) (.*)$/.exec(l);
    if (m && !l.startsWith('#')) lines.push({ table: m[1]!, line: `-A ${m[2]} ${m[3]}` });
  }
  return lines;
}

const ODD = [
  '0',
  '80',
  '65535',
  '65536',
  '080',
  '1:2',
  '-1',
  '!',
  '1.2.3.4/0',
  '1.2.3.4/33',
  '10.1.2.3/8',
  '10.1.2.3/032',
  '10.1.2.3/255.0.0.0',
  '256.1.1.1',
  '10.1',
  'localhost',
  '1.2.3.4,5.6.7.8',
  'DROP',
  'ACCEPT',
  'RETURN',
  'DNAT',
  'REJECT',
  'NFLOG',
  'KUBE-X',
  'a'.repeat(29),
  'tcp',
  'udp',
  'TCP',
  'sctp',
  'icmp',
  'statistic',
  'comment',
  'random',
  'nth',
  '0.5',
  '1.5',
  '1e-1',
  '.5',
  '-m',
  '-p',
  '-j',
  '-s',
  '-d',
  '--dport',
  '--sport',
  '--comment',
  '--mode',
  '--probability',
  '--to-destination',
  '--dp',
  '1.2.3.4:80',
  ':80',
  '1.2.3.4',
  '1.2.3.4-1.2.3.5:80-81',
  '1.2.3.4:99999',
  '"two words"',
  '""',
  '"a\\"b"',
  'x"y',
  '"q"r',
  '[1:2]',
];

/** Variants of a line: each word dropped, doubled, swapped with the next, inverted, replaced. */
function variants(line: string): string[] {
  const words = line.split(' ');
  const out: string[] = [];
  const join = (ws: readonly string[]) => ws.join(' ');
  for (let i = 0; i < words.length; i++) {
    out.push(join([...words.slice(0, i), ...words.slice(i + 1)]));
    out.push(join([...words.slice(0, i + 1), ...words.slice(i)]));
    out.push(join([...words.slice(0, i), '!', ...words.slice(i)]));
    if (i + 1 < words.length) out.push(join([...words.slice(0, i), words[i + 1]!, words[i]!, ...words.slice(i + 2)]));
    for (const w of ODD) out.push(join([...words.slice(0, i), w, ...words.slice(i + 1)]));
  }
  out.push(`${line}\t`, `${line.replace(/ /g, '  ')}`, `${line}\r`, line.replace(/ (\S+)$/, '\t$1'), line.replace(/"/, '"\\'));
  return out;
}

/** The full parser's reading: the command, or its error. */
function full(l: Line): ReturnType<typeof parseCommand> | Error {
  try {
    return parseCommand(splitRestoreLine(l.line), { restore: true, table: l.table });
  } catch (e) {
    return e as Error;
  }
}

/** Checks the reader on one line; returns whether it took the line. */
function same(l: Line): boolean {
  const read = { ...readAppendLine(l.line, 0, l.line.length, l.table) };
  // The same line inside a payload, between lines that open quotes: read within its bounds only.
  const inPayload = readAppendLine(`a"\n${l.line}\n"b\\`, 3, 3 + l.line.length, l.table);
  assert.equal(JSON.stringify(inPayload), JSON.stringify(read), `in a payload: ${l.line}`);
  if (!read.rule) return false;
  const cmd = full(l);
  if (cmd instanceof Error) assert.fail(`${l.table}: ${l.line}\n  the reader took it; the full parser: ${cmd.message}`);
  assert.equal(cmd.command, 'append', l.line);
  assert.equal(cmd.counters, undefined, l.line);
  assert.equal(read.chain, cmd.chain, l.line);
  assert.equal(JSON.stringify(read.rule), JSON.stringify(cmd.rule), `${l.table}: ${l.line}`);
  return true;
}

test('the reader of -A lines gives the full parser rule on the goldens and their variants', () => {
  const seen = new Set<string>();
  let lines = 0;
  let taken = 0;
  let variantsTaken = 0;
  let variantsTried = 0;
  for (const l of corpus()) {
    const key = `${l.table} ${l.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines++;
    if (same(l)) taken++;
    for (const v of variants(l.line)) {
      if (seen.has(`${l.table} ${v}`)) continue;
      seen.add(`${l.table} ${v}`);
      variantsTried++;
      if (same({ table: l.table, line: v })) variantsTaken++;
    }
  }
  // The reader must be used at all: kube-proxy's common shapes are in the goldens.
  assert.ok(taken > 100, `the reader took ${taken} of ${lines} golden lines`);
  assert.ok(variantsTaken > 1000, `the reader took ${variantsTaken} of ${variantsTried} variants`);
});

test("the reader takes nearly all of the bench's 1,000-service payload", () => {
  const lines = payloadLines(firstSyncPayload(1000));
  let taken = 0;
  for (const l of lines) if (same(l)) taken++;
  assert.ok(taken >= 0.99 * lines.length, `the reader took ${taken} of ${lines.length} lines`);
});
