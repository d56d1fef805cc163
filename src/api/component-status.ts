// The API server's ComponentStatus storage (pkg/registry/core/componentstatus, deprecated since
// v1.19 but served): on each read it probes the scheduler's and the controller manager's /healthz
// on 127.0.0.1 and asks etcd for its health. Here a probe succeeds while the component's static
// pod (labelled component=NAME by kubeadm) has its container running: kubeadm binds both servers to
// 127.0.0.1 on the control plane's network, where the API server probes them.
import type { KubeObject } from './types.js';

interface Probed {
  /** The ComponentStatus name. */
  readonly name: string;
  /** kubeadm's component label and container name. */
  readonly component: string;
  /** What the probe answers when the component is down: its message, or its error. */
  readonly down: { readonly message?: string; readonly error?: string };
}

const refused = (port: number) => ({
  // http prober: a failed request is a Failure with the error's text as the result's data (message)
  message: `Get "https://127.0.0.1:${port}/healthz": dial tcp 127.0.0.1:${port}: connect: connection refused`,
});

/**
 * In the order this server lists them. kube-apiserver probes them concurrently and lists them as
 * the probes end, so a real server's order varies between requests.
 */
const PROBED: readonly Probed[] = [
  { name: 'scheduler', component: 'kube-scheduler', down: refused(10259) },
  { name: 'controller-manager', component: 'kube-controller-manager', down: refused(10257) },
  // etcd's prober is its client's health check: an error, no message (UNVERIFIED: the error's text)
  { name: 'etcd-0', component: 'etcd', down: { error: 'context deadline exceeded' } },
];

interface PodView {
  readonly status?: { readonly containerStatuses?: readonly { readonly name: string; readonly state?: { readonly running?: unknown } }[] };
}

/** The ComponentStatus objects for the control plane's static pods among `kubeSystemPods`. */
export function componentStatuses(kubeSystemPods: readonly KubeObject[]): KubeObject[] {
  return PROBED.map(({ name, component, down }) => {
    const up = kubeSystemPods.some(
      (p) =>
        p.metadata.labels?.component === component &&
        p.metadata.labels.tier === 'control-plane' &&
        (p as PodView).status?.containerStatuses?.some((c) => c.name === component && c.state?.running !== undefined),
    );
    // message and error are omitempty
    const condition = up
      ? { type: 'Healthy', status: 'True', message: 'ok' }
      : {
          type: 'Healthy',
          status: down.error ? 'Unknown' : 'False', // a probe's error is probe.Unknown, a failed request probe.Failure
          ...(down.message ? { message: down.message } : {}),
          ...(down.error ? { error: down.error } : {}),
        };
    return { apiVersion: 'v1', kind: 'ComponentStatus', metadata: { name }, conditions: [condition] };
  });
}
