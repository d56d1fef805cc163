// The emulated Linux network stack: the public surface for apps, the host layer and tests.
export { Kernel, DEFAULT_EPOCH, type KernelOptions } from './kernel.js';
export {
  tcpOf,
  TcpStack,
  TcpConn,
  type TcpEvents,
  type TcpState,
  type SocketOwner,
  type ListenOptions,
  type ListenerRecord,
} from './tcp.js';
export { Host } from './host.js';
export { Netns, IFNAMSIZ, type UdpHandler, type ProtoHandler } from './netns.js';
export { Link, Loopback, Dummy, Veth, isFrame, type LinkKind, type LinkStats } from './link.js';
export { Bridge, BRIDGE_AGEING_MS, type BridgeFdbEntry, type BridgePort } from './bridge.js';
export { Vxlan, VXLAN_OVERHEAD, type VxlanFdbEntry } from './vxlan.js';
export { Ipip, IPIP_OVERHEAD } from './tunnel.js';
export { Tun, tunAddPersistent, tunOpen, tunClose, udpBind, type UdpSocket } from './tun.js';
export * from './rtnl/index.js';
export { defaultBroadcast, type IfAddr } from './addr.js';
export {
  FibTable,
  RT_TABLE_DEFAULT,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_NOWHERE,
  RT_SCOPE_SITE,
  RT_SCOPE_UNIVERSE,
  RTPROT_BOOT,
  RTPROT_KERNEL,
  RTPROT_STATIC,
  type Nexthop,
  type Route,
  type RouteType,
  nexthopDead,
  routeUsesDev,
} from './fib.js';
export {
  fibLookup,
  fibResult,
  outputFlow,
  routeInput,
  routeOutput,
  selectRoutePath,
  selectSource,
  type FibResult,
  type InputDecision,
  type Resolved,
} from './route.js';
export {
  FibRules,
  ruleDefaults,
  ruleMatches,
  FR_ACT_BLACKHOLE,
  FR_ACT_GOTO,
  FR_ACT_NOP,
  FR_ACT_PROHIBIT,
  FR_ACT_TO_TBL,
  FR_ACT_UNREACHABLE,
  type FibRule,
  type Flow,
  type Range,
} from './rules.js';
export { NeighTable, NEIGH_DEFAULTS, type Neighbour, type NudState } from './neigh.js';
export { Sysctls, normalisePath as sysctlPath } from './sysctl.js';
export { procNet, procNetFile, PROC_NET_FILES } from './procfs-net.js';
export { KernelError, STRERROR, type Errno } from './errors.js';
export { ipSend, IPDEFTTL, type IpSend } from './ipv4.js';
export { nfHook, type NetfilterHooks, type NfHookName } from './netfilter.js';
export { Captures, type CapturedPacket } from './capture.js';
export { Walk, type WalkEvent, type WalkIp, type WalkStage } from './walk.js';
export type { Skb } from './skb.js';
export { describeFrame, describeIp } from './xmit.js';
export * from './netfilter/index.js';
export { multipathHash, selectPath, upperBounds, type HashKey, type MultipathFlow } from './multipath.js';
