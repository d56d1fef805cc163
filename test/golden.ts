// Re-recording goldens: with UPDATE_GOLDEN=1 a golden test first writes what the real tool prints
// now, then compares as always. Recording needs what the real tool needs (root, Linux, the tool's
// version); where that is missing the test is skipped, saying why, and the golden stays as it is.
import { writeFileSync } from 'node:fs';
import type { TestContext } from 'node:test';

export const updatingGoldens = (): boolean => process.env['UPDATE_GOLDEN'] === '1';

/**
 * Under UPDATE_GOLDEN=1, writes `record()`'s text to `golden`, or skips the test with
 * `unavailable`'s reason; returns false when the test was skipped. Otherwise does nothing.
 */
export async function updateGolden(
  t: TestContext,
  golden: string,
  record: () => string | Promise<string>,
  unavailable?: string,
): Promise<boolean> {
  if (!updatingGoldens()) return true;
  if (unavailable !== undefined) {
    t.skip(`cannot re-record: ${unavailable}`);
    return false;
  }
  writeFileSync(golden, await record());
  return true;
}
