// The part of kube-proxy's KubeProxyConfiguration (kubeproxy.config.k8s.io/v1alpha1) the iptables
// proxier's rules depend on, with upstream's defaults (pkg/proxy/apis/config/v1alpha1/defaults.go):
// mode "" (iptables on Linux), masqueradeBit 14, masqueradeAll false, localhostNodePorts true,
// minSyncPeriod 1s, syncPeriod 30s, detectLocalMode ClusterCIDR, nodePortAddresses all,
// conntrack.tcpBeLiberal false.
import { invalid, required } from './errors.js';
import { parseCidr, type Cidr } from './model.js';

export interface ProxyConfig {
  readonly mode: 'iptables';
  /** The IPv4 entries of clusterCIDR (it may list one per family, comma-separated). */
  readonly clusterCIDRs: readonly Cidr[];
  readonly masqueradeBit: number;
  readonly masqueradeAll: boolean;
  readonly localhostNodePorts: boolean;
  readonly minSyncPeriod: string;
  readonly syncPeriod: string;
  readonly detectLocalMode: 'ClusterCIDR' | 'BridgeInterface' | 'InterfaceNamePrefix';
  readonly bridgeInterface: string;
  readonly interfaceNamePrefix: string;
  /** Empty: NodePorts on every local address. `primary` or CIDRs otherwise. */
  readonly nodePortAddresses: readonly string[];
  /**
   * conntrack.tcpBeLiberal: kube-proxy sets nf_conntrack_tcp_be_liberal from it, and the proxier,
   * reading the sysctl back, drops no INVALID packets in KUBE-FORWARD.
   */
  readonly conntrackTCPBeLiberal: boolean;
}

export const DEFAULT_CONFIG: ProxyConfig = {
  mode: 'iptables',
  clusterCIDRs: [],
  masqueradeBit: 14,
  masqueradeAll: false,
  localhostNodePorts: true,
  minSyncPeriod: '1s',
  syncPeriod: '30s',
  detectLocalMode: 'ClusterCIDR',
  bridgeInterface: '',
  interfaceNamePrefix: '',
  nodePortAddresses: [],
  conntrackTCPBeLiberal: false,
};

const WHAT = 'KubeProxyConfiguration';
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;
const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** Reads a KubeProxyConfiguration object (already parsed from YAML); absent fields take upstream's defaults. */
export function proxyConfig(obj: unknown): ProxyConfig {
  if (obj === undefined || obj === null) return DEFAULT_CONFIG;
  if (!isObj(obj)) throw invalid(WHAT, '(object)', obj, 'must be a mapping');
  if (obj['kind'] !== 'KubeProxyConfiguration') throw invalid(WHAT, 'kind', obj['kind'], 'must be "KubeProxyConfiguration"');
  if (obj['apiVersion'] !== 'kubeproxy.config.k8s.io/v1alpha1')
    throw invalid(WHAT, 'apiVersion', obj['apiVersion'], 'must be "kubeproxy.config.k8s.io/v1alpha1"');
  const mode = obj['mode'] ?? '';
  if (mode !== '' && mode !== 'iptables') {
    if (mode === 'ipvs' || mode === 'nftables' || mode === 'kernelspace')
      throw invalid(WHAT, 'mode', mode, 'knetlab renders iptables mode only');
    throw invalid(WHAT, 'mode', mode, 'must be "iptables", "ipvs" or "nftables"');
  }
  const ipt = obj['iptables'] ?? {};
  if (!isObj(ipt)) throw invalid(WHAT, 'iptables', ipt, 'must be a mapping');
  const bit = ipt['masqueradeBit'] ?? DEFAULT_CONFIG.masqueradeBit;
  if (typeof bit !== 'number' || !Number.isInteger(bit) || bit < 0 || bit > 31)
    throw invalid(WHAT, 'iptables.masqueradeBit', bit, 'must be within the range [0, 31]');
  const bool = (key: string, dflt: boolean): boolean => {
    const v = ipt[key] ?? dflt;
    if (typeof v !== 'boolean') throw invalid(WHAT, `iptables.${key}`, v, 'must be a boolean');
    return v;
  };
  const duration = (key: string, dflt: string): string => {
    const v = ipt[key] ?? dflt;
    if (typeof v !== 'string' || !DURATION.test(v)) throw invalid(WHAT, `iptables.${key}`, v, 'must be a duration such as "1s" or "30s"');
    return v;
  };
  const cidrText = obj['clusterCIDR'] ?? '';
  if (typeof cidrText !== 'string') throw invalid(WHAT, 'clusterCIDR', cidrText, 'must be a string');
  const clusterCIDRs =
    cidrText === ''
      ? []
      : cidrText.split(',').flatMap((c) => {
          if (c.includes(':')) return [];
          const p = parseCidr(c);
          if (!p) throw invalid(WHAT, 'clusterCIDR', cidrText, 'must be a valid CIDR or a comma-separated pair of them');
          return [p];
        });
  const dlm = obj['detectLocalMode'] ?? '';
  if (!['', 'ClusterCIDR', 'BridgeInterface', 'InterfaceNamePrefix', 'NodeCIDR'].includes(dlm as string)) {
    throw invalid(WHAT, 'detectLocalMode', dlm, 'must be "ClusterCIDR", "NodeCIDR", "BridgeInterface" or "InterfaceNamePrefix"');
  }
  if (dlm === 'NodeCIDR')
    throw invalid(WHAT, 'detectLocalMode', dlm, "knetlab kube-proxy render does not take the node's podCIDR; use ClusterCIDR");
  const detect = obj['detectLocal'] ?? {};
  if (!isObj(detect)) throw invalid(WHAT, 'detectLocal', detect, 'must be a mapping');
  const iface = (key: string): string => {
    const v = detect[key] ?? '';
    if (typeof v !== 'string' || (v !== '' && !IFNAME.test(v))) throw invalid(WHAT, `detectLocal.${key}`, v, 'must be an interface name');
    return v;
  };
  const bridgeInterface = iface('bridgeInterface');
  const interfaceNamePrefix = iface('interfaceNamePrefix');
  if (dlm === 'BridgeInterface' && bridgeInterface === '')
    throw required(WHAT, 'detectLocal.bridgeInterface', 'detectLocalMode BridgeInterface needs it');
  if (dlm === 'InterfaceNamePrefix' && interfaceNamePrefix === '')
    throw required(WHAT, 'detectLocal.interfaceNamePrefix', 'detectLocalMode InterfaceNamePrefix needs it');
  const npa = obj['nodePortAddresses'] ?? [];
  if (!Array.isArray(npa)) throw invalid(WHAT, 'nodePortAddresses', npa, 'must be a list');
  const nodePortAddresses = npa.map((v, i) => {
    if (v === 'primary') return v;
    if (typeof v !== 'string' || (!v.includes(':') && !parseCidr(v)) || (v.includes(':') && !/^[0-9a-fA-F:]+\/\d{1,3}$/.test(v))) {
      throw invalid(WHAT, `nodePortAddresses[${i}]`, v, 'must be a valid CIDR or "primary"');
    }
    return v;
  });
  const conntrack = obj['conntrack'] ?? {};
  if (!isObj(conntrack)) throw invalid(WHAT, 'conntrack', conntrack, 'must be a mapping');
  const liberal = conntrack['tcpBeLiberal'] ?? false;
  if (typeof liberal !== 'boolean') throw invalid(WHAT, 'conntrack.tcpBeLiberal', liberal, 'must be a boolean');
  return {
    mode: 'iptables',
    clusterCIDRs,
    masqueradeBit: bit,
    masqueradeAll: bool('masqueradeAll', false),
    localhostNodePorts: bool('localhostNodePorts', true),
    minSyncPeriod: duration('minSyncPeriod', '1s'),
    syncPeriod: duration('syncPeriod', '30s'),
    detectLocalMode: dlm === '' ? 'ClusterCIDR' : (dlm as ProxyConfig['detectLocalMode']),
    bridgeInterface,
    interfaceNamePrefix,
    nodePortAddresses,
    conntrackTCPBeLiberal: liberal,
  };
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration ("1s", "1m30s", "500ms"), as the config's minSyncPeriod/syncPeriod hold it, in milliseconds. */
export function durationMs(text: string): number {
  let ms = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return ms;
}
