/**
 * `irpscope start` (what `npm start` runs): the main job on the bundled samples. Ingests samples/ into the default
 * database, prints what was stored and the answers to the first questions a driver team asks, then decodes the
 * control codes, statuses and bugchecks of samples/codes.txt.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { runDecode } from './decode-command.js';
import { ingestInputs, renderIngestReport } from './ingest-command.js';
import { progressFor } from './ingest-progress.js';
import { addDatabaseOption, withStore } from './store-options.js';
import { colorWanted, styler } from './terminal.js';
import { renderTable } from './render-table.js';
import { selectIncidents } from '../../db/queries/incidents.js';
import { selectIoctls } from '../../db/queries/ioctls.js';
import { selectLastFailures } from '../../db/queries/last.js';
import { INCIDENT_COLUMNS } from './incidents-command.js';
import { IOCTL_COLUMNS } from './ioctls-command.js';
import { LAST_COLUMNS } from './last-command.js';
import { runBrowse } from './browse-command.js';

export const SAMPLES = fileURLToPath(new URL('../../../samples', import.meta.url));
export const SAMPLE_CODES = fileURLToPath(new URL('../../../samples/codes.txt', import.meta.url));

export function registerStart(program: Command): void {
  addDatabaseOption(program
    .command('start')
    .description(`Run the main job on the bundled samples: ingest samples/*/ into the incident store (the default database,
or --db), print what was stored and the answers to the first questions (latest incidents, IOCTLs seen, the
latest failures of the most frequent one), then decode the control codes, statuses and bugchecks listed in
samples/codes.txt (each taken from a real public paste, named there). In a terminal it ends in irpscope browse
over the store it just filled (q quits; the printed answers are still there after).`))
    .option('--json', 'print only the decodings, as JSON')
    .option('--no-browse', 'in a terminal too, stop after printing (no browse at the end)')
    .addHelpText('after', '\nExample:\n  npm start')
    .action(async (options: { db?: string; json?: boolean; browse?: boolean }) => {
      if (!options.json) {
        const style = styler(colorWanted(process.stdout));
        await withStore(options.db, {}, async (store) => {
          // Parser samples live in samples/<parser-id>/; samples/codes.txt is the decode list below, not a paste.
          const folders = readdirSync(SAMPLES, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => join(SAMPLES, e.name)).sort();
          const report = await ingestInputs(store, folders, { progress: progressFor(process.stderr) });
          const out: string[] = [style.bold('== irpscope ingest samples/*/'), renderIngestReport(style, report, store.path)];
          const incidents = selectIncidents(store.db, { limit: 5 });
          out.push(style.bold('== irpscope incidents (latest 5)'), incidents.length ? renderTable(style, incidents, INCIDENT_COLUMNS) : style.dim('no incidents stored\n'));
          const ioctls = selectIoctls(store.db).slice(0, 10);
          out.push(style.bold('== irpscope ioctls (most frequent 10)'), ioctls.length ? renderTable(style, ioctls, IOCTL_COLUMNS) : style.dim('no IOCTLs stored\n'));
          const top = ioctls[0];
          if (top) {
            const failures = selectLastFailures(store.db, { code: Number(top.code), limit: 5 });
            out.push(style.bold(`== irpscope last --ioctl ${top.code} (latest 5 failures)`), failures.length ? renderTable(style, failures, LAST_COLUMNS) : style.dim('no failures stored\n'));
          }
          out.push(style.dim(`Ask more: irpscope show <incident id>, irpscope search "text", irpscope sql "SELECT ..." (docs/schema.md).\n`));
          out.push(style.bold('== irpscope decode --file samples/codes.txt'), '');
          process.stdout.write(out.join('\n'));
        });
      }
      await runDecode([], { file: [SAMPLE_CODES], ...(options.json ? { json: true } : {}) });
      // Only where a person is watching: in a pipe or a script `start` keeps printing and exiting as it always did.
      if (!options.json && options.browse !== false && process.stdout.isTTY && process.stdin.isTTY) await runBrowse(options.db);
    });
}
