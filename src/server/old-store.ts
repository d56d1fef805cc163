// A KNETLAB_HOME written by knetlab before the lab server: one $KNETLAB_HOME/hosts/NAME.json per
// host (its seed and the scripts run on it, replayed on every command). The lab server keeps the
// whole lab in journal.jsonl instead and cannot read those files; ignoring them would look like
// the hosts were lost, so every front end refuses such a home and says what to do. Node built-ins
// only: the thin client checks it before starting a server.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The refusal for a home that holds pre-server host files, or undefined when it holds none. */
export function oldStoreProblem(home: string): string | undefined {
  const dir = join(home, 'hosts');
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch {
    return undefined; // no hosts/ directory (or not one): nothing of the old store
  }
  if (files.length === 0) return undefined;
  const named =
    files
      .slice(0, 3)
      .map((f) => join(dir, f))
      .join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
  return (
    `knetlab: ${named} ${files.length === 1 ? 'is a host' : 'are hosts'} saved by an older knetlab (one file per host, before the lab server); ` +
    `this version keeps the lab in ${join(home, 'journal.jsonl')} and cannot read ${files.length === 1 ? 'it' : 'them'}. ` +
    `Move ${dir} aside (or remove it) to start a fresh lab here, or set KNETLAB_HOME to another directory; ` +
    `to get a host back, run the commands that built it again\n`
  );
}
