// The CNI runtime (libcni's behaviour for containerd) and the plugins it runs: kind's (ptp,
// host-local, portmap, loopback) and flannel's (flannel, bridge).
export { CniRuntime, CNI_BIN_DIR, CNI_CONF_DIR, EMULATED_PLUGINS, type Attachment } from './runtime.js';
export { HostLocal, type HostLocalConf } from './host-local.js';
export { FLANNEL_DATA_DIR, FLANNEL_SUBNET_FILE } from './flannel.js';
export { cniChainName, cniComment } from './iptables.js';
export { CniError, CNI_ERR, type CniResult, type NetConfList, type PluginConf, type ResultIp, type ResultRoute } from './types.js';
