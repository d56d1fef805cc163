// `kubectl ARGS`: finds the command among kubectl's global flags and runs it against the ApiClient.

import { verboseEnv } from './verbose.js';
import { type KubectlEnv, KubectlError, errorText } from './env.js';
import { GLOBAL_FLAGS, UsageError } from './flags.js';
import { get } from './get.js';
import { apply, replace } from './apply.js';
import { annotate, del, label, patch, scale } from './verbs.js';
import { create, expose, run } from './generators.js';
import { apiResources, clusterInfo, config, rollout, version, wait } from './info.js';
import { describe } from './describe.js';
import { exec } from './exec.js';
import { cp } from './cp.js';
import { debug } from './debug.js';
import { logs } from './logs.js';
import { portForward } from './port-forward.js';
import { cordon, taint, uncordon } from './node-ops.js';
import { events } from './events.js';
import { explain } from './explain.js';
import { set } from './set.js';

type Verb = (env: KubectlEnv, argv: readonly string[]) => Promise<number>;

const VERBS: Record<string, Verb> = {
  get,
  apply,
  replace,
  create,
  delete: del,
  label,
  annotate,
  patch,
  scale,
  run,
  expose,
  rollout,
  wait,
  describe,
  'api-resources': apiResources,
  version,
  'cluster-info': clusterInfo,
  config,
  exec,
  cp,
  debug,
  logs,
  'port-forward': portForward,
  cordon,
  uncordon,
  taint,
  events,
  explain,
  set,
};

/** Commands of kubectl that need the nodes' data plane, which this cluster does not have yet. */
const NEEDS_NODES = ['top', 'attach', 'proxy'];

/** kubectl's other commands, which knetlab does not emulate (yet): said plainly, not as unknown. */
const NOT_EMULATED = [
  'edit',
  'diff',
  'autoscale',
  'drain',
  'certificate',
  'auth',
  'kustomize',
  'plugin',
  'completion',
  'alpha',
  'options',
  'api-versions',
];

const HELP = `kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Commands emulated here:
  get, describe, apply, create, delete, run, expose, scale, rollout, patch, label, annotate,
  wait, exec, cp, debug, logs, port-forward, api-resources, explain, set image, cluster-info, config, version

Usage:
  kubectl [flags] [options]
`;

/** Index of the command word: the first argument that is neither a flag nor a global flag's value. */
function verbIndex(argv: readonly string[]): number {
  const takesValue = new Set(
    GLOBAL_FLAGS.filter((f) => f.kind !== 'bool').flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]),
  );
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return -1;
    if (!a.startsWith('-')) return i;
    if (takesValue.has(a)) i++;
  }
  return -1;
}

export async function kubectl(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const i = verbIndex(argv);
  if (i < 0) {
    env.io.stdout(HELP);
    return 0;
  }
  const name = argv[i]!;
  // Global flags before the command word go after its own arguments, so that a verb with a
  // subcommand (rollout status, config view) still finds it first.
  const rest = [...argv.slice(i + 1), ...argv.slice(0, i)];
  const verb = VERBS[name];
  try {
    if (!verb) {
      if (NEEDS_NODES.includes(name))
        throw new KubectlError(
          `"kubectl ${name}" needs the nodes' data plane (kubelet and containers), which knetlab does not emulate yet`,
        );
      if (NOT_EMULATED.includes(name)) throw new KubectlError(`"kubectl ${name}" is not emulated by knetlab`);
      throw new KubectlError(`unknown command "${name}" for "kubectl"`);
    }
    return await verb(verboseEnv(env, argv, name), rest);
  } catch (e) {
    env.io.stderr(errorText(e, e instanceof UsageError ? name : undefined));
    return 1;
  }
}

// port-forward changes nothing kept: the traffic it carries is the client's, not the journal's.
const READS = new Set(['get', 'describe', 'api-resources', 'version', 'cluster-info', 'wait', 'explain', 'logs', 'port-forward', 'events']);

/**
 * Whether `kubectl ARGV` may change state (the lab journals only those): reads are get, describe,
 * api-resources, version, cluster-info, wait, rollout status|history, config get-contexts/current-context
 * and dry runs; everything else counts as a write.
 */
export function kubectlMutates(argv: readonly string[]): boolean {
  const i = verbIndex(argv);
  if (i < 0) return false;
  const verb = argv[i]!;
  const rest = argv.slice(i + 1);
  if (READS.has(verb)) return false;
  if (verb === 'rollout' && (rest[0] === 'status' || rest[0] === 'history')) return false;
  if (verb === 'config' && (rest[0] === 'get-contexts' || rest[0] === 'current-context' || rest[0] === 'view')) return false;
  if (rest.some((a) => a === '--dry-run=client' || a === '--dry-run=server')) return false;
  return true;
}

/** What kubectl prints when no API server answers (no cluster behind the current context). */
export function connectionRefused(hostPort: string): string {
  return `The connection to the server ${hostPort} was refused - did you specify the right host or port?\n`;
}
