// The host interface's contract on the sim backend (the emulated kernel).
import { SimHost } from '../../src/host/index.js';
import { conformance } from './conformance.js';

conformance({ name: 'SimHost', unavailable: undefined, create: () => new SimHost(), has: { ipvs: true, ipip: true, dummy: true } });

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HostError } from '../../src/host/index.js';

test('SimHost configures and reads through the kernel directly: no shell, no virtual time', () => {
  const h = new SimHost();
  const t0 = h.session.kernel.clock.now();
  h.netnsAdd('pod');
  const root = h.at();
  root.linkAdd({ kind: 'bridge', name: 'cni0' });
  root.linkSet('cni0', { up: true });
  root.addrAdd('cni0', '10.244.1.1/24');
  root.linkAdd({ kind: 'veth', name: 'veth1', peer: 'eth0', peerNetns: 'pod' });
  root.linkSet('veth1', { master: 'cni0', up: true });
  const pod = h.at('pod');
  pod.addrAdd('eth0', '10.244.1.2/24');
  pod.linkSet('eth0', { up: true });
  pod.routeAdd({ dst: 'default', via: '10.244.1.1' });
  root.routeReplace({ dst: '10.244.2.0/24', via: '10.244.1.9', onlink: true, dev: 'cni0' });
  assert.deepEqual(root.linkList().map((l) => `${l.name}:${l.kind}:${l.master ?? ''}`), ['lo:loopback:', 'cni0:bridge:', 'veth1:veth:cni0']);
  assert.deepEqual(pod.routeList().map((r) => r.dst), ['default', '10.244.1.0/24']);
  assert.equal(h.session.kernel.clock.now(), t0);
});

test('SimHost refusals carry the kernel errno, so a step can be idempotent', () => {
  const h = new SimHost();
  const root = h.at();
  root.linkAdd({ kind: 'bridge', name: 'cni0' });
  assert.throws(
    () => root.linkAdd({ kind: 'bridge', name: 'cni0' }),
    (e: unknown) => e instanceof HostError && e.errno === 'EEXIST' && e.message === 'Cannot add link "cni0": RTNETLINK answers: File exists' && e.command === 'ip link add cni0 type bridge',
  );
  assert.throws(() => root.routeDel({ dst: '10.9.0.0/16', dev: 'cni0' }), (e: unknown) => e instanceof HostError && e.errno === 'ESRCH');
  // A value the fast path does not parse strictly goes to the tool, which answers as `ip` does.
  assert.throws(() => root.addrAdd('cni0', '10.1.2.300/24'), (e: unknown) => e instanceof HostError && e.errno === undefined && /Cannot add address "10.1.2.300\/24" to "cni0": /.test(e.message));
});
