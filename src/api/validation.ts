// Validation with the API server's field errors (pkg/apis/*/validation, apimachinery
// util/validation): object names, the selector/template agreement of workloads, Service ports and
// types, immutable fields on update. Schema-level checks (types, required properties) happen at decoding.
import { type FieldError, duplicate, forbiddenField, invalidValue, notSupported, renderValue, required } from './errors.js';
import { fromLabelSelector, matches } from './labels.js';
import type { AdmissionPlugin } from './store.js';
import type { KubeObject } from './types.js';
import { kindsValidation } from './validation-kinds.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const MSG_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const MSG_LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const MSG_1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** ValidateObjectMeta's name check, per resource (services: DNS-1035 label; namespaces: DNS-1123 label). */
export function validateName(resource: string, name: string): FieldError[] {
  const errs: FieldError[] = [];
  if (resource === 'services') {
    if (!DNS1035_LABEL.test(name)) errs.push(invalidValue('metadata.name', name, MSG_1035));
    if (name.length > 63) errs.push(invalidValue('metadata.name', name, 'must be no more than 63 characters'));
  } else if (resource === 'namespaces') {
    if (!DNS1123_LABEL.test(name)) errs.push(invalidValue('metadata.name', name, MSG_LABEL));
    if (name.length > 63) errs.push(invalidValue('metadata.name', name, 'must be no more than 63 characters'));
  } else if (
    resource !== 'events' &&
    resource !== 'clusterroles' &&
    resource !== 'roles' &&
    resource !== 'clusterrolebindings' &&
    resource !== 'rolebindings'
  ) {
    if (!DNS1123_SUBDOMAIN.test(name)) errs.push(invalidValue('metadata.name', name, MSG_SUBDOMAIN));
    if (name.length > 253) errs.push(invalidValue('metadata.name', name, 'must be no more than 253 characters'));
  }
  return errs;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
export const MSG_LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const MSG_QUALIFIED_NAME =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/** apimachinery's IsValidLabelValue: its messages, none for a valid value. */
export function labelValueErrors(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(v)) errs.push(MSG_LABEL_VALUE);
  return errs;
}

/** apimachinery's IsQualifiedName (label keys, taint keys): an optional DNS-subdomain prefix and `/`, then a name. */
export function qualifiedNameErrors(v: string): string[] {
  const parts = v.split('/');
  if (parts.length > 2)
    return [`a qualified name ${MSG_QUALIFIED_NAME} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  const errs: string[] = [];
  const name = parts.at(-1)!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '') errs.push('prefix part must be non-empty');
    else {
      if (prefix.length > 253) errs.push('prefix part must be no more than 253 characters');
      if (!DNS1123_SUBDOMAIN.test(prefix)) errs.push(`prefix part ${MSG_SUBDOMAIN}`);
    }
  }
  if (name === '') errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (!QUALIFIED_NAME.test(name)) errs.push(`name part ${MSG_QUALIFIED_NAME}`);
  return errs;
}

/** apimachinery's ValidateLabels: each key a qualified name, each value a label value. */
function validateLabels(labels: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const msg of qualifiedNameErrors(k)) errs.push(invalidValue(field, k, msg));
    if (typeof v !== 'string') errs.push(invalidValue(field, v, MSG_LABEL_VALUE));
    else for (const msg of labelValueErrors(v)) errs.push(invalidValue(field, v, msg));
  }
  return errs;
}

/** apimachinery's ValidateAnnotations: each key a qualified name once lower-cased (values are free). */
function validateAnnotations(annotations: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of Object.keys(annotations ?? {}))
    for (const msg of qualifiedNameErrors(k.toLowerCase())) errs.push(invalidValue(field, k, msg));
  return errs;
}

/** The object metadata every update is checked for (the name is fixed once created). */
function metaUpdateErrors(o: KubeObject): FieldError[] {
  return [...validateLabels(o.metadata.labels, 'metadata.labels'), ...validateAnnotations(o.metadata.annotations, 'metadata.annotations')];
}

function podSpecErrors(spec: Obj | undefined, base: string): FieldError[] {
  const errs: FieldError[] = [];
  const cs: Obj[] = spec?.containers ?? [];
  if (!cs.length) errs.push(required(`${base}.containers`));
  const names = new Set<string>();
  cs.forEach((c, i) => {
    const f = `${base}.containers[${i}]`;
    if (c.name && names.has(c.name)) errs.push(duplicate(`${f}.name`, c.name));
    names.add(c.name);
    if (c.name && !DNS1123_LABEL.test(c.name)) errs.push(invalidValue(`${f}.name`, c.name, MSG_LABEL));
    if (!c.image) errs.push(required(`${f}.image`));
    (c.ports ?? []).forEach((p: Obj, j: number) => {
      if (!(p.containerPort >= 1 && p.containerPort <= 65535))
        errs.push(invalidValue(`${f}.ports[${j}].containerPort`, p.containerPort, 'must be between 1 and 65535, inclusive'));
      if (p.protocol && !['TCP', 'UDP', 'SCTP'].includes(p.protocol))
        errs.push(notSupported(`${f}.ports[${j}].protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
    });
  });
  if (spec?.restartPolicy && !['Always', 'OnFailure', 'Never'].includes(spec.restartPolicy))
    errs.push(notSupported(`${base}.restartPolicy`, spec.restartPolicy, ['Always', 'OnFailure', 'Never']));
  if (spec?.dnsPolicy && !['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'].includes(spec.dnsPolicy))
    errs.push(notSupported(`${base}.dnsPolicy`, spec.dnsPolicy, ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']));
  return errs;
}

type Workload = 'deployment' | 'replicaset' | 'daemonset' | 'statefulset';

/** Go's %#v of a map[string]string, nil included (field.Invalid's fallback for a template's labels). */
function goStringMap(m: Record<string, string> | undefined): string {
  return m ? renderValue(m) : 'map[string]string(nil)';
}

/** Go's %#v of a metav1.LabelSelector, as field.Invalid renders an empty one (it has no value String()). */
function goLabelSelector(sel: Obj): string {
  const exprs = sel.matchExpressions ? `[]v1.LabelSelectorRequirement{}` : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${exprs}}`;
}

/**
 * The apps workloads' spec checks in pkg/apis/apps/validation's order (ValidateDeploymentSpec,
 * ValidateReplicaSetSpec, ValidateDaemonSetSpec, ValidateStatefulSetSpec): replicas, the selector
 * (required but for a DaemonSet, not empty), the template's labels matched by it (a missing selector
 * matches nothing), the pod template, and a restartPolicy of Always.
 */
function workloadErrors(kind: Workload, o: KubeObject): FieldError[] {
  const spec = (o as Obj).spec ?? {};
  const errs: FieldError[] = [];
  const sel = spec.selector;
  const labels = spec.template?.metadata?.labels;
  const empty = sel && !Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length;
  const emptySelector = (what: string): FieldError => ({
    type: 'FieldValueInvalid',
    field: 'spec.selector',
    body: `Invalid value: ${goLabelSelector(sel)}: empty selector is invalid for ${what}`,
  });
  const labelsMismatch = (): FieldError | undefined =>
    !sel || (!empty && !matches(fromLabelSelector(sel), labels))
      ? {
          type: 'FieldValueInvalid',
          field: 'spec.template.metadata.labels',
          body: `Invalid value: ${goStringMap(labels)}: \`selector\` does not match template \`labels\``,
        }
      : undefined;
  if (kind !== 'daemonset' && spec.replicas !== undefined && spec.replicas < 0)
    errs.push(invalidValue('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  if (kind === 'daemonset') {
    // a DaemonSet's selector is not required; a missing one matches no labels
    const mismatch = labelsMismatch();
    if (mismatch) errs.push(mismatch);
    if (empty) errs.push(emptySelector('daemonset'));
  } else {
    if (!sel) errs.push(required('spec.selector'));
    else if (empty) errs.push(emptySelector(kind === 'statefulset' ? 'statefulset' : 'deployment'));
    const mismatch = labelsMismatch();
    if (mismatch) errs.push(mismatch);
  }
  // a StatefulSet's pod template is not validated beyond its labels (ValidatePodTemplateSpecForStatefulSet)
  if (kind !== 'statefulset') errs.push(...podSpecErrors(spec.template?.spec, 'spec.template.spec'));
  const restart = spec.template?.spec?.restartPolicy;
  if (restart !== undefined && restart !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', restart, ['Always']));
  return errs;
}

function immutable(o: KubeObject, old: KubeObject | undefined, path: string[], field: string): FieldError[] {
  if (!old) return [];
  const get = (x: unknown) => path.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k], x);
  const a = get(o);
  const b = get(old);
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [invalidValue(field, a, 'field is immutable')];
}

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

function serviceErrors(o: KubeObject): FieldError[] {
  const spec = (o as Obj).spec ?? {};
  const errs: FieldError[] = [];
  if (!SERVICE_TYPES.includes(spec.type)) errs.push(notSupported('spec.type', spec.type, SERVICE_TYPES));
  const ports: Obj[] = spec.ports ?? [];
  const headless = spec.clusterIP === 'None';
  if (spec.type !== 'ExternalName' && !headless && !ports.length) errs.push(required('spec.ports'));
  if (spec.type === 'ExternalName' && !spec.externalName) errs.push(required('spec.externalName'));
  const names = new Set<string>();
  const keys = new Set<string>();
  ports.forEach((p, i) => {
    const f = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) errs.push(required(`${f}.name`));
    if (p.name) {
      if (names.has(p.name)) errs.push(duplicate(`${f}.name`, p.name));
      names.add(p.name);
    }
    if (!(p.port >= 1 && p.port <= 65535)) errs.push(invalidValue(`${f}.port`, p.port ?? 0, 'must be between 1 and 65535, inclusive'));
    if (!['TCP', 'UDP', 'SCTP'].includes(p.protocol)) errs.push(notSupported(`${f}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
    const key = `${p.port}/${p.protocol}`;
    if (keys.has(key)) errs.push(duplicate(f, { port: p.port, protocol: p.protocol }));
    keys.add(key);
    if (typeof p.targetPort === 'number' && !(p.targetPort >= 1 && p.targetPort <= 65535))
      errs.push(invalidValue(`${f}.targetPort`, p.targetPort, 'must be between 1 and 65535, inclusive'));
    if (p.nodePort && spec.type === 'ClusterIP') errs.push(forbiddenField(`${f}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
  });
  if (spec.externalTrafficPolicy && spec.type !== 'NodePort' && spec.type !== 'LoadBalancer')
    errs.push(
      invalidValue('spec.externalTrafficPolicy', spec.externalTrafficPolicy, "may only be set when `type` is 'NodePort' or 'LoadBalancer'"),
    );
  if (spec.sessionAffinity && !['None', 'ClientIP'].includes(spec.sessionAffinity))
    errs.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None']));
  return errs;
}

function metaErrors(resource: string, o: KubeObject): FieldError[] {
  return [...validateName(resource, o.metadata.name ?? ''), ...metaUpdateErrors(o)];
}

export function validation(): AdmissionPlugin[] {
  const all = [
    'pods',
    'services',
    'deployments',
    'replicasets',
    'daemonsets',
    'statefulsets',
    'jobs',
    'namespaces',
    'configmaps',
    'secrets',
    'serviceaccounts',
    'nodes',
    'endpointslices',
    'endpoints',
    'leases',
    'networkpolicies',
    'persistentvolumeclaims',
    'persistentvolumes',
    'cronjobs',
    'horizontalpodautoscalers',
    'ingressclasses',
    'limitranges',
    'resourcequotas',
    'runtimeclasses',
    'controllerrevisions',
  ];
  const plugins: AdmissionPlugin[] = all.map((resource) => ({
    resource,
    validate: (op, o) => (op === 'CREATE' ? metaErrors(resource, o) : metaUpdateErrors(o)),
  }));
  plugins.push(
    { resource: 'pods', validate: (op, o) => (op === 'CREATE' ? podSpecErrors((o as Obj).spec, 'spec') : []) },
    { resource: 'services', validate: (_op, o) => serviceErrors(o) },
    {
      resource: 'deployments',
      validate: (_op, o, old) => [...workloadErrors('deployment', o), ...immutable(o, old, ['spec', 'selector'], 'spec.selector')],
    },
    {
      resource: 'replicasets',
      validate: (_op, o, old) => [...workloadErrors('replicaset', o), ...immutable(o, old, ['spec', 'selector'], 'spec.selector')],
    },
    {
      resource: 'daemonsets',
      validate: (_op, o, old) => [...workloadErrors('daemonset', o), ...immutable(o, old, ['spec', 'selector'], 'spec.selector')],
    },
    { resource: 'statefulsets', validate: (_op, o) => workloadErrors('statefulset', o) },
    ...kindsValidation(),
  );
  return plugins;
}
