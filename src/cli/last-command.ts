/** `irpscope last --ioctl X`: the latest failures of an IOCTL, with status, time, build and where they were seen. */
import type { Command } from 'commander';
import { selectLastFailures, type IoctlFailure } from '../../db/queries/last.js';
import { driverKey } from '../../db/column-values.js';
import { colorWanted, styler } from './terminal.js';
import { addDatabaseOption, addOutputOptions, outputMode, parseCodeOption, parseLimit, withStore } from './store-options.js';
import { renderRows, type Column } from './render-table.js';
import { UsageError } from './errors.js';

export const LAST_COLUMNS: Column<IoctlFailure>[] = [
  { key: 'time', title: 'time', value: (r) => r.time },
  { key: 'code', title: 'IOCTL', value: (r) => r.code },
  { key: 'status', title: 'status', value: (r) => r.status },
  { key: 'status_text', title: 'status text', value: (r) => r.statusText },
  { key: 'driver', title: 'driver', value: (r) => r.driver },
  { key: 'build', title: 'build', value: (r) => r.build },
  { key: 'process', title: 'process', value: (r) => r.process },
  { key: 'incident', title: 'incident', value: (r) => r.incident, numeric: true },
  { key: 'source', title: 'source', value: (r) => `${r.source}:${r.line}`, keepEnd: true },
];

export function registerLast(program: Command): void {
  addOutputOptions(addDatabaseOption(program
    .command('last')
    .summary('the latest failures of an IOCTL: status, time, build, source file:line')
    .description(`The latest failures of an IOCTL, newest first: every occurrence that ended in an error status
(0xC...), or that was in flight in a crash. With --status, every occurrence with exactly that status instead.`)
    .requiredOption('--ioctl <code>', 'the control code (hex as WinDbg prints it: 0x222004 or 222004; 0n for decimal)')
    .option('--driver <driver>', 'only this driver (mydrv, mydrv.sys and \\Driver\\mydrv are the same)')
    .option('--status <status>', 'only this NTSTATUS (e.g. c0000010), failed or not')
    .option('--limit <n>', 'at most this many (default 100)')))
    .addHelpText('after', `
Examples:
  irpscope last --ioctl 0x222004 --driver mydrv.sys
  irpscope last --ioctl 222004 --status c0000010 --csv > failures.csv`)
    .action(async (options: { ioctl: string; driver?: string; status?: string; limit?: string; db?: string; json?: boolean; csv?: boolean }) => {
      const mode = outputMode(options);
      const code = parseCodeOption('--ioctl', options.ioctl);
      const status = options.status === undefined ? null : parseCodeOption('--status', options.status);
      const key = options.driver === undefined ? null : driverKey(options.driver);
      if (options.driver !== undefined && key === null) throw new UsageError('--driver: expected a driver name such as mydrv.sys');
      const limit = parseLimit(options.limit, 100);
      await withStore(options.db, { mustExist: true }, (store) => {
        const rows = selectLastFailures(store.db, { code, driverKey: key, status, limit });
        process.stdout.write(renderRows(mode, styler(colorWanted(process.stdout)), rows, LAST_COLUMNS, `no ${status === null ? 'failures' : 'occurrences with that status'} of IOCTL ${options.ioctl} stored`));
      });
    });
}
