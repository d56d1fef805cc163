// kube-proxy's chain names (pkg/proxy/iptables/proxier.go: portProtoHash,
// servicePortEndpointChainName): the first 16 characters of the standard base32 encoding of
// sha256(servicePortName + lowercase protocol [+ "ip:port"]), behind a fixed prefix, so every
// name fits iptables' 28-character limit and is the same on every node.
import { sha256 } from '@noble/hashes/sha2.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const utf8 = new TextEncoder();

/** The first 16 characters of RFC 4648 base32 (with the standard alphabet) of sha256(text). */
export function hash16(text: string): string {
  const digest = sha256(utf8.encode(text));
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 16) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length === 16) break;
    value &= (1 << bits) - 1;
  }
  return out;
}

/** A service port's name as kube-proxy prints it (proxy.ServicePortName.String()): `ns/name` or `ns/name:port`. */
export function servicePortNameString(namespace: string, name: string, port: string): string {
  return port === '' ? `${namespace}/${name}` : `${namespace}/${name}:${port}`;
}

export type ServiceChainKind = 'KUBE-SVC-' | 'KUBE-SVL-' | 'KUBE-EXT-' | 'KUBE-FW-';

/** KUBE-SVC-/KUBE-SVL-/KUBE-EXT-/KUBE-FW- + hash of servicePortName + protocol ("tcp", "udp", "sctp"). */
export function serviceChain(kind: ServiceChainKind, portName: string, protocol: string): string {
  return kind + hash16(portName + protocol);
}

/** KUBE-SEP- + hash of servicePortName + protocol + endpoint ("10.180.0.1:80"). */
export function endpointChain(portName: string, protocol: string, endpoint: string): string {
  return 'KUBE-SEP-' + hash16(portName + protocol + endpoint);
}

/** True for the per-service chains a sync may delete (isServiceChainName). */
export function isServiceChain(chain: string): boolean {
  return /^KUBE-(SVC|SVL|EXT|FW|SEP)-/.test(chain);
}
