// The control plane's controllers and the Cluster value that holds them with the API server.
export { Cluster } from './cluster.js';
export type { ClusterClock, ClusterOptions } from './cluster.js';
export { readyCondition } from './nodelifecycle.js';
export { podTemplateHash } from './hash.js';
export { ANNOTATIONS_TO_SKIP, fenceposts, REVISION } from './deployment.js';
export { tolerates, untoleratedTaint } from './scheduler.js';
export { MAX_ENDPOINTS_PER_SLICE } from './endpoints.js';
