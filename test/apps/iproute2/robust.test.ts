// Whatever the arguments, ip/bridge/brctl answer with a message and an exit status: a command
// line never throws out of the emulator. Word soup from the commands' own vocabulary, seeded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runEmulated } from './run-emulated.js';

const SETUP = [
  'ip netns add ns1',
  'ip link add veth0 type veth peer name veth1',
  'ip link add br0 type bridge',
  'ip link add vx0 type vxlan id 5 dstport 4789 dev veth0',
  'ip link set veth0 up',
  'ip addr add 10.0.0.1/24 dev veth0',
];

const HEADS = ['ip', 'ip -j', 'ip -d', 'ip -s', 'ip -br', 'ip -o', 'ip -4', 'ip -6', 'ip -n ns1', 'bridge', 'bridge -j', 'brctl'];
const WORDS = [
  'link',
  'addr',
  'route',
  'neigh',
  'netns',
  'rule',
  'fdb',
  'show',
  'add',
  'del',
  'set',
  'replace',
  'append',
  'flush',
  'get',
  'change',
  'exec',
  'list',
  'dev',
  'veth0',
  'veth1',
  'br0',
  'vx0',
  'lo',
  'nosuch',
  'ns1',
  'type',
  'veth',
  'bridge',
  'vxlan',
  'dummy',
  'ipip',
  'peer',
  'name',
  'master',
  'nomaster',
  'up',
  'down',
  'mtu',
  '1400',
  '0',
  '-1',
  '99999',
  'address',
  '02:00:00:00:00:01',
  'zz',
  'netns',
  '1',
  'via',
  '10.0.0.2',
  '10.0.0.0/24',
  '10.9.0.0/16',
  'default',
  'table',
  'local',
  'main',
  'all',
  '100',
  'proto',
  'static',
  'scope',
  'link',
  'host',
  'metric',
  'src',
  'lladdr',
  'nud',
  'permanent',
  'stale',
  'to',
  'id',
  'dst',
  'self',
  'static',
  'br',
  'brport',
  'label',
  'broadcast',
  '+',
  'onlink',
  'blackhole',
  'unreachable',
  'from',
  'iif',
  'oif',
  'addbr',
  'delbr',
  'addif',
  'delif',
  'showmacs',
  'stp',
  'on',
  'help',
  '',
];

/** A small deterministic generator (xorshift32), so a failure reproduces. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

test('ip, bridge and brctl never throw on arbitrary word sequences', () => {
  const next = rng(20251126);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const lines = [...SETUP];
  for (let i = 0; i < 3000; i++) {
    const n = 1 + Math.floor(next() * 7);
    lines.push([pick(HEADS), ...Array.from({ length: n }, () => pick(WORDS))].filter((w) => w !== '').join(' '));
  }
  const transcript = runEmulated(lines.join('\n'));
  assert.ok(transcript.length > 0);
});
