// The real lab: runs scenario scripts on real network namespaces of this machine (root,
// Linux only) and records what the real tools print. Node-only.
export { realLabUnavailableReason, runRealEntries, runRealScenario } from './lab.js';
export { cleanLabs } from './clean.js';
export { LinuxHost, labNetnsName } from './linux-host.js';
//# sourceMappingURL=index.js.map