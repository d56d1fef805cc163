// Hostile values at every operation of the host interface, on both backends: each call fails
// with a HostError before anything runs, and nothing outside the lab changes (no file appears on
// the machine, the machine's `ip netns list` stays as it was), nor does the lab's own state.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { HostError, SimHost, type HostNetwork, type NetHandle } from '../../src/host/index.js';
import { LinuxHost, realLabUnavailableReason } from '../../src/reallab/index.js';

const CANARY = join(tmpdir(), `knetlab-canary-${process.pid}`);

/** Each holds something no field may carry: a line break, NUL, a blank, non-ASCII, or 10 KB. */
const PAYLOADS = [
  `\nnetns exec pod touch ${CANARY}`,
  `\nnetns exec pod sh -c 'touch ${CANARY}'`,
  `\r\nlink add evil type dummy`,
  `; touch ${CANARY}`,
  `$(touch ${CANARY})`,
  `\`touch ${CANARY}\``,
  '\0',
  ' ',
  'é',
  '\u202e',
  '🙂',
  'x'.repeat(10_240),
];

/** A valid value with a payload put in (before, inside or after it) and random text around. */
const hostile = (valid: string): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...PAYLOADS), fc.string({ unit: 'binary', maxLength: 8 }), fc.nat(valid.length))
    .map(([payload, noise, at]) => valid.slice(0, at) + payload + noise + valid.slice(at));

/** Numbers no numeric field takes, and strings where a number belongs. */
const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -1, 1.5, 2 ** 53, 1e50, -0.5),
  hostile('1').map((s) => s as unknown as number),
);

/** A field, its hostile values, the call; `document`: text a tool reads whole, which it may accept (it is its input, not a command line). */
type Case = readonly [string, fc.Arbitrary<unknown>, (h: HostNetwork, v: never) => unknown, 'document'?];

const n = (h: HostNetwork): NetHandle => h.at('pod');
const CASES: readonly Case[] = [
  ['netnsAdd', hostile('ns1'), (h, v) => h.netnsAdd(v)],
  ['netnsDel', hostile('pod'), (h, v) => h.netnsDel(v)],
  ['at', hostile('pod'), (h, v) => h.at(v)],
  ['sandboxAdd name', hostile('box'), (h, v) => h.sandboxAdd(v, { hostname: 'box' })],
  ['sandboxAdd hostname', hostile('box'), (h, v) => h.sandboxAdd('box', { hostname: v })],
  // processStart runs the argv it is given in a sandbox, by design: only the sandbox is hostile here.
  ['processStart sandbox', hostile('pod'), (h, v) => h.processStart(v, ['true'])],
  ['linkAdd name', hostile('br0'), (h, v) => n(h).linkAdd({ kind: 'bridge', name: v })],
  ['linkAdd kind', hostile('dummy'), (h, v) => n(h).linkAdd({ kind: v, name: 'd0' })],
  ['linkAdd mtu', hostileNumber, (h, v) => n(h).linkAdd({ kind: 'bridge', name: 'br0', mtu: v })],
  ['linkAdd mac', hostile('02:00:00:00:00:01'), (h, v) => n(h).linkAdd({ kind: 'bridge', name: 'br0', mac: v })],
  ['linkAdd peer', hostile('p0'), (h, v) => n(h).linkAdd({ kind: 'veth', name: 'v0', peer: v })],
  ['linkAdd peerNetns', hostile('pod'), (h, v) => n(h).linkAdd({ kind: 'veth', name: 'v0', peer: 'p0', peerNetns: v })],
  ['linkAdd vni', hostileNumber, (h, v) => n(h).linkAdd({ kind: 'vxlan', name: 'vx0', vni: v })],
  ['linkAdd local', hostile('10.0.0.1'), (h, v) => n(h).linkAdd({ kind: 'vxlan', name: 'vx0', vni: 1, local: v })],
  ['linkAdd dev', hostile('lo'), (h, v) => n(h).linkAdd({ kind: 'vxlan', name: 'vx0', vni: 1, dev: v })],
  ['linkAdd dstPort', hostileNumber, (h, v) => n(h).linkAdd({ kind: 'vxlan', name: 'vx0', vni: 1, dstPort: v })],
  ['linkAdd remote', hostile('10.0.0.2'), (h, v) => n(h).linkAdd({ kind: 'ipip', name: 'tun0', remote: v })],
  ['linkDel', hostile('lo'), (h, v) => n(h).linkDel(v)],
  ['linkSet name', hostile('lo'), (h, v) => n(h).linkSet(v, { up: true })],
  ['linkSet master', hostile('br0'), (h, v) => n(h).linkSet('lo', { master: v })],
  ['linkSet mtu', hostileNumber, (h, v) => n(h).linkSet('lo', { mtu: v })],
  ['linkSet mac', hostile('02:00:00:00:00:01'), (h, v) => n(h).linkSet('lo', { mac: v })],
  ['linkSet netns', hostile('pod'), (h, v) => n(h).linkSet('lo', { netns: v })],
  ['linkSet new name', hostile('lo2'), (h, v) => n(h).linkSet('lo', { name: v })],
  ['addrAdd dev', hostile('lo'), (h, v) => n(h).addrAdd(v, '10.0.0.1/24')],
  ['addrAdd cidr', hostile('10.0.0.1/24'), (h, v) => n(h).addrAdd('lo', v)],
  ['addrDel cidr', hostile('10.0.0.1/24'), (h, v) => n(h).addrDel('lo', v)],
  ['routeAdd dst', hostile('10.1.0.0/16'), (h, v) => n(h).routeAdd({ dst: v, dev: 'lo' })],
  ['routeAdd type', hostile('blackhole'), (h, v) => n(h).routeAdd({ dst: '10.1.0.0/16', type: v })],
  ['routeAdd via', hostile('10.0.0.1'), (h, v) => n(h).routeAdd({ dst: '10.1.0.0/16', via: v })],
  ['routeAdd dev', hostile('lo'), (h, v) => n(h).routeAdd({ dst: '10.1.0.0/16', dev: v })],
  ['routeAdd proto', hostile('static'), (h, v) => n(h).routeAdd({ dst: '10.1.0.0/16', dev: 'lo', proto: v })],
  ['routeAdd table', hostile('main'), (h, v) => n(h).routeAdd({ dst: '10.1.0.0/16', dev: 'lo', table: v })],
  ['routeAdd src', hostile('127.0.0.1'), (h, v) => n(h).routeAdd({ dst: '10.1.0.0/16', dev: 'lo', src: v })],
  ['routeAdd metric', hostileNumber, (h, v) => n(h).routeAdd({ dst: '10.1.0.0/16', dev: 'lo', metric: v })],
  ['routeReplace scope', hostile('link'), (h, v) => n(h).routeReplace({ dst: '10.1.0.0/16', dev: 'lo', scope: v })],
  ['routeDel dst', hostile('10.1.0.0/16'), (h, v) => n(h).routeDel({ dst: v })],
  ['routeList table', hostile('main'), (h, v) => n(h).routeList(v)],
  ['neighAdd dst', hostile('10.0.0.9'), (h, v) => n(h).neighAdd({ dst: v, dev: 'lo', lladdr: '02:00:00:00:00:09' })],
  ['neighAdd lladdr', hostile('02:00:00:00:00:09'), (h, v) => n(h).neighAdd({ dst: '10.0.0.9', dev: 'lo', lladdr: v })],
  ['neighReplace dev', hostile('lo'), (h, v) => n(h).neighReplace({ dst: '10.0.0.9', dev: v, lladdr: '02:00:00:00:00:09' })],
  [
    'neighReplace state',
    hostile('stale'),
    (h, v) => n(h).neighReplace({ dst: '10.0.0.9', dev: 'lo', lladdr: '02:00:00:00:00:09', state: v }),
  ],
  ['neighDel dst', hostile('10.0.0.9'), (h, v) => n(h).neighDel(v, 'lo')],
  ['fdbAppend mac', hostile('02:00:00:00:00:09'), (h, v) => n(h).fdbAppend({ mac: v, dev: 'lo' })],
  ['fdbAppend dev', hostile('lo'), (h, v) => n(h).fdbAppend({ mac: '02:00:00:00:00:09', dev: v })],
  ['fdbDel dst', hostile('10.0.0.3'), (h, v) => n(h).fdbDel({ mac: '02:00:00:00:00:09', dev: 'lo', dst: v })],
  ['fdbList dev', hostile('lo'), (h, v) => n(h).fdbList(v)],
  ['batch', hostile('br1'), (h, v) => n(h).batch(() => n(h).linkAdd({ kind: 'bridge', name: v }))],
  ['sysctlGet key', hostile('net.ipv4.ip_forward'), (h, v) => n(h).sysctlGet(v)],
  ['sysctlSet key', hostile('net.ipv4.ip_forward'), (h, v) => n(h).sysctlSet(v, '1')],
  ['sysctlSet value', hostile('1'), (h, v) => n(h).sysctlSet('net.ipv4.ip_forward', v)],
  ['iptablesRestore table', hostile('filter'), (h, v) => n(h).iptablesRestore(v, `*${v}\nCOMMIT\n`)],
  ['iptablesRestore text', hostile('*filter\nCOMMIT\n'), (h, v) => n(h).iptablesRestore('filter', v), 'document'],
  ['iptablesSave table', hostile('filter'), (h, v) => n(h).iptablesSave(v)],
  ['ipsetRestore text', hostile('create s hash:ip\n'), (h, v) => n(h).ipsetRestore(v), 'document'],
  ['ipvsServiceAdd address', hostile('10.96.0.1'), (h, v) => n(h).ipvsServiceAdd({ protocol: 'tcp', address: v, port: 80 })],
  ['ipvsServiceAdd port', hostileNumber, (h, v) => n(h).ipvsServiceAdd({ protocol: 'tcp', address: '10.96.0.1', port: v })],
  ['ipvsServiceAdd protocol', hostile('udp'), (h, v) => n(h).ipvsServiceAdd({ protocol: v, address: '10.96.0.1', port: 80 })],
  [
    'ipvsServiceAdd scheduler',
    hostile('rr'),
    (h, v) => n(h).ipvsServiceAdd({ protocol: 'tcp', address: '10.96.0.1', port: 80, scheduler: v }),
  ],
  ['ipvsServiceDel address', hostile('10.96.0.1'), (h, v) => n(h).ipvsServiceDel({ protocol: 'tcp', address: v, port: 80 })],
  [
    'ipvsDestAdd address',
    hostile('10.244.0.2'),
    (h, v) => n(h).ipvsDestAdd({ protocol: 'tcp', address: '10.96.0.1', port: 80 }, { address: v, port: 80 }),
  ],
  [
    'ipvsDestAdd weight',
    hostileNumber,
    (h, v) => n(h).ipvsDestAdd({ protocol: 'tcp', address: '10.96.0.1', port: 80 }, { address: '10.244.0.2', port: 80, weight: v }),
  ],
  [
    'ipvsDestDel port',
    hostileNumber,
    (h, v) => n(h).ipvsDestDel({ protocol: 'tcp', address: '10.96.0.1', port: 80 }, { address: '10.244.0.2', port: v }),
  ],
];

/** What the machine shows outside the labs: its registered namespaces other than knetlab's own (other runs make those). */
function machineNetns(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((s) => s && !s.startsWith('knetlab-'))
    .sort();
}

/** The lab's own state as `ip -j` shows it. */
function labState(h: HostNetwork): unknown {
  const pod = h.at('pod');
  return [
    h.netnsList(),
    pod.linkList(),
    pod.addrList(),
    pod.routeList(),
    pod.neighList(),
    pod.iptablesSave('filter').replace(/^#.*\n/gm, ''),
  ];
}

function suite(name: string, unavailable: string | undefined, create: () => HostNetwork, runs: number): void {
  test(`${name}: hostile values at every operation fail with HostError and change nothing`, { skip: unavailable }, () => {
    rmSync(CANARY, { force: true });
    const machineBefore = unavailable === undefined && name === 'LinuxHost' ? machineNetns() : [];
    const h = create();
    try {
      h.netnsAdd('pod');
      const before = labState(h);
      for (const [what, values, apply, document] of CASES) {
        const failure = fc.check(
          fc.property(values, (v) => {
            try {
              apply(h, v as never);
            } catch (e) {
              if (e instanceof HostError) return true;
              throw e;
            }
            return document === 'document';
          }),
          { seed: 9, numRuns: runs },
        );
        assert.equal(
          failure.failed,
          false,
          `${what}: ${JSON.stringify(failure.counterexample)?.slice(0, 300)} ${failure.errorInstance ?? 'did not fail'}`,
        );
      }
      assert.deepEqual(labState(h), before, "the lab's own state");
    } finally {
      h.close();
    }
    assert.equal(existsSync(CANARY), false, `a command ran on the machine: ${CANARY} exists`);
    if (name === 'LinuxHost') assert.deepEqual(machineNetns(), machineBefore, "the machine's ip netns list");
  });
}

suite('SimHost', undefined, () => new SimHost(), 100);
suite('LinuxHost', realLabUnavailableReason(), () => new LinuxHost(), 60);
