/** `irpscope search "text"`: full-text search over messages, symbols and paths. */
import type { Command } from 'commander';
import { searchText, type SearchHit } from '../../db/queries/search.js';
import { colorWanted, styler } from './terminal.js';
import { addDatabaseOption, addOutputOptions, outputMode, parseLimit, withStore } from './store-options.js';
import { renderRows, type Column } from './render-table.js';
import { UsageError } from './errors.js';

export const SEARCH_COLUMNS: Column<SearchHit>[] = [
  { key: 'kind', title: 'kind', value: (h) => h.kind },
  { key: 'incident', title: 'incident', value: (h) => h.incident, numeric: true },
  { key: 'source', title: 'source', value: (h) => (h.source === null ? null : `${h.source}:${h.line ?? 1}`), keepEnd: true },
  { key: 'snippet', title: 'match', value: (h) => h.snippet },
];

export function registerSearch(program: Command): void {
  addOutputOptions(addDatabaseOption(program
    .command('search')
    .summary('full-text search over messages, symbols and paths')
    .description(`Full-text search (SQLite FTS5) over the words in the store: bugcheck names, modules, symbols and stack
frames, failure buckets, driver names, IOCTL names, paths, log messages and skipped lines. Every word must
match (as a whole word); --raw passes FTS5 query syntax through (prefix*, OR, NEAR, "phrases").`)
    .argument('<text>', 'the words to find')
    .option('--raw', 'the text is an FTS5 query')
    .option('--limit <n>', 'at most this many hits, best first (default 50)')))
    .addHelpText('after', `
Examples:
  irpscope search "IopfCallDriver mydrv"
  irpscope search --raw 'mydrv* AND NOT verifier' --json`)
    .action(async (text: string, options: { raw?: boolean; limit?: string; db?: string; json?: boolean; csv?: boolean }) => {
      const mode = outputMode(options);
      const limit = parseLimit(options.limit, 50);
      await withStore(options.db, { mustExist: true }, (store) => {
        let hits: SearchHit[];
        try {
          hits = searchText(store.db, text, { limit, ...(options.raw ? { raw: true } : {}) });
        } catch (error) {
          if ((error as { code?: string }).code === 'SQLITE_ERROR') throw new UsageError(`search: not a valid FTS5 query: ${(error as Error).message}`);
          throw error;
        }
        process.stdout.write(renderRows(mode, styler(colorWanted(process.stdout)), hits, SEARCH_COLUMNS, `nothing matches ${JSON.stringify(text)}`));
      });
    });
}
