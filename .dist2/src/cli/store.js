// Where `knetlab sh --host NAME` keeps a host between invocations: $KNETLAB_HOME/hosts/NAME.json
// holds the seed and the journal of commands run. Loading replays the journal on a fresh session
// (the emulator is deterministic), so the state survives without serialising kernel internals.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../shell/session.js';
export function knetlabHome() {
    return process.env.KNETLAB_HOME ?? join(homedir(), '.knetlab');
}
const HOST_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
export function checkHostName(name) {
    return HOST_NAME.test(name) ? undefined : `knetlab: invalid host name "${name}": use letters, digits, '.', '_' and '-' (at most 63)`;
}
function pathOf(name) {
    return join(knetlabHome(), 'hosts', `${name}.json`);
}
/** The stored host, replayed; a fresh one when there is none (or when `reset`). */
export function loadHost(name, reset) {
    if (!reset) {
        let text;
        try {
            text = readFileSync(pathOf(name), 'utf8');
        }
        catch {
            text = undefined;
        }
        if (text !== undefined) {
            const stored = JSON.parse(text);
            if (stored.format !== 1)
                throw new Error(`Cannot load host "${name}": unknown state format ${String(stored.format)} in ${pathOf(name)}`);
            const session = new Session({ host: stored.host, seed: stored.seed });
            session.replay(stored.journal);
            return session;
        }
    }
    return new Session({ host: name, seed: name });
}
/** Saves atomically (write then rename), so an interrupted save never loses the previous state. */
export function saveHost(name, session) {
    const file = pathOf(name);
    mkdirSync(join(knetlabHome(), 'hosts'), { recursive: true });
    const stored = { format: 1, host: name, seed: name, journal: session.journal };
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(stored));
    renameSync(tmp, file);
}
export function removeHost(name) {
    rmSync(pathOf(name), { force: true });
}
//# sourceMappingURL=store.js.map