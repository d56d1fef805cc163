// One-entry memo by string: every node of a cluster reads the same configuration text (the
// kubelet's config.yaml, kube-proxy's ConfigMap), parsed once instead of once per node.

/**
 * `fn` remembering its last argument and result: the same text again gives the same result
 * without calling `fn`. The result is shared: callers must only read it. A throw is not remembered.
 */
export function lastResult<T>(fn: (text: string) => T): (text: string) => T {
  let last: { readonly text: string; readonly value: T } | undefined;
  return (text) => {
    if (last?.text === text) return last.value;
    const value = fn(text);
    last = { text, value };
    return value;
  };
}
