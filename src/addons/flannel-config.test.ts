// flanneld's configuration and rendering with no host at all: net-conf.json read as Go's
// encoding/json reads it, subnet.env's text, the iptables rules, and the manifest knetlab answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { parsePrefix } from '../wire/index.js';
import { FlannelConfigError, parseNetConf, readSubnetEnvCidr, subnetEnv } from './flannel-config.js';
import { forwardRules, masqRules, ruleLine } from './flannel-iptables.js';
import { FLANNEL_NET_CONF, flannelManifest } from './flannel-manifest.js';
import { wellKnownManifest } from './manifests.js';

test('parseNetConf() reads the manifest net-conf.json and keys in any case; no Backend means udp', () => {
  const c = parseNetConf(FLANNEL_NET_CONF);
  assert.deepEqual(
    [c.network, c.backend.type, c.backend.vni, c.backend.port, c.enableNFTables],
    [parsePrefix('10.244.0.0/16'), 'vxlan', 1, 0, false],
  );
  const d = parseNetConf('{"network": "10.10.1.0/16", "backend": {"type": "vxlan", "vni": 4096, "port": 4789, "directrouting": true}}');
  assert.deepEqual([d.network, d.backend.vni, d.backend.port, d.backend.directRouting], [parsePrefix('10.10.0.0/16'), 4096, 4789, true]);
  assert.equal(parseNetConf('{"Network": "10.244.0.0/16"}').backend.type, 'udp');
});

test('parseNetConf() refuses what flanneld refuses, in its words', () => {
  assert.throws(
    () => parseNetConf('{"Backend": {"Type": "vxlan"}}'),
    (e: Error) => e instanceof FlannelConfigError && e.message === 'please define a correct Network parameter in the flannel config',
  );
  assert.throws(() => parseNetConf('{"Network": "10.244.0.0/16",'), /^Error: error parsing subnet config: /);
  assert.throws(
    () => parseNetConf('{"Network": "10.244.0.0/16", "Backend": {"Type": "vxlan", "VNI": "1"}}'),
    /cannot unmarshal string into Go struct field VXLANConfig\.VNI of type int/,
  );
});

test("subnetEnv() writes the lease's first address with its prefix, in flannel's key order; readSubnetEnvCidr() reads it back masked", () => {
  const env = subnetEnv(parsePrefix('10.244.0.0/16')!, parsePrefix('10.244.2.0/24')!, 1450, true);
  assert.equal(env, 'FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.2.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n');
  assert.deepEqual(readSubnetEnvCidr(env, 'FLANNEL_SUBNET'), parsePrefix('10.244.2.0/24'));
  assert.equal(readSubnetEnvCidr(undefined, 'FLANNEL_SUBNET'), undefined);
});

test("masqRules() and forwardRules() render as iptables-save prints flannel's rules; without --random-fully support the MASQUERADE rules have none", () => {
  const lines = masqRules(parsePrefix('10.244.0.0/16')!, parsePrefix('10.244.1.0/24')!, false).map(ruleLine);
  assert.deepEqual(lines.slice(-2), [
    '-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE',
    '-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE',
  ]);
  assert.deepEqual(forwardRules(parsePrefix('10.244.0.0/16')!).map(ruleLine), [
    '-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD',
    '-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT',
    '-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT',
  ]);
});

test("wellKnownManifest() answers the manifest URLs with YAML that reads back as the manifest's objects; other URLs get nothing", () => {
  const text = wellKnownManifest('https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml')!;
  assert.deepEqual(
    parseAllDocuments(text).map((d) => d.toJS()),
    flannelManifest(),
  );
  assert.equal(wellKnownManifest('https://raw.githubusercontent.com/flannel-io/flannel/master/Documentation/kube-flannel.yaml'), undefined);
});
