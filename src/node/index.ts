// Node agents: the kubelet (with containerd's CRI and the CNI runtime behind it).
export {
  Kubelet,
  NETWORK_NOT_READY,
  type ContainerProgram,
  type ContainerRunner,
  type DeadSandbox,
  type KubeletOptions,
  type RunningContainer,
  type SandboxStartedHook,
} from './kubelet.js';
export {
  containerArgv,
  containerEnv,
  genericArgv,
  genericMessage,
  GENERIC_EVENT_REASON,
  imageOf,
  parseImageRef,
  type WorkloadImage,
  containerdStreamPort,
  controlPlaneSocketsFor,
  KUBE_PROXY_SOCKETS,
  kubeProxySockets,
  listenDaemonSockets,
  nodeDaemonSockets,
  type DaemonSocket,
} from './images/index.js';
export { fullRef, imageId } from './images/reference.js';
export { startWorkload } from './workload.js';
export { runScript, scriptArgv, type ScriptHooks, type ScriptProgram, type ScriptStart } from './script.js';
export { macrotask, markResumed, sleepOn, takeResumed } from './continuations.js';
export { kubeletEnv, serviceVarsAtStart, type ServiceVars } from './container-env.js';
export {
  commOf,
  containerCmdline,
  containerView,
  NodeProcesses,
  NS_TYPES,
  PAUSE_IMAGE,
  PID_MAX,
  NODE_CPUS,
  NODE_MEM_KB,
  userName,
  type ContainerRecord,
  type Namespaces,
  type NsType,
  type Process,
  type ProcessView,
  type SandboxRecord,
} from './processes.js';
export { effectiveDnsPolicy, parseHostResolvConf, podResolvConf, type PodDnsContext } from './dns.js';
