// The kernel's rtnetlink operations on a namespace: what `ip`, `bridge` and the host interface's
// sim backend ask of the kernel, answered with the kernel's own checks, errno and extack.
export {
  linkAdd,
  linkDel,
  linkSetMaster,
  linkSetMac,
  linkSetNetns,
  linkSetUp,
  linkSetDown,
  newLink,
  setLink,
  delLink,
  checkMac,
  checkMtu,
  mtuLimits,
  type LinkSpec,
  type LinkAttrs,
  type NewLinkMsg,
  type SetLinkMsg,
  type PeerAttrs,
} from './link.js';
export { newRoute, delRoute, getRoute, getRoutes, type RouteMsg, type MultipathHop, type NewRouteFlags, type RouteQuery } from './route.js';
export { newAddr, delAddr, type AddrMsg } from './addr.js';
export { newNeigh, delNeigh, type NeighMsg } from './neigh.js';
export { newRule, delRule, type RuleMsg } from './rule.js';
