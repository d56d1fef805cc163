// The emulated iproute2 (`ip`, `bridge`) and bridge-utils (`brctl`) commands, printing what
// iproute2 6.1 and bridge-utils 1.7 print on a Linux 6.x host.
export { ip } from './ip.js';
export { bridge } from './bridge.js';
export { brctl } from './brctl.js';
//# sourceMappingURL=index.js.map