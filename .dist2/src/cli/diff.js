// `knetlab diff FILE`: one scenario script, run on the emulator and on a fresh real lab host
// (real network namespaces on this machine), compared after normalisation. Exit 0 when the two
// print the same, 1 when they differ (the unified diff goes to stdout), 2 when the real lab
// cannot run here.
import { readFileSync } from 'node:fs';
import { realLabUnavailableReason, runRealScenario } from '../reallab/index.js';
import { runScenario } from '../shell/scenario.js';
import { normalise, unifiedDiff } from '../transcript/index.js';
export async function diffScenario(file, out) {
    let script;
    try {
        script = readFileSync(file, 'utf8');
    }
    catch (e) {
        out.stderr(`knetlab diff: cannot read script "${file}": ${e.code === 'ENOENT' ? 'No such file or directory' : e.message}\n`);
        return 2;
    }
    const why = realLabUnavailableReason();
    if (why) {
        out.stderr(`knetlab diff: ${why}\n`);
        return 2;
    }
    const emulated = normalise(runScenario(script));
    const real = normalise(await runRealScenario(script));
    const diff = unifiedDiff(real, emulated, { from: `real/${file}`, to: `knetlab/${file}` });
    out.stdout(diff);
    return diff === '' ? 0 : 1;
}
//# sourceMappingURL=diff.js.map