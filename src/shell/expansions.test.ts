// What `knetlab diff` refuses: text bash would expand (as root, on the real run) and the emulator takes literally.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { unemulatedExpansion } from './expansions.js';

test('expansions bash performs and knetlab does not are named', () => {
  const cases: [string, RegExp][] = [
    ['ip link add x$(touch f) type bridge', /\$\(\.\.\.\) command substitution/],
    ['ip link add `id` type bridge', /command substitution/],
    ['echo "$HOME"', /parameter expansion/],
    ['echo ${X}', /parameter expansion/],
    ['echo $((1+1))', /arithmetic/],
    ['cat /proc/sys/net/ipv4/*', /pathname expansion/],
    ['cat ~/x', /tilde/],
    ['ip link add br{0,1} type bridge', /brace expansion/],
    ['X=1 ip link', /variable assignment/],
    ['(ip link)', /subshell/],
  ];
  for (const [line, found] of cases) assert.match(unemulatedExpansion(line) ?? 'nothing', found, line);
});

test('quoted and plain lines pass, and so does every scenario', () => {
  for (const line of [
    "iptables -A INPUT -m comment --comment '$(id) *' -j ACCEPT",
    'echo a # $(x)',
    "tcpdump -i eth0 'icmp[0] == 8'",
    'ip -4 addr',
    'echo 1 > /proc/sys/net/ipv4/ip_forward 2>&1 &',
  ]) {
    assert.equal(unemulatedExpansion(line), undefined, line);
  }
  const dir = join(resolve(dirname(fileURLToPath(import.meta.url)), '../../..'), 'test/scenarios');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.sh'))) {
    readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .forEach((line, i) => assert.equal(unemulatedExpansion(line), undefined, `${f}:${i + 1}: ${line}`));
  }
});
