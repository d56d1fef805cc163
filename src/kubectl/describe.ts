import type { KubectlEnv } from './env.js';
export async function describe(_env: KubectlEnv, _argv: readonly string[]): Promise<number> {
  return 1;
}
