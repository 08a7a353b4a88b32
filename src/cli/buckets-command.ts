/**
 * `irpscope buckets`: incidents grouped by signature, largest first; `--explain` shows how one incident's signature
 * was built, frame by frame, or why a bucket's incidents share theirs.
 */
import type { Command } from 'commander';
import { explain, ExplainTargetError, selectBuckets, selectRuleVersions, type Bucket, type Explanation, type IncidentExplanation, type SignatureExplanationAnswer } from '../../db/queries/buckets.js';
import { signIncident } from '../../db/signatures.js';
import { driverKey } from '../../db/column-values.js';
import { loadRuleSet, RuleError, teamRuleDirs, type RuleSet } from '../signature/rules.js';
import { colorWanted, styler, visible, type Styler } from './terminal.js';
import { addDatabaseOption, addOutputOptions, outputMode, parseLimit, withStore } from './store-options.js';
import { renderRows, type Column } from './render-table.js';
import { FailureError, UsageError } from './errors.js';
import { parseSince } from './incidents-command.js';

export const BUCKET_COLUMNS: Column<Bucket>[] = [
  { key: 'signature_id', title: 'id', value: (r) => r.signatureId },
  { key: 'incidents', title: 'count', value: (r) => r.incidents, numeric: true },
  { key: 'first_seen', title: 'first seen', value: (r) => r.firstSeen },
  { key: 'last_seen', title: 'last seen', value: (r) => r.lastSeen },
  { key: 'builds', title: 'builds', value: (r) => r.builds, numeric: true },
  { key: 'machines', title: 'machines', value: (r) => r.machines, numeric: true },
  { key: 'newest_incident', title: 'newest', value: (r) => r.newestIncident, numeric: true },
  { key: 'rule_versions', title: 'rules', value: (r) => r.ruleVersions.join(' ') },
  { key: 'signature', title: 'signature', value: (r) => r.signature, whole: true },
];

/** The rule set a command works with: built-in rules plus --rules DIR (or $IRPSCOPE_RULES). Bad rules are exit 2. */
export function ruleSetFor(option: string | undefined): RuleSet {
  try {
    return loadRuleSet(teamRuleDirs(option));
  } catch (error) {
    if (error instanceof RuleError) throw new UsageError(error.message);
    throw error;
  }
}

/** The human rendering of an incident's explanation. */
export function renderIncidentExplanation(style: Styler, e: IncidentExplanation, current: CurrentSignature | null): string {
  const out: string[] = [];
  out.push(`${style.bold('incident')}   ${e.incident}  ${visible(e.source)}:${e.line}${e.time ? `  ${e.time}` : ''}`);
  out.push(`${style.bold('signature')}  ${visible(e.signature)}`);
  out.push(`${style.bold('id')}         ${e.signatureId}  (rules ${visible(e.ruleVersion)}, ${e.bucketSize === 1 ? 'no other incident has it' : `${e.bucketSize} incidents share it`})`);
  out.push('', style.bold('parts'));
  const width = Math.max(...e.explanation.parts.map((p) => p.part.length));
  for (const p of e.explanation.parts) out.push(`  ${p.part.padEnd(width)}  ${visible(p.value ?? '-')}  ${style.dim(visible(p.why))}`);
  out.push('', style.bold('frames, top of the stack first'));
  const walked = e.explanation.frames.filter((f) => f.outcome !== 'not-walked');
  const printedWidth = Math.min(60, Math.max(0, ...walked.map((f) => visible(f.printed).length)));
  const below = e.explanation.frames.filter((f) => f.outcome === 'not-walked');
  for (const f of walked) {
    const where = f.line === null ? 'analysis' : `line ${f.line}`;
    const rule = f.rule ? `${f.rule} (${visible(f.pattern ?? '')})` : '';
    const into = f.text ? `-> ${visible(f.text)}  ` : '';
    out.push(`  ${where.padEnd(10)} ${f.outcome.padEnd(10)} ${visible(f.printed).padEnd(printedWidth)}  ${into}${style.dim(`${rule}${rule ? ': ' : ''}${visible(f.reason)}`)}`);
  }
  if (below.length > 0) {
    out.push(`  ${style.dim(`${below.length} frame${below.length === 1 ? '' : 's'} below the one that ended the walk, not walked (lines ${below[0]!.line}-${below[below.length - 1]!.line}; --json lists them)`)}`);
  }
  if (e.explanation.frames.length === 0) out.push(`  ${style.dim('(no stack and no faulting symbol in the text)')}`);
  if (current && !current.same) {
    out.push('', `${style.bold('with the current rules')} (${visible(current.ruleVersion)}): ${visible(current.signature)} [${current.signatureId}]; run irpscope resignature to regroup`);
  }
  return `${out.join('\n')}\n`;
}

export function renderSignatureExplanation(style: Styler, e: SignatureExplanationAnswer): string {
  const out: string[] = [];
  out.push(`${style.bold('signature')}  ${visible(e.signature)}`);
  out.push(`${style.bold('id')}         ${e.signatureId}  (rules ${e.ruleVersions.map(visible).join(', ')})`);
  out.push('', style.bold(`why these ${e.incidents.length} incident${e.incidents.length === 1 ? '' : 's'} share it`));
  const width = Math.max(...e.shared.map((p) => p.part.length));
  for (const p of e.shared) out.push(`  ${p.part.padEnd(width)}  ${visible(p.value ?? '-')}  ${style.dim(visible(p.why))}`);
  out.push('', style.bold('signature frames as each incident printed them'));
  for (const f of e.printedForms) out.push(`  ${visible(f.printed)}  ${style.dim(`incident${f.incidents.length === 1 ? '' : 's'} ${f.incidents.join(', ')}`)}`);
  out.push('', style.bold('incidents'));
  for (const m of e.incidents) {
    out.push(`  ${String(m.incident).padStart(5)}  ${visible(m.source)}:${m.line}${m.time ? `  ${m.time}` : ''}  ${style.dim(`frames from ${m.framesFrom}, ${m.skipped} skipped, rules ${visible(m.ruleVersion)}`)}`);
  }
  return `${out.join('\n')}\n`;
}

export interface CurrentSignature {
  readonly ruleVersion: string;
  readonly signature: string;
  readonly signatureId: string;
  /** The current rules give the stored signature. */
  readonly same: boolean;
}

export function registerBuckets(program: Command): void {
  addOutputOptions(addDatabaseOption(program
    .command('buckets')
    .summary('crashes grouped by signature: counts, first and last seen, builds, newest incident; --explain one')
    .description('Incidents grouped by their signature (docs/signatures.md), largest first: how many, first and last seen, distinct OS builds '
      + 'and machines (from "Machine Name:"; "-" / null when no incident printed one), and the newest incident. --explain takes an incident id, '
      + 'a signature id or a signature\'s text and shows how it was built, frame by frame.')
    .option('--since <when>', 'only incidents at or after a date (2024-05-01), a UTC time, or a span back from now (36h, 7d, 2w)')
    .option('--module <module>', 'only buckets in this module (mydrv, mydrv.sys)')
    .option('--limit <n>', 'at most this many buckets (default 100)')
    .option('--explain <target>', 'explain an incident (id), a signature id (12 hex digits) or a signature (its text)')
    .option('--rules <dir>', 'a team rule folder on top of the built-in rules (default $IRPSCOPE_RULES): --explain then also says what these rules would give')))
    .addHelpText('after', `
Examples:
  irpscope buckets --since 30d --module mydrv.sys
  irpscope buckets --explain 1
  irpscope buckets --explain 8da575d47456 --json`)
    .action(async (options: { since?: string; module?: string; limit?: string; explain?: string; rules?: string; db?: string; json?: boolean; csv?: boolean }) => {
      const mode = outputMode(options);
      const style = styler(colorWanted(process.stdout));
      if (options.explain !== undefined) {
        if (mode === 'csv') throw new UsageError('--explain prints text or --json, not --csv');
        if (options.since !== undefined || options.module !== undefined || options.limit !== undefined) throw new UsageError('--explain takes no --since, --module or --limit');
        const ruleSet = ruleSetFor(options.rules);
        await withStore(options.db, { mustExist: true }, (store) => {
          let answer: Explanation;
          try {
            answer = explain(store.db, options.explain!);
          } catch (error) {
            if (error instanceof ExplainTargetError) throw new FailureError(error.message);
            throw error;
          }
          if (answer.kind === 'incident') {
            const now = signIncident(store.db, answer.incident, ruleSet)!;
            const current: CurrentSignature = { ruleVersion: now.ruleVersion, signature: now.signature, signatureId: now.signatureId, same: now.signature === answer.signature };
            process.stdout.write(mode === 'json' ? `${JSON.stringify({ ...answer, current }, null, 2)}\n` : renderIncidentExplanation(style, answer, current));
          } else {
            process.stdout.write(mode === 'json' ? `${JSON.stringify(answer, null, 2)}\n` : renderSignatureExplanation(style, answer));
          }
        });
        return;
      }
      if (options.rules !== undefined) throw new UsageError('--rules only changes --explain here; to regroup with other rules run irpscope resignature --rules DIR');
      const sinceTicks = options.since === undefined ? null : parseSince(options.since);
      const moduleKey = options.module === undefined ? null : driverKey(options.module);
      const limit = parseLimit(options.limit, 100);
      await withStore(options.db, { mustExist: true }, (store) => {
        const versions = selectRuleVersions(store.db);
        if (versions.length > 1) {
          process.stderr.write(`irpscope: warning: the store holds signatures from ${versions.length} rule versions (${versions.map((v) => `${v.version}: ${v.incidents}`).join(', ')}); `
            + 'incidents signed with different rules may sit in different buckets; irpscope resignature regroups them\n');
        }
        const rows = selectBuckets(store.db, { sinceTicks, moduleKey, limit });
        process.stdout.write(renderRows(mode, style, rows, BUCKET_COLUMNS, 'no signed incidents stored that match'));
      });
    });
}
