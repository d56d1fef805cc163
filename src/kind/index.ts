// kind: clusters of kind nodes in a lab, and the `kind` command line.
export { KindWorld, KIND_GATEWAY, KIND_NETWORK, NOT_READY_MESSAGE } from './world.js';
export type { KindCluster, KindNodeInfo } from './world.js';
export { runKind, kubeconfigYaml, parseDuration, formatDuration } from './command.js';
export type { KindIo } from './command.js';
export {
  parseKindConfig,
  validateKindConfig,
  defaults as kindDefaults,
  DEFAULT_IMAGE,
  DEFAULT_NAME,
  KUBERNETES_VERSION,
  KindConfigError,
} from './config.js';
export type { KindConfig, KindNode, PortMapping } from './config.js';
export { clusterHostPorts, publishError, KIND_NODE_IMAGE_DIGEST } from './docker-run.js';
export type { HostPort, PublishFailure } from './docker-run.js';
export { nodeImageFiles, DEBIAN_PACKAGES, DOCKER_RESOLV_CONF, NODE_IMAGE_COMMANDS, NODE_IMAGE_UNEMULATED } from './image.js';
export type { ImageFile, NodeImageOptions } from './image.js';
