// The ipset tool (v7.17) over the emulated kernel's per-namespace registry.
export { ipset } from './ipset.js';
export { formatElem, parseElem } from './elem.js';
//# sourceMappingURL=index.js.map