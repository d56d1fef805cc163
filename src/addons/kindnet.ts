// kindnetd as kind v0.32.0 ships it (kind images/kindnetd/cmd/kindnetd/cni.go): the CNI config it
// writes for its own node, /etc/cni/net.d/10-kindnet.conflist — ptp with host-local over the node's
// podCIDR and portmap — rendered as its Go text/template renders it (blank lines and tabs included).
import type { NodeFiles } from '../sim/index.js';

export const KINDNET_CONFLIST = '/etc/cni/net.d/10-kindnet.conflist';

/** The conflist for a single-stack IPv4 node; `mtu` is eth0's (the key is left out without one). */
export function kindnetConflist(podCidr: string, mtu?: number): string {
  const mtuLine = mtu === undefined ? '' : `\t\t,\n\t\t"mtu": ${mtu}\n\t\t\n`;
  return `
{
\t"cniVersion": "0.3.1",
\t"name": "kindnet",
\t"plugins": [
\t{
\t\t"type": "ptp",
\t\t"ipMasq": false,
\t\t"ipam": {
\t\t\t"type": "host-local",
\t\t\t"dataDir": "/run/cni-ipam-state",
\t\t\t"routes": [
\t\t\t\t
\t\t\t\t
\t\t\t\t{ "dst": "0.0.0.0/0" }
\t\t\t],
\t\t\t"ranges": [
\t\t\t\t
\t\t\t\t
\t\t\t\t[ { "subnet": "${podCidr}" } ]
\t\t\t]
\t\t}
${mtuLine}\t},
\t{
\t\t"type": "portmap",
\t\t"capabilities": {
\t\t\t"portMappings": true
\t\t}
\t}
\t]
}
`;
}

/** Writes the conflist as kindnetd does: to a temp file renamed over the old one, only when it changes. */
export function writeKindnetConflist(files: NodeFiles, podCidr: string, mtu?: number): boolean {
  const text = kindnetConflist(podCidr, mtu);
  if (files.readText(KINDNET_CONFLIST) === text) return false;
  files.mkdirp('/etc/cni/net.d');
  files.write(`${KINDNET_CONFLIST}.temp`, text);
  files.rename(`${KINDNET_CONFLIST}.temp`, KINDNET_CONFLIST);
  return true;
}
