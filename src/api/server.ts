// One cluster's API server: the store with its admission chain (defaulting, validation, service
// allocation) and what kube-apiserver creates at start-up (the system namespaces, the default
// ServiceCIDR `kubernetes`, the `kubernetes` Service at the first address of the service range).
import type { Clock, Rng } from '../sim/index.js';
import { componentStatuses } from './component-status.js';
import { defaulting } from './defaults.js';
import { ApiError } from './errors.js';
import { type IpAddressMirror, ServiceAllocators, type ServiceRanges } from './services.js';
import { ObjectStore, type StoreOptions } from './store.js';
import { validation } from './validation.js';

export interface ApiServerOptions extends Partial<ServiceRanges> {
  clock: Clock;
  rng: Rng;
  epochMs?: number;
  version?: StoreOptions['version'];
}

export interface ApiServer {
  store: ObjectStore;
  services: ServiceAllocators;
}

export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

export function startApiServer(opts: ApiServerOptions): ApiServer {
  const store = new ObjectStore({
    clock: opts.clock,
    rng: opts.rng,
    ...(opts.epochMs !== undefined ? { epochMs: opts.epochMs } : {}),
    ...(opts.version ? { version: opts.version } : {}),
  });
  for (const p of defaulting(() => store.randomSuffix())) store.use(p);
  for (const p of validation()) store.use(p);
  const services = new ServiceAllocators(
    { serviceCIDR: opts.serviceCIDR ?? '10.96.0.0/16', nodePortRange: opts.nodePortRange ?? '30000-32767' },
    opts.rng,
  );
  store.use(services.plugin());
  services.mirror = ipAddresses(store);
  for (const name of SYSTEM_NAMESPACES) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  defaultServiceCidr(store, services.cidr);
  store.serveComputed('componentstatuses', () =>
    componentStatuses(store.list('pods', 'kube-system', { labelSelector: 'tier=control-plane' }).items),
  );
  store.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: services.ipAt(0), ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
  });
  return { store, services };
}

/** The allocator's IPAddress objects (ipallocator.go: its labels, the Service as parentRef). */
function ipAddresses(store: ObjectStore): IpAddressMirror {
  return {
    add(ip, svc) {
      store.create({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IPAddress',
        metadata: {
          name: ip,
          labels: { 'ipaddress.kubernetes.io/ip-family': 'IPv4', 'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io' },
        },
        spec: { parentRef: { group: '', resource: 'services', namespace: svc.namespace, name: svc.name } },
      });
    },
    remove(ip) {
      try {
        store.delete('ipaddresses', undefined, ip);
      } catch (e) {
        if (!(e instanceof ApiError && e.reason === 'NotFound')) throw e;
      }
    },
  };
}

/**
 * The ServiceCIDR kube-apiserver makes for its --service-cluster-ip-range, with the protection
 * finalizer and the Ready condition the service-cidr controller sets (servicecidrs_controller.go).
 */
function defaultServiceCidr(store: ObjectStore, cidr: string): void {
  const made = store.create({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'ServiceCIDR',
    metadata: { name: 'kubernetes', finalizers: ['networking.k8s.io/service-cidr-finalizer'] },
    spec: { cidrs: [cidr] },
  });
  store.updateStatus({
    ...made,
    status: {
      conditions: [
        { type: 'Ready', status: 'True', lastTransitionTime: store.timestamp(), reason: '', message: 'Kubernetes Service CIDR is ready' },
      ],
    },
  } as never);
}
