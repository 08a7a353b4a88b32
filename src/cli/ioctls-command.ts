/** `irpscope ioctls`: every IOCTL seen, decoded, with counts, first and last seen, and statuses. */
import type { Command } from 'commander';
import { selectIoctls, type IoctlSeen } from '../../db/queries/ioctls.js';
import { driverKey } from '../../db/column-values.js';
import { colorWanted, styler } from './terminal.js';
import { addDatabaseOption, addOutputOptions, outputMode, withStore } from './store-options.js';
import { renderRows, type Column } from './render-table.js';
import { UsageError } from './errors.js';

const statusList = (r: IoctlSeen): string => r.statuses.map((s) => `${s.name ?? s.status ?? 'no status'} x${s.count}`).join('; ');

export const IOCTL_COLUMNS: Column<IoctlSeen>[] = [
  { key: 'code', title: 'IOCTL', value: (r) => r.code },
  { key: 'name', title: 'name', value: (r) => r.name },
  { key: 'device_type', title: 'device', value: (r) => r.deviceTypeName ?? r.deviceType },
  { key: 'function', title: 'fn', value: (r) => `0x${r.function.toString(16).toUpperCase()}` },
  { key: 'method', title: 'method', value: (r) => r.method },
  { key: 'access', title: 'access', value: (r) => r.access },
  { key: 'driver', title: 'driver', value: (r) => r.driver },
  { key: 'occurrences', title: 'count', value: (r) => r.occurrences, numeric: true },
  { key: 'first_seen', title: 'first seen', value: (r) => r.firstSeen },
  { key: 'last_seen', title: 'last seen', value: (r) => r.lastSeen },
  { key: 'statuses', title: 'statuses', value: statusList },
];

export function registerIoctls(program: Command): void {
  addOutputOptions(addDatabaseOption(program
    .command('ioctls')
    .summary('every IOCTL seen, decoded, with counts, first/last seen and statuses')
    .description('Every IOCTL seen in the store, decoded (device type, function, method, access, names), per driver, with\nhow often, when first and last, and which statuses it ended with. Most frequent first.')
    .option('--driver <driver>', 'only this driver (mydrv, mydrv.sys and \\Driver\\mydrv are the same)')))
    .addHelpText('after', `
Examples:
  irpscope ioctls --driver mydrv.sys
  irpscope ioctls --csv > ioctls.csv`)
    .action(async (options: { driver?: string; db?: string; json?: boolean; csv?: boolean }) => {
      const mode = outputMode(options);
      const key = options.driver === undefined ? null : driverKey(options.driver);
      if (options.driver !== undefined && key === null) throw new UsageError('--driver: expected a driver name such as mydrv.sys');
      await withStore(options.db, { mustExist: true }, (store) => {
        const rows = selectIoctls(store.db, { driverKey: key });
        process.stdout.write(renderRows(mode, styler(colorWanted(process.stdout)), rows, IOCTL_COLUMNS, 'no IOCTLs stored'));
      });
    });
}
