/** `irpscope start` (what `npm start` runs): the main job on the bundled samples. */
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { runDecode } from './decode-command.js';

export const SAMPLE_CODES = fileURLToPath(new URL('../../../samples/codes.txt', import.meta.url));

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('Run the main job on the bundled samples: for now, decode the control codes, statuses and bugchecks\nlisted in samples/codes.txt (each taken from a real public paste, named there).')
    .option('--json', 'print the decodings as JSON')
    .addHelpText('after', '\nExample:\n  npm start')
    .action(async (options: { json?: boolean }) => {
      await runDecode([], { file: [SAMPLE_CODES], ...(options.json ? { json: true } : {}) });
    });
}
