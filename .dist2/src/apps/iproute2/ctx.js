import { fail } from './args.js';
import { Printer } from './print.js';
export const DEFAULT_OPTIONS = {
    family: undefined, stats: 0, details: false, json: false, pretty: false, oneline: false, brief: false, all: false,
};
export function printerFor(o) {
    return new Printer({ json: o.json, pretty: o.pretty, oneline: o.oneline });
}
/** The global `-n NAME` / `-netns NAME`: the named namespace, with iproute2's errors. */
export function netnsOption(proc, name) {
    if (name === undefined)
        return fail(255, 'Command line is not complete. Try option "help"');
    return proc.host.netns(name) ?? fail(255, `Cannot open network namespace "${name}": No such file or directory`);
}
//# sourceMappingURL=ctx.js.map