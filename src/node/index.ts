// Node agents: the kubelet (with containerd's CRI and the CNI runtime behind it).
export { Kubelet, NETWORK_NOT_READY, type ContainerProgram, type ContainerRunner, type DeadSandbox, type KubeletOptions, type RunningContainer } from './kubelet.js';
export { containerArgv, containerEnv, genericArgv, genericMessage, GENERIC_EVENT_REASON, imageOf, parseImageRef, type WorkloadImage } from './images/index.js';
export { startWorkload } from './workload.js';
