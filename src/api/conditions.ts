// Pod conditions of status True, frozen and shared by every pod that reaches one in the same
// second: the store keeps a frozen object as it is, and pods are scheduled and started by the
// hundred within one second.

type Condition = { readonly type: string; readonly status: 'True'; readonly lastProbeTime: null; readonly lastTransitionTime: string };

let sharedAt = '';
const shared = new Map<string, Condition>();

/** `{type, status: 'True', lastProbeTime: null, lastTransitionTime: at}`, one frozen object per type for the second `at`. */
export function trueCondition(type: string, at: string): Condition {
  if (at !== sharedAt) {
    sharedAt = at;
    shared.clear();
  }
  let c = shared.get(type);
  if (!c) shared.set(type, (c = Object.freeze({ type, status: 'True', lastProbeTime: null, lastTransitionTime: at })));
  return c;
}
