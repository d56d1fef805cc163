// One cluster's API server: the store with its admission chain (defaulting, validation, service
// allocation) and what kube-apiserver creates at start-up (the system namespaces, the `kubernetes`
// Service at the first address of the service range).
import type { Clock, Rng } from '../sim/index.js';
import { defaulting } from './defaults.js';
import { ServiceAllocators, type ServiceRanges } from './services.js';
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
  for (const name of SYSTEM_NAMESPACES) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  store.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: services.ipAt(0), ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
  });
  return { store, services };
}
