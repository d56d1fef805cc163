// `:CHAIN POLICY [p:b]` lines read in place by iptables-restore (tables-restore.ts) against the
// full path: with -c every declaration goes through the full path (its counters are read), and
// [0:0] counters change nothing iptables-save prints without -c. So each payload below must give
// the same tables, or the same error, both ways.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IptablesState } from '../../../../src/kernel/netfilter/index.js';

const LINES = [
  ':KUBE-X - [0:0]',
  ':KUBE-X ACCEPT [0:0]',
  ':KUBE-X -',
  ':KUBE-X',
  ':KUBE-X ',
  ':KUBE-X - [0:0] more words',
  ':KUBE-X  - [0:0]',
  ':KUBE-X\t- [0:0]',
  ':KUBE-X -\r',
  ':KUBE-X - [0:0]\r',
  ': KUBE-X - [0:0]',
  ':KUBE-X\u00a0- [0:0]',
  ':INPUT ACCEPT [0:0]',
  ':INPUT DROP [0:0]',
  ':INPUT FOO [0:0]',
  ':INPUT -',
  ':ACCEPT - [0:0]',
  ':NFLOG - [0:0]',
  ':-X - [0:0]',
  `:${'A'.repeat(28)} - [0:0]`,
  `:${'A'.repeat(29)} - [0:0]`,
  ':',
  ':"X" - [0:0]',
  ':X" - [0:0]',
  ':Y - [0:0]',
];

function restore(payload: string, counters: boolean): string {
  const state = new IptablesState();
  try {
    state.restore(payload, counters ? { counters: true } : {});
    return state.save();
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

test('declarations read in place give what the full path gives', () => {
  let n = 0;
  for (const line of LINES)
    for (const payload of [
      `*filter\n${line}\nCOMMIT\n`,
      `*filter\n:KUBE-X - [0:0]\n:Y - [0:0]\n-A KUBE-X -j Y\n-A Y -j ACCEPT\n${line}\nCOMMIT\n`,
      `*nat\n${line}\n${line}\n-A KUBE-X -j RETURN\nCOMMIT\n`,
    ]) {
      assert.equal(restore(payload, false), restore(payload, true), JSON.stringify(payload));
      n++;
    }
  assert.equal(n, LINES.length * 3);
});
