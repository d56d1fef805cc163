// The pods/ephemeralcontainers subresource (what `kubectl debug POD` patches): the only way to add
// an ephemeral container. Existing ones may be neither removed nor changed
// (ValidatePodEphemeralContainersUpdate); a new one is defaulted as a container is, must have a
// name no other container of the pod has, a target that is one of the pod's containers, and none of
// the fields an ephemeral container may not set (allowedEphemeralContainerFields).
import { defaultContainer } from './defaults.js';
import { jsonEqual } from './equal.js';
import { duplicate, type FieldError, forbiddenField, required } from './errors.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The container fields validation.go's allowedEphemeralContainerFields marks false. */
const NOT_ALLOWED = ['ports', 'resources', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'resizePolicy', 'restartPolicy'];
const PATH = 'spec.ephemeralContainers';

/** The ephemeral containers to store for `pod` when a client asks for `wanted`, or the field errors that refuse them. */
export function admitEphemeralContainers(pod: Obj, wanted: unknown): { containers: Obj[] } | { errors: FieldError[] } {
  const old = (pod.spec?.ephemeralContainers ?? []) as Obj[];
  const next = (Array.isArray(wanted) ? wanted : []).map((c: Obj) => ({ ...c }));
  const errors: FieldError[] = [];
  const byName = new Map(next.map((c) => [c.name, c]));
  for (const o of old) {
    const n = byName.get(o.name);
    if (!n) errors.push(forbiddenField(PATH, `existing ephemeral containers "${o.name}" may not be removed\n`));
    else if (!jsonEqual(n, o)) errors.push(forbiddenField(PATH, `existing ephemeral containers "${o.name}" may not be changed\n`));
  }
  const existing = new Set(old.map((o) => o.name));
  const others = new Set([...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c: Obj) => c.name));
  const seen = new Set(others);
  next.forEach((c, i) => {
    const at = `${PATH}[${i}]`;
    if (existing.has(c.name)) return;
    defaultContainer(c);
    if (typeof c.name !== 'string' || c.name === '') errors.push(required(`${at}.name`));
    else if (seen.has(c.name)) errors.push(duplicate(`${at}.name`, c.name));
    seen.add(c.name);
    if (typeof c.image !== 'string' || c.image === '') errors.push(required(`${at}.image`));
    // a zero value (`resources: {}`, which defaulting writes, or `ports: []`) is not setting the field
    for (const f of NOT_ALLOWED)
      if (c[f] !== undefined && Object.keys(c[f]).length > 0)
        errors.push(forbiddenField(`${at}.${f}`, 'cannot be set for an Ephemeral Container'));
    if (c.targetContainerName !== undefined && !others.has(c.targetContainerName))
      errors.push({
        type: 'FieldValueNotFound',
        field: `${at}.targetContainerName`,
        body: `Not found: ${JSON.stringify(c.targetContainerName)}`,
      });
  });
  return errors.length ? { errors } : { containers: next };
}
