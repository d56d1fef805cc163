// The failures iptables 1.8.9 (nf_tables) reports, by kind, so each front end (iptables,
// iptables-restore) can print them exactly as the real tool does and exit with its status:
//
//   param    xtables_error(PARAMETER_PROBLEM)   `iptables v1.8.9 (nf_tables): MSG` + "Try `iptables -h' …"   exit 2
//   bad-arg  a stray word on the command line   "Bad argument `x'" + "Try …"                              exit 2
//   usage    -6 given to iptables (exit_tryhelp) "Try …" alone                                             exit 2
//   errno    a failed cache operation           `iptables: MSG.` / `iptables-restore: line N failed: MSG.` exit 1
//   netlink  the kernel refused the batch       `iptables v1.8.9 (nf_tables):  OP failed (ERR): OBJ`        exit 4
//   fatal    other fatal errors                 `iptables v1.8.9 (nf_tables): MSG`                          exit 1 or 3
//   plain    iptables-restore's own complaints  `iptables-restore: COMMIT expected at line 3`               exit 1

export const IPTABLES_VERSION = 'v1.8.9 (nf_tables)';

/** One kernel refusal inside a batch: `RULE_APPEND failed (Invalid argument): rule in chain INPUT`. */
export interface NetlinkFailure {
  readonly op: 'RULE_APPEND' | 'RULE_INSERT' | 'RULE_REPLACE' | 'CHAIN_DEL';
  readonly err: 'Invalid argument' | 'Too many links' | 'Operation not supported' | 'Device or resource busy';
  /** `rule in chain INPUT` or `chain KUBE-X`. */
  readonly object: string;
  /** The payload line of the operation (iptables-restore), or 0. */
  readonly line: number;
}

export type IptablesFailure =
  | { readonly kind: 'param'; readonly message: string }
  | { readonly kind: 'bad-arg'; readonly arg: string }
  | { readonly kind: 'usage' }
  | { readonly kind: 'errno'; readonly message: string }
  | { readonly kind: 'netlink'; readonly failures: readonly NetlinkFailure[] }
  | { readonly kind: 'fatal'; readonly message: string; readonly status: number }
  | { readonly kind: 'plain'; readonly message: string };

export class IptablesError extends Error {
  /** The payload line the failure is reported at (iptables-restore), or 0. */
  line = 0;

  constructor(readonly failure: IptablesFailure) {
    super(
      failure.kind === 'bad-arg'
        ? `Bad argument \`${failure.arg}'`
        : failure.kind === 'netlink'
          ? 'netlink batch failed'
          : failure.kind === 'usage'
            ? 'usage'
            : failure.message,
    );
    this.name = 'IptablesError';
  }

  get status(): number {
    const f = this.failure;
    return f.kind === 'param' || f.kind === 'bad-arg' || f.kind === 'usage'
      ? 2
      : f.kind === 'errno' || f.kind === 'plain'
        ? 1
        : f.kind === 'netlink'
          ? 4
          : f.status;
  }

  /** Sets the payload line (iptables-restore) and returns this error, for `throw e.at(n)`. */
  at(line: number): this {
    this.line = line;
    return this;
  }

  /** What `prog` (iptables or iptables-restore) prints on stderr for this failure. */
  render(prog: string): string {
    const f = this.failure;
    const restore = prog.endsWith('-restore');
    const where = restore ? `Error occurred at line: ${this.line}\n` : '';
    const tryHelp = `Try \`${prog} -h' or '${prog} --help' for more information.\n`;
    switch (f.kind) {
      case 'param':
        return `${prog} ${IPTABLES_VERSION}: ${f.message}\n${where}${tryHelp}`;
      case 'bad-arg':
        return `Bad argument \`${f.arg}'\n${where}${tryHelp}`;
      case 'usage':
        return `${where}${tryHelp}`;
      case 'errno':
        return restore ? `${prog}: line ${this.line} failed: ${f.message}\n` : `${prog}: ${f.message}\n`;
      case 'netlink':
        return `${prog} ${IPTABLES_VERSION}: ${f.failures.map((x) => `${restore ? `\nline ${x.line}: ` : ' '}${x.op} failed (${x.err}): ${x.object}`).join('')}\n`;
      case 'fatal':
        return `${prog} ${IPTABLES_VERSION}: ${f.message}\n`;
      case 'plain':
        return `${prog}: ${f.message}\n`;
    }
  }
}

export const paramError = (message: string): IptablesError => new IptablesError({ kind: 'param', message });
export const errnoError = (message: string): IptablesError => new IptablesError({ kind: 'errno', message });
export const badArgument = (arg: string): IptablesError => new IptablesError({ kind: 'bad-arg', arg });

/** The errno texts iptables prints for cache operations (nft_strerror). */
export const ENOENT_CHAIN = 'No chain/target/match by that name.';
export const BAD_RULE = 'Bad rule (does a matching rule exist in that chain?).';
