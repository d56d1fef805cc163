// What every `ip` subcommand gets: where it runs and the global options (`ip -j -d -s ...`).
import type { Host, Netns } from '../../kernel/index.js';
import type { Proc } from '../proc.js';
import { fail } from './args.js';
import { Printer } from './print.js';

export interface IpOptions {
  /** -4 / -6 / -0 (or -f inet|inet6|link). */
  family: 'inet' | 'inet6' | 'link' | undefined;
  stats: number;
  details: boolean;
  json: boolean;
  pretty: boolean;
  oneline: boolean;
  brief: boolean;
  all: boolean;
}

export const DEFAULT_OPTIONS: IpOptions = {
  family: undefined,
  stats: 0,
  details: false,
  json: false,
  pretty: false,
  oneline: false,
  brief: false,
  all: false,
};

export interface Ctx {
  readonly proc: Proc;
  readonly host: Host;
  /** The namespace the command acts on (the caller's, or `ip -n NAME`'s). */
  readonly ns: Netns;
  readonly o: IpOptions;
}

export function printerFor(o: IpOptions): Printer {
  return new Printer({ json: o.json, pretty: o.pretty, oneline: o.oneline });
}

/** The global `-n NAME` / `-netns NAME`: the named namespace, with iproute2's errors. */
export function netnsOption(proc: Proc, name: string | undefined): Netns {
  if (name === undefined) return fail(255, 'Command line is not complete. Try option "help"');
  return proc.host.netns(name) ?? fail(255, `Cannot open network namespace "${name}": No such file or directory`);
}
