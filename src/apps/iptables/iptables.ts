// iptables 1.8.9 (nf_tables): one command against the namespace's IptablesState, printing what
// the real tool prints and exiting with its status; a failing command changes nothing.
import { IPTABLES_VERSION, IptablesError, iptablesOf, isTableName, parseCommand, verboseRule } from '../../kernel/netfilter/index.js';
import type { Proc } from '../proc.js';
import { IPTABLES_HELP, STANDARD_TARGET_HELP } from './help.js';

/** Prints an IptablesError as `prog` does and returns its exit status. */
export function reportError(e: unknown, prog: string, proc: Proc): number {
  if (!(e instanceof IptablesError)) throw e;
  let text = e.render(prog);
  // The iptables command (not iptables-restore) adds a hint to an EINVAL from the kernel.
  if (prog === 'iptables' && e.failure.kind === 'errno' && e.failure.message === 'Bad policy name.')
    text = text.replace(/\n$/, " Run `dmesg' for more information.\n");
  proc.stderr(text);
  return e.status;
}

/** `iptables [-t table] COMMAND ...` */
export function iptables(args: readonly string[], proc: Proc): number {
  const state = iptablesOf(proc.ns);
  try {
    const cmd = parseCommand(args, state.setExists ? { setExists: state.setExists } : {});
    if (cmd.command === 'version') {
      proc.stdout(`iptables ${IPTABLES_VERSION}\n`);
      return 0;
    }
    if (cmd.command === 'help') {
      proc.stdout(IPTABLES_HELP + (cmd.standardHelp ? STANDARD_TARGET_HELP : ''));
      return 0;
    }
    if (!isTableName(cmd.table)) {
      if (cmd.table === 'security') throw new IptablesError({ kind: 'param', message: 'The security table is not supported by knetlab' });
      throw new IptablesError({
        kind: 'fatal',
        message: `table '${cmd.table}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.`,
        status: 3,
      });
    }
    // -v echoes the rule it was given, whatever the kernel then says.
    if (cmd.verbose && cmd.rule) proc.stdout(`${verboseRule(cmd.rule)}\n`);
    proc.stdout(state.execute(cmd, cmd.table));
    return 0;
  } catch (e) {
    return reportError(e, 'iptables', proc);
  }
}
