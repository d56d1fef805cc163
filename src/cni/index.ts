// The CNI runtime (libcni's behaviour for containerd) and the plugins kind's nodes carry.
export { CniRuntime, CNI_BIN_DIR, CNI_CONF_DIR, type Attachment } from './runtime.js';
export { HostLocal, type HostLocalConf } from './host-local.js';
export { CniError, CNI_ERR, type CniResult, type NetConfList, type PluginConf, type ResultIp, type ResultRoute } from './types.js';
