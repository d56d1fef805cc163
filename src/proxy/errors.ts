// One error type for bad render input: it names the object, the field path and the value.

export class ProxyInputError extends Error {
  constructor(
    /** `Service ns1/svc1`, `EndpointSlice ns1/svc1-abc`, `KubeProxyConfiguration`, `--addr`. */
    readonly object: string,
    /** The field path as kubectl prints it: `spec.ports[0].protocol`. */
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${object}: ${field}: ${detail}`);
    this.name = 'ProxyInputError';
  }
}

/** `Invalid value: "x": why`, the apimachinery field-error form. */
export function invalid(object: string, field: string, value: unknown, why: string): ProxyInputError {
  return new ProxyInputError(object, field, `Invalid value: ${JSON.stringify(value)}: ${why}`);
}

export function required(object: string, field: string, why = ''): ProxyInputError {
  return new ProxyInputError(object, field, `Required value${why ? `: ${why}` : ''}`);
}
