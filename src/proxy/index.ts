// kube-proxy (iptables mode): the rules upstream kube-proxy writes for a node's Services and
// EndpointSlices, rendered as data (STYLE 5); a node agent applies them through host/.
export { DEFAULT_CONFIG, durationMs, proxyConfig, type ProxyConfig } from './config.js';
export { ProxyInputError } from './errors.js';
export { endpointChain, hash16, serviceChain, servicePortNameString } from './names.js';
export {
  compareChains,
  goHex08,
  IptablesProxier,
  LARGE_CLUSTER_ENDPOINTS_THRESHOLD,
  type HostCapabilities,
  type NodeFacts,
  type SyncResult,
} from './ruleset.js';
export { CANARY_CHAIN, CANARY_TABLES, JUMP_RULES, jumpRestoreText, type JumpRule } from './jumps.js';
export { renderFirstSync, splitTables, type RenderInput } from './render.js';
export { staleUdpEntryFilters, type UdpServicePort } from './conntrack.js';
