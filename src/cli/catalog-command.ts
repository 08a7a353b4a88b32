/** `irpscope catalog add|list|remove`: a team's private names, from its own headers. */
import type { Command } from 'commander';
import { addHeaders, CatalogError, loadCatalogFile, removeFromCatalog } from '../decode/catalog.js';
import { defaultCatalogPath } from '../locations.js';
import { FailureError } from './errors.js';
import { colorWanted, styler, visible } from './terminal.js';

const hex32 = (value: number): string => `0x${value.toString(16).toUpperCase().padStart(8, '0')}`;

function withCatalogErrors<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof CatalogError) throw new FailureError(error.message);
    throw error;
  }
}

export function registerCatalog(program: Command): void {
  const catalog = program
    .command('catalog')
    .summary("manage the private catalog: your team's own control codes and statuses")
    .description("Manage the private catalog: names from your team's own headers, shown by decode beside the public names.\nThe catalog is a JSON file: --catalog PATH, else $IRPSCOPE_CATALOG, else catalog.json in the data folder\n($IRPSCOPE_HOME, $XDG_DATA_HOME/irpscope or ~/.local/share/irpscope).")
    .addHelpText('after', `
Examples:
  irpscope catalog add include/mydrv_ioctl.h
  irpscope catalog list --json
  irpscope catalog remove include/mydrv_ioctl.h`);

  catalog
    .command('add')
    .description('Evaluate headers (their own #defines, "quoted" includes found next to them, CTL_CODE and wrapper macros)\nand store every control code, device type and status they define, with file:line as the source.\nAll or nothing: if a definition does not evaluate, it is reported with file:line and the catalog is not changed.')
    .argument('<header...>', 'header files')
    .option('--catalog <path>', 'catalog file')
    .option('--json', 'print what was added as JSON')
    .addHelpText('after', '\nExample:\n  irpscope catalog add include/mydrv_ioctl.h include/mydrv_status.h')
    .action((headers: string[], options: { catalog?: string; json?: boolean }) => {
      const path = options.catalog ?? defaultCatalogPath();
      const results = withCatalogErrors(() => addHeaders(path, headers));
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ catalog: path, headers: results }, null, 2)}\n`);
        return;
      }
      for (const result of results) {
        process.stdout.write(`${visible(result.header)}: ${result.entries} name${result.entries === 1 ? '' : 's'}${result.replaced ? ` (replacing ${result.replaced} from an earlier add)` : ''}\n`);
        for (const include of result.unresolvedIncludes) process.stdout.write(`  ${visible(include.file)}:${include.line}: #include ${visible(include.target)} not found next to the header (the public prelude stands in for system headers)\n`);
      }
      process.stdout.write(`catalog: ${path}\n`);
    });

  catalog
    .command('list')
    .description('List the names in the catalog, by header.')
    .option('--catalog <path>', 'catalog file')
    .option('--json', 'print the catalog as JSON')
    .addHelpText('after', '\nExample:\n  irpscope catalog list')
    .action((options: { catalog?: string; json?: boolean }) => {
      const path = options.catalog ?? defaultCatalogPath();
      const file = withCatalogErrors(() => loadCatalogFile(path));
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ catalog: path, ...file }, null, 2)}\n`);
        return;
      }
      const style = styler(colorWanted(process.stdout));
      if (file.headers.length === 0) {
        process.stdout.write(`the catalog is empty (${path}); add headers with: irpscope catalog add <header.h>\n`);
        return;
      }
      for (const header of file.headers) {
        process.stdout.write(`${style.bold(visible(header.header))}  ${style.dim(`added ${header.addedAt}`)}\n`);
        for (const entry of header.entries) {
          process.stdout.write(`  ${hex32(entry.value)}  ${entry.kind.padEnd(10)} ${visible(entry.name)}  ${style.dim(`${visible(entry.file)}:${entry.line}`)}\n`);
        }
      }
    });

  catalog
    .command('remove')
    .description('Remove headers (by path) or single names from the catalog.')
    .argument('<header-or-name...>', 'header paths as added, or names')
    .option('--catalog <path>', 'catalog file')
    .addHelpText('after', '\nExample:\n  irpscope catalog remove include/mydrv_ioctl.h IOCTL_MYDRV_OLD')
    .action((targets: string[], options: { catalog?: string }) => {
      const path = options.catalog ?? defaultCatalogPath();
      const result = withCatalogErrors(() => removeFromCatalog(path, targets));
      process.stdout.write(`removed ${result.removed} name${result.removed === 1 ? '' : 's'}\n`);
      if (result.unmatched.length > 0) throw new FailureError(`not in the catalog: ${result.unmatched.map(visible).join(', ')}`);
    });
}
