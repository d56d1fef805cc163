export { Lab } from './lab.js';
export { checkRecord, fromBase64, toBase64 } from './journal.js';
export { FAMILIES, standardLab } from './families.js';
export { checkHostName, sh } from './shell.js';
export { argvReads } from './reads.js';
//# sourceMappingURL=index.js.map