// `knetlab sh --no-server`: the lab in this process, as before the server existed — loaded from the
// journal, the command run, its record appended. For tests, debugging and machines without a
// server; refused while a server runs for the same KNETLAB_HOME (two writers would fork the lab).
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { standardLab } from '../lab/index.js';
import { clientFiles, shStdin } from './files.js';
import { blobKeeper, JournalWriter, loadJournal, readBlob } from './journal.js';
import { oldStoreProblem } from './old-store.js';
import { clientProcess } from './protocol.js';
import { JOURNAL_FILE, probe, SOCKET_FILE } from './server.js';

export async function runInProcess(home: string, argv: readonly string[], signal: AbortSignal): Promise<number> {
  const err = (t: string) => process.stderr.write(t);
  if (await probe(join(home, SOCKET_FILE))) {
    err(`knetlab: a lab server runs for ${home}; stop it first (knetlab server stop) or run without --no-server\n`);
    return 1;
  }
  const old = oldStoreProblem(home);
  if (old) {
    err(old);
    return 1;
  }
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const path = join(home, JOURNAL_FILE);
  const { records, warnings } = loadJournal(path);
  for (const w of warnings) err(`${w}\n`);
  const lab = standardLab();
  for (const r of records) await lab.replay(r, (name) => readBlob(path, name));
  const { keep, blobs } = blobKeeper();
  const stdin = shStdin(argv, process.cwd(), process.stdin.isTTY === true);
  const { status, record } = await lab.run(argv, {
    ...(stdin ? { stdin } : {}),
    stdout: (t) => process.stdout.write(t),
    stderr: err,
    signal,
    ...clientFiles(process.cwd()),
    keep,
    client: clientProcess(process.pid, process.env),
    wallClock: () => performance.timeOrigin + performance.now(),
  });
  if (!record) return status;
  const journal = new JournalWriter(path);
  try {
    await journal.append(record, blobs);
    return status;
  } catch (e) {
    err(`knetlab: ${(e as Error).message}: this command's changes were not kept\n`);
    return 1;
  } finally {
    journal.close();
  }
}
