// Which shell commands only read a host: those need no journal record. An allow-list of the tools'
// listing forms; anything else (and anything unknown) counts as a change, since a change wrongly
// called a read would be lost when the server restarts. Sending packets (ping, curl) changes state
// (neighbours, conntrack), and so does sleep (virtual time).
import type { SimpleCommand, Stage } from '../shell/parse.js';
import { TEXT_TOOLS } from '../shell/text-tools.js';

/** ip's objects whose bare form or `show`/`list`/`get` verbs only read. */
const IP_OBJECTS = new Set([
  'link',
  'l',
  'address',
  'addr',
  'a',
  'route',
  'r',
  'ro',
  'neighbour',
  'neighbor',
  'neigh',
  'n',
  'rule',
  'ru',
  'maddress',
  'maddr',
  'm',
  'netconf',
  'ntable',
]);
const SHOW_VERBS = new Set(['show', 'sh', 'list', 'lst', 'ls', 'l', 'get', 'g']);
/** ip and bridge global options that take a value. */
const VALUE_OPTIONS = new Set(['-n', '-netns', '--netns', '-f', '-family', '-rc', '-rcvbuf', '-l', '-loops', '-c', '-color', '--color']);

function skipGlobals(args: readonly string[]): readonly string[] | undefined {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) {
    const a = args[i]!;
    if (a === '-batch' || a === '-b' || a === '-force') return undefined;
    i += VALUE_OPTIONS.has(a.split('=')[0]!) && !a.includes('=') ? 2 : 1;
  }
  return args.slice(i);
}

function ipReads(args: readonly string[]): boolean {
  const rest = skipGlobals(args);
  if (!rest || rest.length === 0) return false;
  const [object, verb, ...more] = rest;
  if (object === 'netns') {
    if (verb === undefined || verb === 'list' || verb === 'show' || verb === 'identify' || verb === 'pids' || verb === 'list-id')
      return true;
    return verb === 'exec' && more.length >= 2 && argvReads(more.slice(1));
  }
  return IP_OBJECTS.has(object!) && (verb === undefined || verb.startsWith('-') || SHOW_VERBS.has(verb) || verb === 'dev');
}

function bridgeReads(args: readonly string[]): boolean {
  const rest = skipGlobals(args);
  if (!rest || rest.length === 0) return false;
  const [object, verb] = rest;
  return ['link', 'fdb', 'mdb', 'vlan'].includes(object!) && (verb === undefined || verb === 'show' || verb === 'list' || verb === 'dev');
}

/** A tool's command letters in argv (`-nvL` holds L; a long option maps to its letter). */
function commandLetters(args: readonly string[], letters: string, long: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (a.startsWith('--')) {
      if (Object.hasOwn(long, a)) out.push(long[a]!);
    } else if (/^-[a-zA-Z]+$/.test(a)) {
      out.push(...[...a.slice(1)].filter((c) => letters.includes(c)));
    }
  }
  return out;
}

/** Only listing commands, and at least one. */
function lists(found: string[], listing: string): boolean {
  return found.length > 0 && found.every((c) => listing.includes(c));
}

const IPTABLES_LONG = {
  '--list': 'L',
  '--list-rules': 'S',
  '--zero': 'Z',
  '--append': 'A',
  '--insert': 'I',
  '--delete': 'D',
  '--replace': 'R',
  '--flush': 'F',
  '--new-chain': 'N',
  '--delete-chain': 'X',
  '--policy': 'P',
  '--rename-chain': 'E',
  '--check': 'C',
};
const IPVSADM_LONG = {
  '--list': 'L',
  '--save': 'S',
  '--zero': 'Z',
  '--add-service': 'A',
  '--edit-service': 'E',
  '--delete-service': 'D',
  '--clear': 'C',
  '--restore': 'R',
  '--add-server': 'a',
  '--edit-server': 'e',
  '--delete-server': 'd',
  '--set': 's',
};

const has = (args: readonly string[], ...opts: string[]) => args.some((a) => opts.includes(a));

/** argv (with the program name) only reads the host it runs on. */
export function argvReads(argv: readonly string[]): boolean {
  const [name, ...args] = argv;
  switch (name) {
    case 'ip':
      return ipReads(args);
    case 'bridge':
      return bridgeReads(args);
    case 'brctl':
      return args.length === 0 || ['show', 'showmacs', 'showstp'].includes(args[0]!);
    case 'iptables-save':
    case 'cat':
    case 'echo':
    case 'true':
    case 'false':
    case 'wait':
    case 'tcpdump':
      return true;
    case 'hostname':
      return args.length === 0;
    case 'iptables':
      return lists(commandLetters(args, 'ACDIRLSFZNXPE', IPTABLES_LONG), 'LS');
    case 'ipset':
      return ['list', '-L', '-list', 'save', '-S', '-save', 'test', '-T', '-test', 'help', 'version', '-v'].includes(args[0] ?? 'list');
    case 'ipvsadm':
      return lists(commandLetters(args, 'AEDCRSaedLlZs', IPVSADM_LONG), 'LlS');
    case 'conntrack':
      return has(args, '-L', '--dump', '-C', '--count', '-S', '--stats', '-G', '--get');
    case 'sysctl':
      return !args.some((a) => a.includes('=') || ['-w', '--write', '-p', '--load', '--system'].includes(a) || /^-[a-zA-Z]*[wp]/.test(a));
    default:
      return false;
  }
}

/** One command of a pipeline only reads: its program reads (a text tool touches no host), and no redirection writes into /proc. */
function stageReads(s: Stage): boolean {
  return (argvReads(s.argv) || TEXT_TOOLS.has(s.argv[0]!)) && s.redirects.every((r) => !r.target.startsWith('/proc'));
}

/** The command only reads: every command of its pipeline does. */
export function commandReads(c: SimpleCommand): boolean {
  return stageReads(c) && (c.pipeTo ?? []).every(stageReads);
}
