// Runs a scenario script (test/scenarios/*.sh: one command per line, failures do not stop it)
// on a fresh emulated host and records its transcript, for comparison with the real one.
import { formatTranscript, parseScenario } from '../transcript/index.js';
import { Session } from './session.js';
export function runScenario(script, opts = {}) {
    const session = new Session({ host: 'lab', seed: opts.seed ?? 'scenario' });
    const files = new Map();
    const entries = parseScenario(script).map((c) => {
        let stdout = '';
        let stderr = '';
        const exit = session.run(c.text, {
            stdout: (t) => (stdout += t),
            stderr: (t) => (stderr += t),
            writeFile: (p, d) => files.set(p, d),
            readFile: (p) => files.get(p),
        });
        return { command: c.text, stdout, stderr, exit };
    });
    return formatTranscript(entries);
}
//# sourceMappingURL=scenario.js.map