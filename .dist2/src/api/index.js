export { ApiError, OBJECT_MODIFIED, alreadyExists, badRequest, conflict, forbidden, invalid, notFound, qualified } from './errors.js';
export { ObjectStore, SERVER_VERSION } from './store.js';
export { startApiServer, SYSTEM_NAMESPACES } from './server.js';
export { BandAllocator, ServiceAllocators } from './services.js';
export { formatSelector, fromLabelSelector, matches as selectorMatches, parseSelector } from './labels.js';
export { defaultPodSpec, qosClass } from './defaults.js';
export { applyPatch } from './patch.js';
//# sourceMappingURL=index.js.map