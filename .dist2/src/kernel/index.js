// The emulated Linux network stack: the public surface for apps, the host layer and tests.
export { Kernel, DEFAULT_EPOCH } from './kernel.js';
export { tcpOf, TcpStack, TcpConn } from './tcp.js';
export { Host } from './host.js';
export { Netns, IFNAMSIZ } from './netns.js';
export { Link, Loopback, Dummy, Veth, isFrame } from './link.js';
export { Bridge, BRIDGE_AGEING_MS } from './bridge.js';
export { Vxlan, VXLAN_OVERHEAD } from './vxlan.js';
export { Ipip, IPIP_OVERHEAD } from './tunnel.js';
export { linkAdd, linkDel, linkSetMaster, linkSetMac, linkSetNetns, linkSetUp, linkSetDown } from './rtnl.js';
export { defaultBroadcast } from './addr.js';
export { FibTable, RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN, RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_NOWHERE, RT_SCOPE_SITE, RT_SCOPE_UNIVERSE, RTPROT_BOOT, RTPROT_KERNEL, RTPROT_STATIC, } from './fib.js';
export { fibLookup, routeInput, routeOutput, selectSource } from './route.js';
export { NeighTable, NEIGH_DEFAULTS } from './neigh.js';
export { Sysctls, normalisePath as sysctlPath } from './sysctl.js';
export { KernelError, STRERROR } from './errors.js';
export { ipSend, IPDEFTTL } from './ipv4.js';
export { nfHook } from './netfilter.js';
export { Captures } from './capture.js';
export { Walk } from './walk.js';
export { describeFrame, describeIp } from './xmit.js';
export * from './netfilter/index.js';
//# sourceMappingURL=index.js.map