// kind: clusters of kind nodes in a lab, and the `kind` command line.
export { KindWorld, KIND_GATEWAY, KIND_NETWORK, NOT_READY_MESSAGE } from './world.js';
export { runKind, kubeconfigYaml, parseDuration, formatDuration } from './command.js';
export { parseKindConfig, validateKindConfig, defaults as kindDefaults, DEFAULT_IMAGE, DEFAULT_NAME, KUBERNETES_VERSION, KindConfigError } from './config.js';
//# sourceMappingURL=index.js.map