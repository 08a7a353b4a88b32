/**
 * Every test's temporary files under one folder made for the run and removed after it. The tests (and the
 * binaries they spawn) take os.tmpdir(), which follows TMPDIR; vitest.config.ts points TMPDIR at the folder before
 * the test workers start (they copy the environment then), and this global setup removes it after the run.
 * IRPSCOPE_KEEP_TEST_TMP=1 keeps the folder to look at after a failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Called from vitest.config.ts: the folder, made once per run. */
export function testRunFolder(): string {
  const folder = process.env.IRPSCOPE_TEST_RUN_TMP ?? mkdtempSync(join(tmpdir(), 'irpscope-test-run-'));
  process.env.IRPSCOPE_TEST_RUN_TMP = folder;
  return folder;
}

export default function setup(): () => void {
  const folder = process.env.IRPSCOPE_TEST_RUN_TMP;
  return () => {
    if (!folder) return;
    if (process.env.IRPSCOPE_KEEP_TEST_TMP) process.stderr.write(`test files kept in ${folder}\n`);
    else rmSync(folder, { recursive: true, force: true });
  };
}
