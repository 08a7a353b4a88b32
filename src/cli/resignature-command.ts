/**
 * `irpscope resignature`: recomputes every stored signature with the current rules (built-in plus --rules DIR) and
 * reports what moved. Nothing is regrouped without this command: ingest signs new incidents only, and incidents
 * keep the rule version they were signed with.
 */
import type { Command } from 'commander';
import { resignature, RuleDigestMismatchError, type ResignatureReport } from '../../db/signatures.js';
import { colorWanted, styler, visible, type Styler } from './terminal.js';
import { addDatabaseOption, withStore } from './store-options.js';
import { FailureError } from './errors.js';
import { ruleSetFor } from './buckets-command.js';

const MAX_LISTED = 50;

export function renderResignature(style: Styler, r: ResignatureReport): string {
  const out: string[] = [];
  const before = r.versionsBefore.length === 0 ? 'none' : r.versionsBefore.map((v) => `${visible(v.version)} (${v.incidents})`).join(', ');
  out.push(`${style.bold(r.dryRun ? 'dry run, nothing written' : 'resignatured')}: ${r.incidents} incident${r.incidents === 1 ? '' : 's'}; rules before: ${before}; after: ${visible(r.versionAfter)}`);
  out.push(`moved ${r.moved.length}, same signature under the new version ${r.relabelled}, unchanged ${r.unchanged}; buckets ${r.bucketsBefore} -> ${r.bucketsAfter}`);
  for (const c of r.changes) out.push(`  ${c.kind === 'split' ? 'split ' : 'merged'} ${c.from.join(', ')} -> ${c.to.join(', ')}  ${style.dim(`incidents ${c.incidents.join(', ')}`)}`);
  if (r.moved.length > 0) out.push('', style.bold('moved'));
  for (const m of r.moved.slice(0, MAX_LISTED)) {
    out.push(`  ${String(m.incident).padStart(5)}  ${m.before ? `${visible(m.before.signature)} [${m.before.signatureId}]` : '(unsigned)'}`);
    out.push(`         -> ${visible(m.after.signature)} [${m.after.signatureId}]`);
  }
  if (r.moved.length > MAX_LISTED) out.push(style.dim(`  ... and ${r.moved.length - MAX_LISTED} more (--json lists all)`));
  return `${out.join('\n')}\n`;
}

export function registerResignature(program: Command): void {
  addDatabaseOption(program
    .command('resignature')
    .summary('recompute every signature with the current rules and report what moved')
    .description('Recomputes the signature of every stored incident with the current rules (rules/ plus --rules DIR or $IRPSCOPE_RULES) and '
      + 'reports the incidents whose signature changed, the buckets that split or merged, and the rule versions before and after. '
      + 'With --dry-run nothing is written.')
    .option('--rules <dir>', 'a team rule folder on top of the built-in rules (default $IRPSCOPE_RULES)')
    .option('--dry-run', 'report what would move, write nothing')
    .option('--json', 'print the report as JSON (docs/json.md, "resignature")'))
    .addHelpText('after', `
Examples:
  irpscope resignature --dry-run
  irpscope resignature --rules ./team-rules --json`)
    .action(async (options: { rules?: string; dryRun?: boolean; json?: boolean; db?: string }) => {
      const ruleSet = ruleSetFor(options.rules);
      await withStore(options.db, { mustExist: true }, (store) => {
        let report: ResignatureReport;
        try {
          report = resignature(store.db, ruleSet, options.dryRun === true);
        } catch (error) {
          if (error instanceof RuleDigestMismatchError) throw new FailureError(error.message);
          throw error;
        }
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderResignature(styler(colorWanted(process.stdout)), report));
      });
    });
}
