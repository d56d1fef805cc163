// The ipvsadm tool (v1.31) over the emulated kernel's per-namespace IPVS.
export { ipvsadm } from './ipvsadm.js';
//# sourceMappingURL=index.js.map