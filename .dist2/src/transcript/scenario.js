// Scenario scripts (test/scenarios/*.sh): a plain shell script, one command per line.
// Blank lines and lines whose first non-blank character is `#` are ignored; every other
// line is one command, run by bash on its own (a failing command does not stop the script).
// A command may run inside a named network namespace with `ip netns exec NAME <cmd>`.
const NETNS_EXEC = /^ip\s+netns\s+exec\s+(\S+)\s+(\S.*)$/;
/** Splits a scenario script into its commands. */
export function parseScenario(text) {
    const commands = [];
    text.split('\n').forEach((raw, i) => {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            return;
        const m = NETNS_EXEC.exec(line);
        commands.push(m === null ? { line: i + 1, text: line, inner: line } : { line: i + 1, text: line, netns: m[1], inner: m[2] });
    });
    return commands;
}
/**
 * Splits a command into words the way a POSIX shell would for the simple commands
 * scenarios use: blanks separate words, '…' quotes literally, "…" quotes with `\`
 * escaping `"`, `\`, `$` and `` ` ``, and a bare `\` escapes the next character.
 * Redirections and other operators (`>`, `|`, `;`) are returned as ordinary words;
 * no expansion is done.
 */
export function shellWords(command) {
    const words = [];
    let word = '';
    let inWord = false;
    for (let i = 0; i < command.length; i++) {
        const c = command[i];
        if (c === ' ' || c === '\t') {
            if (inWord)
                words.push(word);
            word = '';
            inWord = false;
            continue;
        }
        inWord = true;
        if (c === "'") {
            const end = command.indexOf("'", i + 1);
            if (end < 0)
                throw new Error(`Cannot split command "${command}": unterminated single quote`);
            word += command.slice(i + 1, end);
            i = end;
        }
        else if (c === '"') {
            let j = i + 1;
            for (; j < command.length && command[j] !== '"'; j++) {
                if (command[j] === '\\' && '"\\$`'.includes(command[j + 1] ?? ''))
                    j++;
                word += command[j];
            }
            if (j >= command.length)
                throw new Error(`Cannot split command "${command}": unterminated double quote`);
            i = j;
        }
        else if (c === '\\' && i + 1 < command.length) {
            word += command[++i];
        }
        else {
            word += c;
        }
    }
    if (inWord)
        words.push(word);
    return words;
}
//# sourceMappingURL=scenario.js.map