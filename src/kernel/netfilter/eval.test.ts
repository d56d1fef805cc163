// runChain reads packed rows, skips the rules a chain's destination index rules out and counts
// into the namespace's rows: it must decide exactly as a first-match walk over every rule with
// ruleMatches does (ipt_do_table), and leave the same counters. Random rule sets and packets;
// the statistic draws come from one seed on each side, so a draw skipped or added shows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../sim/index.js';
import type { Ipv4Packet } from '../../wire/index.js';
import { ipLength } from '../xmit.js';
import { SLOT } from './chain-index.js';
import { runChain, type Verdict } from './eval.js';
import { HINT } from './table-links.js';
import { ruleMatches, type MatchEnv, type PacketCtx } from './match.js';
import { IptablesState } from './tables.js';
import type { Rule, Table } from './types.js';

const ADDRS = ['10.0.0.1', '10.0.0.2', '10.0.1.7', '192.168.5.5', '10.96.0.10', '172.18.0.3'];
const NUMS = ADDRS.map((a) => a.split('.').reduce((v, o) => v * 256 + Number(o), 0));
const PORTS = [53, 80, 443, 8080];

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(0, xs.length)]!;

/** A random rule of chain `i` of `n` (jumps go only to later chains: no loops). */
function ruleLine(rng: Rng, chain: string, i: number, n: number): string {
  const w: string[] = ['-A', chain];
  const r = rng.float();
  if (r < 0.15) w.push(...(rng.float() < 0.3 ? ['!'] : []), '-s', `${pick(rng, ADDRS)}/${pick(rng, [8, 16, 24, 32])}`);
  const d = rng.float();
  // Mostly exact destinations (the index), some with prefixes or inverted (the wild list).
  if (d < 0.6) w.push('-d', `${pick(rng, ADDRS)}/32`);
  else if (d < 0.7) w.push('!', '-d', `${pick(rng, ADDRS)}/32`);
  else if (d < 0.8) w.push('-d', `${pick(rng, ADDRS)}/${pick(rng, [0, 8, 16, 24])}`);
  if (rng.float() < 0.1) w.push(...(rng.float() < 0.5 ? ['!'] : []), '-i', 'eth0');
  if (rng.float() < 0.6) {
    const proto = pick(rng, ['tcp', 'udp']);
    w.push('-p', proto);
    if (rng.float() < 0.7) w.push('-m', proto, ...(rng.float() < 0.1 ? ['!'] : []), '--dport', String(pick(rng, PORTS)));
  }
  if (rng.float() < 0.3) w.push('-m', 'comment', '--comment', `"rule ${i}"`);
  if (rng.float() < 0.1) w.push('-m', 'mark', '--mark', '0x1/0x1');
  if (rng.float() < 0.2) w.push('-m', 'statistic', '--mode', 'random', '--probability', String(pick(rng, [0.5, 0.25, 0, 1])));
  const t = rng.float();
  const later = i + 1 < n ? `C${rng.int(i + 1, n)}` : undefined;
  if (t < 0.35 && later) w.push('-j', later);
  else if (t < 0.45 && later) w.push('-g', later);
  else if (t < 0.55) w.push('-j', 'RETURN');
  else if (t < 0.65) w.push('-j', 'ACCEPT');
  else if (t < 0.72) w.push('-j', 'DROP');
  else if (t < 0.85) w.push('-j', 'MARK', '--set-xmark', '0x1/0x1');
  return w.join(' ');
}

function payload(rng: Rng): string {
  const n = rng.int(1, 6);
  const lines = ['*filter', ':INPUT DROP [0:0]'];
  for (let c = 0; c < n; c++) lines.push(`:C${c} - [0:0]`);
  for (let k = rng.int(0, 4); k > 0; k--) lines.push(ruleLine(rng, 'INPUT', -1, n));
  lines.push('-A INPUT -j C0');
  // Some chains long enough to be indexed by destination, some short.
  for (let c = 0; c < n; c++)
    for (let k = rng.float() < 0.5 ? rng.int(16, 60) : rng.int(0, 10); k > 0; k--) lines.push(ruleLine(rng, `C${c}`, c, n));
  lines.push('COMMIT', '');
  return lines.join('\n');
}

function packet(rng: Rng): Ipv4Packet {
  const tcp = rng.float() < 0.5;
  const l4 = tcp
    ? {
        kind: 'tcp' as const,
        srcPort: 40000,
        dstPort: pick(rng, PORTS),
        seq: 0,
        ack: 0,
        flags: 2,
        window: 64240,
        urgent: 0,
        options: new Uint8Array(0),
        payload: new Uint8Array(rng.int(0, 50)),
      }
    : {
        kind: 'udp' as const,
        srcPort: 40000,
        dstPort: pick(rng, PORTS),
        payload: { kind: 'raw' as const, bytes: new Uint8Array(rng.int(0, 50)) },
      };
  return {
    kind: 'ipv4',
    tos: 0,
    id: 0,
    df: true,
    mf: false,
    fragOffset: 0,
    ttl: 64,
    protocol: tcp ? 6 : 17,
    src: pick(rng, NUMS),
    dst: pick(rng, NUMS),
    options: new Uint8Array(0),
    payload: l4,
  } as Ipv4Packet;
}

const env = (rng: Rng): MatchEnv => ({
  rng,
  setMatch: () => false,
  recent: () => false,
  addrType: () => 'UNICAST',
});

const ctxOf = (p: Ipv4Packet, mark: number): PacketCtx => ({
  p,
  inDev: undefined,
  outDev: undefined,
  mark,
  ct: undefined,
  ns: undefined as never,
});

/** ipt_do_table over every rule in order: the verdict (as a string), the mark, and each rule's hits. */
function walk(t: Table, p: Ipv4Packet, mark: number, e: MatchEnv, hits: Map<Rule, number>): { v: string; mark: number } {
  const ctx = ctxOf(p, mark);
  const stack: { rules: readonly Rule[]; i: number }[] = [];
  let cur = { rules: t.chains.get('INPUT')!.rules, i: 0 };
  for (;;) {
    if (cur.i >= cur.rules.length) {
      const back = stack.pop();
      if (back) {
        cur = back;
        continue;
      }
      return { v: 'drop', mark: ctx.mark };
    }
    const r = cur.rules[cur.i++]!;
    if (!ruleMatches(r, ctx, e)) continue;
    hits.set(r, (hits.get(r) ?? 0) + 1);
    const tg = r.target;
    if (tg.kind === 'ACCEPT') return { v: 'accept', mark: ctx.mark };
    if (tg.kind === 'DROP') return { v: 'drop', mark: ctx.mark };
    if (tg.kind === 'MARK') ctx.mark = ((ctx.mark & ~tg.mask) ^ tg.value) >>> 0;
    else if (tg.kind === 'RETURN') {
      const back = stack.pop();
      if (!back) return { v: 'drop', mark: ctx.mark };
      cur = back;
    } else if (tg.kind === 'jump') {
      if (!tg.goto) stack.push(cur);
      cur = { rules: t.chains.get(tg.chain)!.rules, i: 0 };
    }
  }
}

const kind = (v: Verdict): string => (v.kind === 'accept' ? 'accept' : 'drop');

test('runChain decides and counts as a first-match walk over every rule (random rule sets and packets)', () => {
  const gen = new Rng(13);
  let indexed = 0;
  // Rule sets whose lookups took an indexed rule's jump, so later lookups read their hints (table-links.ts).
  let hinted = 0;
  for (let round = 0; round < 150; round++) {
    const s = new IptablesState();
    s.restore(payload(gen));
    const table = s.table('filter')!;
    if ([...table.chains.values()].some((c) => c.rules.length >= 16)) indexed++;
    const seed = gen.u32();
    const ours = new Rng(seed);
    const theirs = new Rng(seed);
    const hits = new Map<Rule, number>();
    const bytes = new Map<Rule, number>();
    for (let k = 0; k < 60; k++) {
      const p = packet(gen);
      const mark = gen.float() < 0.3 ? 1 : 0;
      const ctx = ctxOf(p, mark);
      const before = new Map(hits);
      const want = walk(table, p, mark, env(theirs), hits);
      const got = runChain(s, 'filter', 'INPUT', ctx, env(ours), () => {});
      assert.equal(kind(got), want.v, `round ${round} packet ${k}`);
      assert.equal(ctx.mark, want.mark, `round ${round} packet ${k}: mark`);
      // A chain jumped to twice (RETURN, then another jump to it) counts a rule twice for one packet.
      for (const [r, n] of hits) bytes.set(r, (bytes.get(r) ?? 0) + (n - (before.get(r) ?? 0)) * ipLength(p));
    }
    const linked = s.links('filter')!.chains;
    if (linked.some((lc) => lc.dsts?.some((v, i) => i % SLOT === HINT && v !== 0))) hinted++;
    for (const c of table.chains.values())
      for (const r of c.rules)
        assert.deepEqual(
          s.counters(r),
          { packets: hits.get(r) ?? 0, bytes: bytes.get(r) ?? 0 },
          `round ${round}: ${c.name} rule ${c.rules.indexOf(r) + 1}`,
        );
  }
  assert.ok(indexed > 50, 'enough rule sets have an indexed chain');
  assert.ok(hinted > 5, `enough rule sets have hints (${hinted})`);
});

test('runChain: a DNAT verdict carries the data of the rule target, packed or not (one address and port, no port, a range, --persistent)', () => {
  const s = new IptablesState();
  const targets = [
    '--to-destination 10.244.1.5:8080',
    '--to-destination 10.244.1.5',
    '--to-destination 10.244.1.5-10.244.1.9:80',
    '--to-destination 10.244.1.5:80-90',
    '--to-destination 10.244.1.5:8080 --persistent',
  ];
  const lines = ['*nat', ':C - [0:0]', '-A OUTPUT -j C'];
  targets.forEach((t, i) => lines.push(`-A C -d 10.96.0.${i + 1}/32 -p tcp -m tcp --dport 80 -j DNAT ${t}`));
  s.restore([...lines, 'COMMIT', ''].join('\n'));
  const rules = s.table('nat')!.chains.get('C')!.rules;
  targets.forEach((_, i) => {
    let p = packet(new Rng(i));
    for (let k = 0; p.payload.kind !== 'tcp'; k++) p = packet(new Rng(100 + k));
    const tcp = { ...p, dst: 0x0a600000 + i + 1, payload: { ...p.payload, dstPort: 80 } } as Ipv4Packet;
    const got = runChain(s, 'nat', 'OUTPUT', ctxOf(tcp, 0), env(new Rng(1)), () => {});
    assert.deepEqual(got, { kind: 'nat', target: rules[i]!.target }, targets[i]);
  });
});
