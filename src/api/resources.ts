// The built-in resources this API server serves, as discovery (`kubectl api-resources`) lists them,
// each with kubernetes-models' compiled OpenAPI validator for admission.
import { MutatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1/MutatingWebhookConfiguration';
import { ValidatingAdmissionPolicy } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy';
import { ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding';
import { ValidatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition';
import { APIService } from 'kubernetes-models/apiregistration.k8s.io/v1/APIService';
import { ControllerRevision } from 'kubernetes-models/apps/v1/ControllerRevision';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ReplicaSet } from 'kubernetes-models/apps/v1/ReplicaSet';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Lease } from 'kubernetes-models/coordination.k8s.io/v1/Lease';
import { EndpointSlice } from 'kubernetes-models/discovery.k8s.io/v1/EndpointSlice';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { IngressClass } from 'kubernetes-models/networking.k8s.io/v1/IngressClass';
import { IPAddress } from 'kubernetes-models/networking.k8s.io/v1/IPAddress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { ServiceCIDR } from 'kubernetes-models/networking.k8s.io/v1/ServiceCIDR';
import { RuntimeClass } from 'kubernetes-models/node.k8s.io/v1/RuntimeClass';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1/PriorityClass';
import { StorageClass } from 'kubernetes-models/storage.k8s.io/v1/StorageClass';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Endpoints } from 'kubernetes-models/v1/Endpoints';
import { Event } from 'kubernetes-models/v1/Event';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Node } from 'kubernetes-models/v1/Node';
import { PersistentVolume } from 'kubernetes-models/v1/PersistentVolume';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Pod } from 'kubernetes-models/v1/Pod';
import { PodTemplate } from 'kubernetes-models/v1/PodTemplate';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { ResourceInfo } from './types.js';

/** Runs a compiled validator with `data` as `this`; throws kubernetes-models' ValidationError. */
export type Validator = (data: unknown) => void;
const v =
  (model: { prototype: { validate(): void } }): Validator =>
  (data) =>
    model.prototype.validate.call(data);

export interface BuiltinResource extends ResourceInfo {
  validate?: Validator;
  /** The resource has a status subresource: update ignores status, updateStatus touches only status. */
  status: boolean;
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const r = (
  group: string,
  kind: string,
  resource: string,
  shortNames: string[],
  namespaced: boolean,
  validate: Validator | undefined,
  status: boolean,
  categories?: string[],
): BuiltinResource => ({
  group,
  version: 'v1',
  kind,
  resource,
  singular: kind.toLowerCase(),
  shortNames,
  namespaced,
  verbs: VERBS,
  validate,
  status,
  ...(categories ? { categories } : {}),
});

/** Ordered as the API server's discovery serves them: core, then groups by priority. */
export const BUILTIN: readonly BuiltinResource[] = [
  // computed on each read (component-status.ts), never stored
  { ...r('', 'ComponentStatus', 'componentstatuses', ['cs'], false, undefined, false), verbs: ['get', 'list'] },
  r('', 'ConfigMap', 'configmaps', ['cm'], true, v(ConfigMap), false),
  r('', 'Endpoints', 'endpoints', ['ep'], true, v(Endpoints), false),
  r('', 'Event', 'events', ['ev'], true, v(Event), false),
  r('', 'LimitRange', 'limitranges', ['limits'], true, v(LimitRange), false),
  r('', 'Namespace', 'namespaces', ['ns'], false, v(Namespace), true),
  r('', 'Node', 'nodes', ['no'], false, v(Node), true),
  r('', 'PersistentVolumeClaim', 'persistentvolumeclaims', ['pvc'], true, v(PersistentVolumeClaim), true),
  r('', 'PersistentVolume', 'persistentvolumes', ['pv'], false, v(PersistentVolume), true),
  r('', 'Pod', 'pods', ['po'], true, v(Pod), true, ['all']),
  r('', 'PodTemplate', 'podtemplates', [], true, v(PodTemplate), false),
  r('', 'ResourceQuota', 'resourcequotas', ['quota'], true, v(ResourceQuota), true),
  r('', 'Secret', 'secrets', [], true, v(Secret), false),
  r('', 'ServiceAccount', 'serviceaccounts', ['sa'], true, v(ServiceAccount), false),
  r('', 'Service', 'services', ['svc'], true, v(Service), true, ['all']),
  r(
    'admissionregistration.k8s.io',
    'MutatingWebhookConfiguration',
    'mutatingwebhookconfigurations',
    [],
    false,
    v(MutatingWebhookConfiguration),
    false,
    ['api-extensions'],
  ),
  r(
    'admissionregistration.k8s.io',
    'ValidatingAdmissionPolicy',
    'validatingadmissionpolicies',
    [],
    false,
    v(ValidatingAdmissionPolicy),
    true,
    ['api-extensions'],
  ),
  r(
    'admissionregistration.k8s.io',
    'ValidatingAdmissionPolicyBinding',
    'validatingadmissionpolicybindings',
    [],
    false,
    v(ValidatingAdmissionPolicyBinding),
    false,
    ['api-extensions'],
  ),
  r(
    'admissionregistration.k8s.io',
    'ValidatingWebhookConfiguration',
    'validatingwebhookconfigurations',
    [],
    false,
    v(ValidatingWebhookConfiguration),
    false,
    ['api-extensions'],
  ),
  r(
    'apiextensions.k8s.io',
    'CustomResourceDefinition',
    'customresourcedefinitions',
    ['crd', 'crds'],
    false,
    v(CustomResourceDefinition),
    true,
    ['api-extensions'],
  ),
  r('apiregistration.k8s.io', 'APIService', 'apiservices', [], false, v(APIService), true, ['api-extensions']),
  r('apps', 'ControllerRevision', 'controllerrevisions', [], true, v(ControllerRevision), false),
  r('apps', 'DaemonSet', 'daemonsets', ['ds'], true, v(DaemonSet), true, ['all']),
  r('apps', 'Deployment', 'deployments', ['deploy'], true, v(Deployment), true, ['all']),
  r('apps', 'ReplicaSet', 'replicasets', ['rs'], true, v(ReplicaSet), true, ['all']),
  r('apps', 'StatefulSet', 'statefulsets', ['sts'], true, v(StatefulSet), true, ['all']),
  {
    ...r('autoscaling', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', ['hpa'], true, v(HorizontalPodAutoscaler), true, ['all']),
    version: 'v2',
  },
  r('batch', 'CronJob', 'cronjobs', ['cj'], true, v(CronJob), true, ['all']),
  r('batch', 'Job', 'jobs', [], true, v(Job), true, ['all']),
  r('coordination.k8s.io', 'Lease', 'leases', [], true, v(Lease), false),
  r('discovery.k8s.io', 'EndpointSlice', 'endpointslices', [], true, v(EndpointSlice), false),
  r('networking.k8s.io', 'IngressClass', 'ingressclasses', [], false, v(IngressClass), false),
  r('networking.k8s.io', 'Ingress', 'ingresses', ['ing'], true, v(Ingress), true),
  r('networking.k8s.io', 'IPAddress', 'ipaddresses', ['ip'], false, v(IPAddress), false),
  r('networking.k8s.io', 'NetworkPolicy', 'networkpolicies', ['netpol'], true, v(NetworkPolicy), false),
  r('networking.k8s.io', 'ServiceCIDR', 'servicecidrs', [], false, v(ServiceCIDR), true),
  r('node.k8s.io', 'RuntimeClass', 'runtimeclasses', [], false, v(RuntimeClass), false),
  r('policy', 'PodDisruptionBudget', 'poddisruptionbudgets', ['pdb'], true, v(PodDisruptionBudget), true),
  r('rbac.authorization.k8s.io', 'ClusterRoleBinding', 'clusterrolebindings', [], false, v(ClusterRoleBinding), false),
  r('rbac.authorization.k8s.io', 'ClusterRole', 'clusterroles', [], false, v(ClusterRole), false),
  r('rbac.authorization.k8s.io', 'RoleBinding', 'rolebindings', [], true, v(RoleBinding), false),
  r('rbac.authorization.k8s.io', 'Role', 'roles', [], true, v(Role), false),
  r('scheduling.k8s.io', 'PriorityClass', 'priorityclasses', ['pc'], false, v(PriorityClass), false),
  r('storage.k8s.io', 'StorageClass', 'storageclasses', ['sc'], false, v(StorageClass), false),
];

export const apiVersionOf = (ri: ResourceInfo) => (ri.group ? `${ri.group}/${ri.version}` : ri.version);
