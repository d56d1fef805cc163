// Kernel answers as iproute2 prints them: `Error: <extack>.` when the kernel attached a message,
// `RTNETLINK answers: <strerror>` otherwise. Where the real kernel attaches an extack that
// knetlab's kernel does not, the operation names it here (per errno), so the text is the real one.
import { KernelError, STRERROR } from '../../kernel/index.js';
import { Exit } from './args.js';
/** The message lines for a kernel error (without exiting). */
export function kernelMessage(e, extacks = {}) {
    const ext = e.extack ?? extacks[e.errno];
    return ext !== undefined ? `Error: ${ext}.` : `RTNETLINK answers: ${STRERROR[e.errno]}`;
}
/** Runs a kernel operation; a KernelError becomes iproute2's message and exit status (2 for ip, 255 for bridge). */
export function rtnl(op, extacks = {}, status = 2) {
    try {
        return op();
    }
    catch (e) {
        if (e instanceof KernelError)
            throw new Exit(status, [kernelMessage(e, extacks)]);
        throw e;
    }
}
/** A kernel answer produced by the app itself (a check the kernel would make). */
export function kernelFail(errno, extack, status = 2) {
    throw new Exit(status, [kernelMessage(new KernelError(errno, extack))]);
}
//# sourceMappingURL=errors.js.map