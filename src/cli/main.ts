#!/usr/bin/env node
/** The irpscope command line. Exit codes: 0 ok, 1 failure, 2 bad usage. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerDecode } from './decode-command.js';
import { registerCatalog } from './catalog-command.js';
import { registerStart } from './start-command.js';
import { registerParse } from './parse-command.js';
import { registerAudit } from './audit-command.js';
import { registerIngest } from './ingest-command.js';
import { registerLast } from './last-command.js';
import { registerIncidents } from './incidents-command.js';
import { registerIoctls } from './ioctls-command.js';
import { registerShow } from './show-command.js';
import { registerSql } from './sql-command.js';
import { registerSearch } from './search-command.js';
import { registerBrowse } from './browse-command.js';
import { registerBuckets } from './buckets-command.js';
import { registerResignature } from './resignature-command.js';
import { registerSync } from './sync-command.js';
import { registerTimeline } from './timeline-command.js';
import { registerReport } from './report-command.js';
import { registerCompare } from './compare-command.js';
import { FailureError, UsageError } from './errors.js';
import { visible } from './terminal.js';
import { redactLocation } from '../../db/connection.js';
import { PostgresError } from '../../db/postgres/connection.js';
import { registerGrantRead } from './grant-read-command.js';

const packageJson = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('irpscope')
    .description('Decode and keep the IOCTL, IRP, NTSTATUS and bugcheck context buried in WinDbg, Driver Verifier, ETW and Process Monitor text.')
    .version(packageJson.version)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) })
    .addHelpText('after', `
Examples:
  irpscope decode 0x222004
  irpscope decode --as bugcheck c9 --args 9 ffffe001\`2b4c8010 0x22201c 0
  irpscope catalog add include/mydrv_ioctl.h

Exit codes: 0 ok, 1 failure, 2 bad usage. Colour only on a terminal, never with NO_COLOR.`);
  registerDecode(program);
  registerParse(program);
  registerIngest(program);
  registerLast(program);
  registerIncidents(program);
  registerIoctls(program);
  registerShow(program);
  registerSql(program);
  registerSearch(program);
  registerBrowse(program);
  registerBuckets(program);
  registerResignature(program);
  registerSync(program);
  registerTimeline(program);
  registerReport(program);
  registerCompare(program);
  registerCatalog(program);
  registerAudit(program);
  registerStart(program);
  registerGrantRead(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

export async function run(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2;
    }
    // Every message passes redactLocation: a connection string's password is never printed.
    if (error instanceof UsageError || error instanceof FailureError) {
      process.stderr.write(`irpscope: ${redactLocation(error.message).split('\n').map(visible).join('\n')}\n`);
      return error.exitCode;
    }
    // The server refused a statement (a role without the right, a lost connection): its own words, exit 1.
    if (error instanceof PostgresError) {
      process.stderr.write(`irpscope: PostgreSQL: ${redactLocation(error.message).split('\n').map(visible).join('\n')}\n`);
      return 1;
    }
    process.stderr.write(`irpscope: internal error: ${redactLocation(error instanceof Error ? error.stack ?? error.message : String(error))}\n`);
    return 1;
  }
}

// A reader that stops early (`irpscope parse big.txt | head`) closes the pipe: that is not an error, just the end.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await run(process.argv.slice(2));
