// A packet's walk names every netfilter decision it met: the conntrack verdict, each rule that
// matched (as iptables-save prints it) and the NAT rewrite.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Walk } from '../kernel/index.js';
import { Session } from './session.js';

test('the walk of a DNATed ping shows conntrack, the matching nat rule and the rewrite', () => {
  const s = new Session({ host: 'walk', seed: 'walk' });
  const walks: Walk[] = [];
  let err = '';
  const status = s.run(
    `ip netns add srv
ip link add veth0 type veth peer name eth0 netns srv
ip link set veth0 up
ip addr add 10.0.0.1/24 dev veth0
ip netns exec srv ip link set eth0 up
ip netns exec srv ip addr add 10.0.0.2/24 dev eth0
ip route add 10.96.0.0/12 dev veth0
iptables -t nat -A OUTPUT -d 10.96.0.10/32 -p icmp -j DNAT --to-destination 10.0.0.2
ping -c 1 10.96.0.10`,
    {
      stdout() {},
      stderr: (t) => (err += t),
      writeFile() {},
      readFile: () => undefined,
      trace: () => {
        const w = new Walk();
        walks.push(w);
        return w;
      },
    },
  );
  assert.equal(status, 0, err);
  const text = walks[0]!.render();
  assert.match(text, /netfilter: conntrack: NEW original/);
  assert.match(text, /netfilter veth0: nat -A OUTPUT -d 10\.96\.0\.10\/32 -p icmp -j DNAT --to-destination 10\.0\.0\.2/);
  assert.match(text, /netfilter veth0: DNAT 10\.96\.0\.10 -> 10\.0\.0\.2/);
  // The reply comes back un-NATed: ping saw an answer from the address it pinged.
  assert.match(text, /netfilter: conntrack: ESTABLISHED reply/);
  assert.match(text, /netfilter veth0: un-DNAT source 10\.0\.0\.2 -> 10\.96\.0\.10/);
});
