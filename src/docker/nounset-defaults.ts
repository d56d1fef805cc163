// just-bash 3.4 takes a double-quoted expansion that is the whole word ("${VAR:-default}", the
// usual way to read an optional variable under `set -u`) for a plain "$VAR" and stops with
// `VAR: unbound variable`, where bash expands the default. A just-bash transform gives each such
// word an empty literal part after the expansion: the same word, expanded on just-bash's general
// path, which applies the operator first. Only for plain names and positional parameters:
// "${arr[@]:-x}" can expand to no word at all, which a literal would turn into one.
import type { Bash } from 'just-bash/browser';
import { eachNode, type Node } from './ast.js';

/** The operators that exist for an unset variable, so `set -u` does not apply to them. */
const FOR_UNSET = new Set(['DefaultValue', 'AssignDefault', 'UseAlternative', 'ErrorIfUnset']);
const PLAIN = /^([A-Za-z_][A-Za-z0-9_]*|[1-9][0-9]*)$/;

function visit(n: Node): void {
  if (n.type !== 'DoubleQuoted' || n.parts?.length !== 1) return;
  const only = n.parts[0] as Node;
  if (only.type === 'ParameterExpansion' && FOR_UNSET.has(only.operation?.type) && PLAIN.test(only.parameter))
    n.parts = [...n.parts, { type: 'Literal', value: '' }];
}

export const NOUNSET_DEFAULTS: Parameters<Bash['registerTransformPlugin']>[0] = {
  name: 'knetlab-nounset-defaults',
  transform: ({ ast }) => {
    eachNode(ast, visit);
    return { ast };
  },
};
