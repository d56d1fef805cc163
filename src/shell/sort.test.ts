// GNU sort 9.1 in the C locale, recorded on this machine (`sort ARGS` with LANG unset): the order
// kind's nodes print, which just-bash's locale collation does not give.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sortPlan, sortText } from './sort.js';

const RECORDED: [string, string[], string][] = [
  ['*filter\n:INPUT ACCEPT\n-A FOO -j X\nCOMMIT\nb\nB\na\n', [], '*filter\n-A FOO -j X\n:INPUT ACCEPT\nB\nCOMMIT\na\nb\n'],
  ['10 x\n9 y\n-1 z\n 3 w\n', ['-n'], '-1 z\n 3 w\n9 y\n10 x\n'],
  ['a:3\nb:1\nc:2\n', ['-t:', '-k2n'], 'b:1\nc:2\na:3\n'],
  ['x 2\ny 10\nz 1\n', ['-k2', '-n', '-r'], 'y 10\nx 2\nz 1\n'],
  ['b\na\nb\nA\n', ['-u'], 'A\na\nb\n'],
  ['b\na\nb\nA\n', ['-fu'], 'a\nb\n'],
  ['foo  3 x\nbar 1  y\nbaz 2 z\n', ['-k2,2'], 'foo  3 x\nbar 1  y\nbaz 2 z\n'],
  ['foo  3 x\nbar 1  y\nbaz 2 z\n', ['-k2b,2'], 'bar 1  y\nbaz 2 z\nfoo  3 x\n'],
  ['k 1.5\nk 1.10\nk 1.2\n', ['-k2,2n'], 'k 1.10\nk 1.2\nk 1.5\n'],
  ['c\na\nb\n', ['-r'], 'c\nb\na\n'],
  ['a b\na  a\n', ['-k2'], 'a  a\na b\n'],
  ['x.y\nx-y\nxAy\nx_y\n', [], 'x-y\nx.y\nxAy\nx_y\n'],
  [
    '10.244.1.0/24 via 172.18.0.3\n10.244.10.0/24 via 172.18.0.12\n10.244.2.0/24 via 172.18.0.4\n',
    ['-t.', '-k3,3n'],
    '10.244.1.0/24 via 172.18.0.3\n10.244.2.0/24 via 172.18.0.4\n10.244.10.0/24 via 172.18.0.12\n',
  ],
  ['tcp 6 ESTABLISHED\nudp 17\ntcp 6 TIME_WAIT\n', ['-k1,1', '-s'], 'tcp 6 ESTABLISHED\ntcp 6 TIME_WAIT\nudp 17\n'],
];

test('sort orders lines as GNU sort does in the C locale: bytes, -n, -r, -u, -f, -b, -s, -k, -t', () => {
  for (const [input, args, want] of RECORDED) assert.equal(sortText(input, sortPlan(args)!), want, `sort ${args.join(' ')}`);
});

test('options sort leaves to just-bash are not planned: -h, -V, -o FILE', () => {
  for (const args of [['-h'], ['-V'], ['-o', 'out'], ['-t', '::']]) assert.equal(sortPlan(args), undefined, args.join(' '));
});
