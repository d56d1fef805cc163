// Command-line parsing as cobra/pflag do it for kubectl: flags anywhere among the arguments,
// `--name=value`, `--name value`, `-n value`, `-nvalue`, `-n=value`, grouped boolean shorthands
// (`-Aw`), `--` ending the flags; pflag's messages for unknown or incomplete flags.

export type FlagKind = 'bool' | 'string' | 'int' | 'strings';

export interface FlagSpec {
  name: string;
  short?: string;
  kind: FlagKind;
}

export type FlagValues = Record<string, string | boolean | number | string[] | undefined>;

export interface Parsed {
  args: string[];
  flags: FlagValues;
  /** Flags the user set (pflag's Changed). */
  changed: Set<string>;
}

export class UsageError extends Error {}

/** What kubectl appends to an object's line under --dry-run=client|server. */
export const dryRunSuffix = (v: unknown): string => (v === 'client' ? ' (dry run)' : v === 'server' ? ' (server dry run)' : '');

/** kubectl's global flags, accepted by every command. */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'namespace', short: 'n', kind: 'string' },
  { name: 'context', kind: 'string' },
  { name: 'cluster', kind: 'string' },
  { name: 'user', kind: 'string' },
  { name: 'kubeconfig', kind: 'string' },
  { name: 'request-timeout', kind: 'string' },
  { name: 'v', short: 'v', kind: 'int' },
  { name: 'help', short: 'h', kind: 'bool' },
  { name: 'warnings-as-errors', kind: 'bool' },
];

export function parseFlags(argv: readonly string[], specs: FlagSpec[]): Parsed {
  const all = [...specs, ...GLOBAL_FLAGS];
  const byName = new Map(all.map((s) => [s.name, s]));
  const byShort = new Map(all.filter((s) => s.short).map((s) => [s.short!, s]));
  const flags: FlagValues = {};
  const changed = new Set<string>();
  const args: string[] = [];
  const set = (spec: FlagSpec, raw: string, shown: string) => {
    changed.add(spec.name);
    switch (spec.kind) {
      case 'bool':
        if (raw !== 'true' && raw !== 'false' && raw !== '1' && raw !== '0')
          throw new UsageError(`invalid argument "${raw}" for "${shown}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`);
        flags[spec.name] = raw === 'true' || raw === '1';
        return;
      case 'int':
        if (!/^-?\d+$/.test(raw))
          throw new UsageError(`invalid argument "${raw}" for "${shown}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`);
        flags[spec.name] = parseInt(raw, 10);
        return;
      case 'strings': {
        const prev = (flags[spec.name] as string[] | undefined) ?? [];
        flags[spec.name] = [...prev, ...(raw === '' ? [] : raw.split(','))];
        return;
      }
      default:
        flags[spec.name] = raw;
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const spec = byName.get(name);
      if (!spec) throw new UsageError(`unknown flag: --${name}`);
      const shown = spec.short ? `-${spec.short}, --${spec.name}` : `--${spec.name}`;
      if (eq >= 0) set(spec, a.slice(eq + 1), shown);
      else if (spec.kind === 'bool') set(spec, 'true', shown);
      else if (i + 1 < argv.length) set(spec, argv[++i]!, shown);
      else throw new UsageError(`flag needs an argument: --${name}`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      let rest = a.slice(1);
      while (rest.length > 0) {
        const ch = rest[0]!;
        const spec = byShort.get(ch);
        if (!spec) throw new UsageError(`unknown shorthand flag: '${ch}' in ${a}`);
        const shown = `-${spec.short}, --${spec.name}`;
        rest = rest.slice(1);
        if (spec.kind === 'bool') {
          if (rest.startsWith('=')) {
            set(spec, rest.slice(1), shown);
            rest = '';
          } else set(spec, 'true', shown);
          continue;
        }
        if (rest.startsWith('=')) set(spec, rest.slice(1), shown);
        else if (rest.length > 0) set(spec, rest, shown);
        else if (i + 1 < argv.length) set(spec, argv[++i]!, shown);
        else throw new UsageError(`flag needs an argument: '${ch}' in ${a}`);
        rest = '';
      }
      continue;
    }
    args.push(a);
  }
  return { args, flags, changed };
}
