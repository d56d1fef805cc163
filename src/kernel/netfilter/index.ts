// The public surface of kernel/netfilter/ for apps and tests: the rule model, the iptables text
// layer (rule specifications ⇄ Rule, the per-namespace table store). Owners of other parts of
// netfilter add their exports here.
export * from './types.js';
export { IptablesError, IPTABLES_VERSION, type IptablesFailure, type NetlinkFailure } from './xtables/rulespec-error.js';
export { parseCommand, parseRule, type CommandName, type ParsedCommand, type ParseOptions } from './xtables/rulespec.js';
export { saveRule, saveMatch, saveTarget, saveString, probabilityText } from './xtables/rulespec-save.js';
export { listRule, listMatch, listTarget, listHeader, verboseRule, type ListFormat } from './xtables/rulespec-list.js';
export { ctime, ETC_PROTOCOLS } from './xtables/rulespec-names.js';
export { ruleText } from './tables-intern.js';
export { TableTransaction, emptyTable, isTableName, TABLE_NAMES, type Policy } from './table-transaction.js';
export { splitRestoreLine, type RestoreOptions } from './xtables/tables-restore.js';
export { IptablesState, iptablesOf, SAVE_ORDER, type IptablesStateOptions, type SetBackend } from './tables.js';
export {
  IpsetError,
  IpsetRegistry,
  IpSet,
  attachIpset,
  ipsetOf,
  ipsetDimension,
  isIpsetType,
  protoWithPorts,
  IPSET_TYPE_NAMES,
  type IpsetAdtSpec,
  type IpsetCreateOptions,
  type IpsetElem,
  type IpsetErrorCode,
  type IpsetHeader,
  type IpsetMember,
  type IpsetPacket,
  type IpsetRef,
  type IpsetRegistryOptions,
  type IpsetTypeName,
} from './ipset.js';
export {
  Ipvs,
  IpvsDest,
  IpvsError,
  IpvsService,
  IpvsStats,
  connStateName,
  ipvsOf,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPVS_CONN_TAB_SIZE,
  IPVS_DEFAULT_PERSISTENCE,
  IPVS_SCHEDULERS,
  IPVS_VERSION,
  IP_VS_SVC_F_SCHED1,
  IP_VS_SVC_F_SCHED2,
  IP_VS_SVC_F_SCHED3,
  type IpvsConnection,
  type IpvsConnState,
  type IpvsDestOptions,
  type IpvsErrno,
  type IpvsForward,
  type IpvsLookup,
  type IpvsPacket,
  type IpvsSchedulerName,
  type IpvsServiceKey,
  type IpvsServiceOptions,
  type IpvsSysctl,
  type IpvsTcpFlags,
  type IpvsTuple,
  type IpvsVerdict,
} from './ipvs.js';
export { netfilterOf, conntrackOf } from './attach.js';
export { NetfilterRuntime, type NetfilterParts, type QueuedPacket, type QueueVerdict } from './runtime.js';
export { ConntrackTable, CT_TIMEOUTS, protoName, type Conn, type Tuple, type CtDir, type CtInfo, type TcpCtState } from './conntrack.js';
