// The transcript format: what a scenario printed, command by command.
//
// One text file per scenario. For every command of the script:
//
//   $ <command>                 the command exactly as written in the scenario
//   <stdout, verbatim>          (a final newline is added if the command printed none)
//   stderr: <line>              each line of stderr, in order, after all of stdout
//   [exit N]                    only when the exit status N is not 0
//
// stdout and stderr are kept apart (not interleaved) because their interleaving
// depends on buffering, not on the tool.
const STDERR_PREFIX = 'stderr: ';
const EXIT_LINE = /^\[exit (\d+)\]$/;
function linesOf(text) {
    if (text === '')
        return [];
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '')
        lines.pop();
    return lines;
}
/** Renders entries in the transcript format described at the top of this file. */
export function formatTranscript(entries) {
    let out = '';
    for (const e of entries) {
        out += `$ ${e.command}\n`;
        if (e.stdout !== '')
            out += e.stdout.endsWith('\n') ? e.stdout : `${e.stdout}\n`;
        for (const line of linesOf(e.stderr))
            out += `${STDERR_PREFIX}${line}\n`;
        if (e.exit !== 0)
            out += `[exit ${e.exit}]\n`;
    }
    return out;
}
/**
 * Reads a transcript back into entries (the inverse of formatTranscript, except that
 * a stdout that lacked its final newline comes back with one). A stdout line that
 * itself starts with `$ ` would be taken for a command: none of the tools we record
 * print such a line.
 */
export function parseTranscript(text) {
    const entries = [];
    let cur;
    const flush = () => {
        if (cur === undefined)
            return;
        entries.push({
            command: cur.command,
            stdout: cur.stdout.map((l) => `${l}\n`).join(''),
            stderr: cur.stderr.map((l) => `${l}\n`).join(''),
            exit: cur.exit,
        });
    };
    for (const line of linesOf(text)) {
        if (line.startsWith('$ ')) {
            flush();
            cur = { command: line.slice(2), stdout: [], stderr: [], exit: 0 };
            continue;
        }
        if (cur === undefined)
            throw new Error(`Cannot parse transcript: line "${line}" comes before any "$ " command line`);
        const exit = EXIT_LINE.exec(line);
        if (exit !== null)
            cur.exit = Number(exit[1]);
        else if (line.startsWith(STDERR_PREFIX))
            cur.stderr.push(line.slice(STDERR_PREFIX.length));
        else
            cur.stdout.push(line);
    }
    flush();
    return entries;
}
//# sourceMappingURL=format.js.map