// Node agents: the kubelet (with containerd's CRI and the CNI runtime behind it).
export { Kubelet, NETWORK_NOT_READY, type ContainerProgram, type ContainerRunner, type KubeletOptions } from './kubelet.js';
