// The CNI spec's data (containernetworking/cni SPEC.md, versions 0.3.1 to 1.1.0): network
// configurations, results and errors, as plugins read and print them.

/** One plugin's configuration inside a list (`type` names its binary in /opt/cni/bin). */
export interface PluginConf {
  readonly type: string;
  readonly name?: string;
  readonly cniVersion?: string;
  readonly capabilities?: Readonly<Record<string, boolean>>;
  readonly ipam?: Readonly<Record<string, unknown>> & { readonly type?: string };
  readonly [key: string]: unknown;
}

/** A network configuration list (`*.conflist`), or a single `*.conf` wrapped as a list of one. */
export interface NetConfList {
  readonly cniVersion: string;
  readonly name: string;
  readonly plugins: readonly PluginConf[];
  /** The file it was read from. */
  readonly file: string;
}

export interface ResultInterface {
  readonly name: string;
  readonly mac?: string;
  readonly mtu?: number;
  /** The namespace path of a container-side interface. */
  readonly sandbox?: string;
}

export interface ResultIp {
  /** CIDR, as `10.244.1.2/24`. */
  readonly address: string;
  readonly gateway?: string;
  /** Index into `interfaces`. */
  readonly interface?: number;
}

export interface ResultRoute {
  readonly dst: string;
  readonly gw?: string;
}

/** What ADD prints on success (spec "Success"). */
export interface CniResult {
  readonly cniVersion: string;
  readonly interfaces?: readonly ResultInterface[];
  readonly ips?: readonly ResultIp[];
  readonly routes?: readonly ResultRoute[];
  readonly dns?: Readonly<Record<string, unknown>>;
}

/** The spec's well-known error codes. */
export const CNI_ERR = {
  INCOMPATIBLE_VERSION: 1,
  UNSUPPORTED_FIELD: 2,
  UNKNOWN_CONTAINER: 3,
  INVALID_ENV: 4,
  IO_FAILURE: 5,
  DECODING_FAILURE: 6,
  INVALID_CONFIG: 7,
  TRY_AGAIN_LATER: 11,
  /** 100+: plugin-specific. */
  INTERNAL: 999,
} as const;

/** A plugin's error result (`{"cniVersion", "code", "msg", "details"}`); the message is what libcni shows. */
export class CniError extends Error {
  constructor(
    readonly code: number,
    readonly msg: string,
    readonly details = '',
  ) {
    super(details ? `${msg}: ${details}` : msg);
    this.name = 'CniError';
  }
}
