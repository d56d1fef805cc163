// The host interface's contract on the sim backend (the emulated kernel).
import { SimHost } from '../../src/host/index.js';
import { conformance } from './conformance.js';

conformance({
  name: 'SimHost',
  unavailable: undefined,
  create: () => new SimHost(),
  has: { ipvs: true, ipip: true, dummy: true, nfqueue: true },
});

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
  assert.deepEqual(
    root.linkList().map((l) => `${l.name}:${l.kind}:${l.master ?? ''}`),
    ['lo:loopback:', 'cni0:bridge:', 'veth1:veth:cni0'],
  );
  assert.deepEqual(
    pod.routeList().map((r) => r.dst),
    ['default', '10.244.1.0/24'],
  );
  assert.equal(h.session.kernel.clock.now(), t0);
});

test('SimHost refusals carry the kernel errno, so a step can be idempotent', () => {
  const h = new SimHost();
  const root = h.at();
  root.linkAdd({ kind: 'bridge', name: 'cni0' });
  assert.throws(
    () => root.linkAdd({ kind: 'bridge', name: 'cni0' }),
    (e: unknown) =>
      e instanceof HostError &&
      e.errno === 'EEXIST' &&
      e.message === 'Cannot add link "cni0": RTNETLINK answers: File exists' &&
      e.command === 'ip link add cni0 type bridge',
  );
  assert.throws(
    () => root.routeDel({ dst: '10.9.0.0/16', dev: 'cni0' }),
    (e: unknown) => e instanceof HostError && e.errno === 'ESRCH',
  );
  // A value the fast path does not parse strictly goes to the tool, which answers as `ip` does.
  assert.throws(
    () => root.addrAdd('cni0', '10.1.2.300/24'),
    (e: unknown) => e instanceof HostError && e.errno === undefined && /Cannot add address "10.1.2.300\/24" to "cni0": /.test(e.message),
  );
});

import { ToolsNetHandle } from '../../src/host/tools.js';
import type { NetHandle } from '../../src/host/index.js';

/** A node after some traffic: neighbours in several states, a bridge's learned, static and own entries, a vxlan's forwarding table, sysctls changed. */
function populated(): SimHost {
  const h = new SimHost();
  const root = h.at();
  root.linkAdd({ kind: 'bridge', name: 'cni0' });
  root.linkSet('cni0', { up: true });
  root.addrAdd('cni0', '10.244.0.1/24');
  for (const [i, pod] of ['a', 'b'].entries()) {
    h.netnsAdd(pod);
    root.linkAdd({ kind: 'veth', name: `veth${pod}`, peer: 'eth0', peerNetns: pod });
    root.linkSet(`veth${pod}`, { master: 'cni0', up: true });
    h.at(pod).linkSet('eth0', { up: true });
    h.at(pod).addrAdd('eth0', `10.244.0.${i + 2}/24`);
  }
  root.linkAdd({ kind: 'dummy', name: 'eth1' });
  root.linkSet('eth1', { up: true });
  root.addrAdd('eth1', '172.18.0.2/16');
  root.linkAdd({ kind: 'vxlan', name: 'flannel.1', vni: 1, local: '172.18.0.2', dev: 'eth1', dstPort: 8472, learning: false });
  root.linkSet('flannel.1', { up: true });
  root.fdbAppend({ mac: '02:aa:00:00:00:03', dev: 'flannel.1', dst: '172.18.0.3' });
  root.fdbAppend({ mac: '02:aa:00:00:00:04', dev: 'flannel.1', dst: '172.18.0.4' });
  root.fdbAppend({ mac: '02:bb:00:00:00:01', dev: 'vetha', master: true });
  root.neighReplace({ dst: '10.244.1.0', dev: 'flannel.1', lladdr: '02:aa:00:00:00:03' });
  root.neighReplace({ dst: '10.244.0.77', dev: 'cni0', lladdr: '02:cc:00:00:00:77', state: 'noarp' });
  root.neighReplace({ dst: '10.244.0.78', dev: 'cni0', lladdr: '02:cc:00:00:00:78', state: 'stale' });
  // traffic: pod a answers (REACHABLE, and the bridge learns its MAC); 10.244.0.99 does not (FAILED)
  assert.equal(h.run(['ping', '-c', '1', '-W', '1', '10.244.0.2']).status, 0);
  assert.equal(h.run(['ping', '-c', '1', '-W', '1', '10.244.0.99']).status, 1);
  assert.equal(h.run(['ip', 'neigh', 'add', '10.244.0.98', 'dev', 'cni0', 'nud', 'incomplete']).status, 0);
  assert.equal(h.run(['ip', 'neigh', 'add', '10.244.0.97', 'dev', 'cni0', 'lladdr', '02:cc:00:00:00:97', 'nud', 'delay']).status, 0);
  root.sysctlSet('net.ipv4.ip_forward', '1');
  root.sysctlSet('net.ipv4.conf.cni0.proxy_arp', '1');
  return h;
}

/** Every read of `h` answered without running a program and without moving the virtual clock. */
function quiet<T>(h: SimHost, read: () => T): T {
  const run = h.run;
  let runs = 0;
  h.run = (argv, stdin) => (runs++, run.call(h, argv, stdin));
  const t0 = h.session.kernel.clock.now();
  try {
    return read();
  } finally {
    h.run = run;
    assert.equal(runs, 0, 'a read ran a program');
    assert.equal(h.session.kernel.clock.now(), t0, 'a read moved the virtual clock');
  }
}

test('SimHost reads neighbours, fdb entries and sysctls from the kernel: no program, no virtual time, the records `ip -j`, `bridge -j` and `sysctl -n` give', () => {
  const h = populated();
  for (const ns of [undefined, 'a']) {
    const dev = ns === undefined ? 'cni0' : 'eth0';
    const sysctls = [
      'net.ipv4.ip_forward',
      `net.ipv4.conf.${dev}.proxy_arp`,
      `net.ipv4.conf.${dev}.forwarding`,
      'net.ipv4.conf.all.rp_filter',
      'net.ipv4.ip_local_port_range',
      'net.core.somaxconn',
    ];
    const direct: NetHandle = h.at(ns);
    const tools = new ToolsNetHandle(h, ns);
    const fast = quiet(h, () => ({
      neigh: direct.neighList(),
      fdb: direct.fdbList(),
      fdbVxlan: direct.fdbList(ns === undefined ? 'flannel.1' : 'eth0'),
      fdbPort: ns === undefined ? direct.fdbList('vetha') : [],
      sysctl: sysctls.map((k) => direct.sysctlGet(k)),
    }));
    const slow = {
      neigh: tools.neighList(),
      fdb: tools.fdbList(),
      fdbVxlan: tools.fdbList(ns === undefined ? 'flannel.1' : 'eth0'),
      fdbPort: ns === undefined ? tools.fdbList('vetha') : [],
      sysctl: sysctls.map((k) => tools.sysctlGet(k)),
    };
    assert.equal(JSON.stringify(fast), JSON.stringify(slow), `namespace ${ns ?? 'root'}`);
    if (ns === undefined) {
      assert.deepEqual(
        fast.neigh.map((n) => n.state.join()),
        ['PERMANENT', 'STALE', 'REACHABLE', 'INCOMPLETE', 'INCOMPLETE', 'DELAY'],
        'NOARP entries are not listed',
      );
      assert.deepEqual(new Set(fast.fdb.map((e) => e.state)), new Set(['permanent', 'static', '']));
      assert.equal(fast.fdbVxlan.length, 2);
    }
  }
});

test("SimHost reads what the fast path cannot take the tool way, refusals in the tool's words", () => {
  const h = populated();
  const root = h.at();
  const tools = new ToolsNetHandle(h, undefined);
  const refusal = (read: (n: NetHandle) => unknown): string => {
    try {
      read(root);
      return 'no refusal';
    } catch (e) {
      assert.ok(e instanceof HostError);
      assert.throws(
        () => read(tools),
        (t: unknown) => t instanceof HostError && t.message === e.message,
      );
      return e.message;
    }
  };
  assert.equal(
    refusal((n) => n.fdbList('nonesuch')),
    'Cannot list fdb entries: Cannot find device "nonesuch"',
  );
  assert.equal(
    refusal((n) => n.sysctlGet('net.ipv4.nonesuch')),
    'Cannot read sysctl "net.ipv4.nonesuch": sysctl: cannot stat /proc/sys/net/ipv4/nonesuch: No such file or directory',
  );
  // a directory and a device name holding '.' (sysctl's '/') are read by sysctl itself
  assert.equal(root.sysctlGet('net.ipv4.conf.flannel/1.forwarding'), '1');
  assert.equal(root.sysctlGet('net.ipv4.conf.lo').split('\n').length, tools.sysctlGet('net.ipv4.conf.lo').split('\n').length);
  // a namespace deleted after its handle was opened
  const a = h.at('a');
  h.netnsDel('a');
  for (const read of [() => a.neighList(), () => a.fdbList(), () => a.linkList(), () => a.addrList(), () => a.routeList()]) {
    assert.throws(read, (e: unknown) => e instanceof HostError && /: Cannot open network namespace "a"/.test(e.message));
  }
});

test("SimHost writes fdb entries straight into the bridge's and the vxlan's tables: no program, no virtual time, the table the `bridge` tool leaves", () => {
  const [direct, viaTool] = [populated(), populated()];
  const ops = (n: NetHandle) => {
    n.fdbAppend({ mac: '02:AA:00:00:00:05', dev: 'flannel.1', dst: '172.18.0.5' });
    n.fdbAppend({ mac: '02:aa:00:00:00:05', dev: 'flannel.1', dst: '172.18.0.6' });
    n.fdbDel({ mac: '02:aa:00:00:00:03', dev: 'flannel.1', dst: '172.18.0.3' });
    n.fdbAppend({ mac: '02:bb:00:00:00:02', dev: 'vethb', master: true });
    n.fdbAppend({ mac: '02:bb:00:00:00:01', dev: 'vethb', master: true });
    n.fdbDel({ mac: '02:bb:00:00:00:02', dev: 'vethb', master: true });
  };
  quiet(direct, () => ops(direct.at()));
  ops(new ToolsNetHandle(viaTool, undefined));
  assert.equal(JSON.stringify(direct.at().fdbList()), JSON.stringify(new ToolsNetHandle(viaTool, undefined).fdbList()));
  assert.deepEqual(
    direct
      .at()
      .fdbList('flannel.1')
      .map((e) => `${e.mac} ${e.dst}`),
    ['02:aa:00:00:00:05 172.18.0.5', '02:aa:00:00:00:05 172.18.0.6', '02:aa:00:00:00:04 172.18.0.4'],
  );
  // refusals keep the tool's words and status, with the kernel's errno
  const refusal = (n: NetHandle, op: (n: NetHandle) => void): unknown[] => {
    try {
      op(n);
    } catch (e) {
      assert.ok(e instanceof HostError);
      return [e.message, e.status, e.errno, e.command];
    }
    return [];
  };
  for (const op of [
    (n: NetHandle) => n.fdbDel({ mac: '02:bb:00:00:00:09', dev: 'vethb', master: true }),
    (n: NetHandle) => n.fdbDel({ mac: '02:aa:00:00:00:09', dev: 'flannel.1', dst: '172.18.0.9' }),
    (n: NetHandle) => n.fdbAppend({ mac: '02:bb:00:00:00:03', dev: 'cni0', master: true }),
    (n: NetHandle) => n.fdbAppend({ mac: '02:bb:00:00:00:03', dev: 'nonesuch', master: true }),
  ]) {
    const [d, t] = [refusal(direct.at(), op), refusal(new ToolsNetHandle(viaTool, undefined), op)];
    assert.notDeepEqual(d, []);
    assert.deepEqual(d, t);
  }
});

test('SimHost: a rule two namespaces ensure counts in each apart, and ensured again after a delete starts from zero', () => {
  const [a, b] = [new SimHost(), new SimHost()];
  const rule = ['-m', 'comment', '--comment', 'test jump', '-j', 'ACCEPT'];
  const counts = (h: SimHost) =>
    h.session.exec(['iptables', '-v', '-n', '-L', 'OUTPUT']).stdout.split('\n')[2]!.trim().split(/\s+/).slice(0, 2);
  for (const h of [a, b]) assert.equal(h.at().iptablesEnsureAll('filter', [{ chain: 'OUTPUT', rule }])[0], false);
  a.session.exec(['ping', '-c', '2', '127.0.0.1']);
  assert.deepEqual(counts(a), ['4', '336']);
  assert.deepEqual(counts(b), ['0', '0']);
  a.session.exec(['iptables', '-D', 'OUTPUT', ...rule]);
  assert.equal(a.at().iptablesEnsureRule('filter', 'OUTPUT', rule), false);
  assert.deepEqual(counts(a), ['0', '0']);
});

test("SimHost: routes asked of a namespace after others asked for them (a joining kindnet agent's) are taken with their own values", () => {
  const h = new SimHost();
  const hosts = ['a', 'b'].map((n) => {
    h.netnsAdd(n);
    const at = h.at(n);
    at.linkAdd({ kind: 'dummy', name: 'eth0' });
    at.linkSet('eth0', { up: true });
    at.addrAdd('eth0', `172.18.0.${n === 'a' ? 2 : 3}/16`);
    return at;
  });
  const routes = [1, 2, 3].map((i) => ({ dst: `10.244.${i}.0/24`, via: `172.18.0.${10 + i}` }));
  for (const r of routes) hosts[0]!.routeReplace(r);
  // the same destinations again, in another order, one through another gateway, one with a metric
  hosts[1]!.routeReplace(routes[2]!);
  hosts[1]!.routeReplace({ ...routes[0]!, via: '172.18.0.99' });
  hosts[1]!.routeReplace({ ...routes[1]!, metric: 7 });
  hosts[1]!.routeReplace(routes[0]!);
  // a value refused once is refused when asked again, after other requests for that destination
  for (let i = 0; i < 2; i++)
    assert.throws(() => hosts[1]!.routeReplace({ dst: routes[1]!.dst, via: '172.18.0.256' }), /is not an IPv4 address/);
  const listed = (n: number) => hosts[n]!.routeList().map((r) => `${r.dst} ${r.via ?? ''} ${r.metric ?? 0}`);
  assert.deepEqual(listed(0), [
    '10.244.1.0/24 172.18.0.11 0',
    '10.244.2.0/24 172.18.0.12 0',
    '10.244.3.0/24 172.18.0.13 0',
    '172.18.0.0/16  0',
  ]);
  assert.deepEqual(listed(1), [
    '10.244.1.0/24 172.18.0.11 0',
    '10.244.2.0/24 172.18.0.12 7',
    '10.244.3.0/24 172.18.0.13 0',
    '172.18.0.0/16  0',
  ]);
});

test("SimHost: one route asked of many namespaces in turn (kindnet's pattern) is refused or taken by each as alone", () => {
  const h = new SimHost();
  const hosts = ['a', 'b', 'c'].map((n) => {
    h.netnsAdd(n);
    return h.at(n);
  });
  for (const n of [hosts[0]!, hosts[2]!]) {
    n.linkAdd({ kind: 'dummy', name: 'eth0' });
    n.linkSet('eth0', { up: true });
    n.addrAdd('eth0', '172.18.0.2/16');
  }
  const route = { dst: '10.244.1.0/24', via: '172.18.0.3' };
  const refused = (e: unknown, errno: string | undefined, message: string) =>
    e instanceof HostError && e.errno === errno && e.message === message;
  hosts[0]!.routeReplace(route);
  // b has no link to 172.18.0.0/16: the kernel refuses the gateway, in the request's own words
  assert.throws(
    () => hosts[1]!.routeReplace({ ...route }),
    (e: unknown) => refused(e, 'ENETUNREACH', 'Cannot replace route "10.244.1.0/24": Error: Nexthop has invalid gateway.'),
  );
  hosts[2]!.routeReplace(route);
  // the same values with another verb: add finds the route there
  assert.throws(
    () => hosts[0]!.routeAdd(route),
    (e: unknown) => refused(e, 'EEXIST', 'Cannot add route "10.244.1.0/24": RTNETLINK answers: File exists'),
  );
  // a device of the namespace's own, looked up in each
  hosts[0]!.routeReplace({ ...route, dev: 'eth0', metric: 5 });
  assert.throws(() => hosts[1]!.routeReplace({ ...route, dev: 'eth0', metric: 5 }), HostError);
  // a value the checks refuse is refused every time
  for (let i = 0; i < 2; i++) assert.throws(() => hosts[0]!.routeReplace({ dst: '10.244.1.0/33' }), /is not an IPv4 prefix/);
  for (const [i, n] of hosts.entries())
    assert.deepEqual(
      n.routeList().map((r) => `${r.dst} ${r.via ?? ''} ${r.metric ?? 0}`),
      i === 1 ? [] : ['10.244.1.0/24 172.18.0.3 0', ...(i === 0 ? ['10.244.1.0/24 172.18.0.3 5'] : []), '172.18.0.0/16  0'],
    );
});
