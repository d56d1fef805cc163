import assert from 'node:assert/strict';
import { test } from 'node:test';
import { proxyConfig } from './config.js';

const base = { apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration' };

test('proxyConfig() reads conntrack.tcpBeLiberal, false when absent', () => {
  assert.equal(proxyConfig(base).conntrackTCPBeLiberal, false);
  assert.equal(proxyConfig({ ...base, conntrack: { maxPerCore: 0 } }).conntrackTCPBeLiberal, false);
  assert.equal(proxyConfig({ ...base, conntrack: { tcpBeLiberal: true } }).conntrackTCPBeLiberal, true);
  assert.throws(
    () => proxyConfig({ ...base, conntrack: { tcpBeLiberal: 'yes' } }),
    /conntrack\.tcpBeLiberal: Invalid value: "yes": must be a boolean/,
  );
});
