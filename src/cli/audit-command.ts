/** `irpscope audit`: a driver's control-code contract, decoded and reviewed. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { auditHeaders, compareInterfaces, parseRulesFile, SEVERITIES, type AllowRule, type AuditRow, type InterfaceChange, type Severity } from '../audit/audit.js';
import { CatalogError } from '../decode/catalog.js';
import { historyOf, type CodeHistory } from '../audit/history.js';
import { openForCommand } from './store-options.js';
import { FailureError, UsageError } from './errors.js';
import { colorWanted, styler, visible, type Styler } from './terminal.js';

const AuditOptions = z.object({
  against: z.array(z.string()).optional(),
  json: z.boolean().optional(),
  csv: z.boolean().optional(),
  all: z.boolean().optional(),
  failOn: z.enum(['info', 'warning', 'error', 'none']).default('error'),
  rules: z.array(z.string()).optional(),
  db: z.string().optional(),
});

function rank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

function renderHistory(style: Styler, history: CodeHistory): string {
  if (history.occurrences === 0) return style.dim('            history: never seen in the store');
  const statuses = history.statuses.map((s) => `${s.name ?? s.status ?? 'no status'} x${s.count}`).join(', ');
  const last = history.lastFailure ? `; last failure ${history.lastFailure.time ?? 'undated'} ${history.lastFailure.statusText ?? history.lastFailure.status ?? 'no status (counted as a failure: it is part of a crash)'} (${visible(history.lastFailure.source)}:${history.lastFailure.line})` : '; no failure recorded';
  return `            ${style.cyan('history')}: seen ${history.occurrences}x (${statuses})${last}`;
}

function renderRows(style: Styler, rows: readonly AuditRow[], all: boolean, histories: ReadonlyMap<AuditRow, CodeHistory | null>): string[] {
  const out: string[] = [];
  for (const row of rows) {
    const d = row.decoded;
    const fields = d
      ? `${style.dim(`type 0x${d.deviceType.value.toString(16).padStart(4, '0')}${d.deviceType.names[0] ? ` ${d.deviceType.names[0].name}` : ''}, function 0x${d.function.value.toString(16)}, ${d.method.names[0]?.name ?? d.method.value}, ${d.access.names[0]?.name ?? d.access.value}`)}`
      : style.red('not evaluated');
    out.push(`${row.code ?? '?'.padEnd(10)}  ${style.bold(visible(row.name))}  ${fields}  ${style.dim(`${visible(row.file)}:${row.line}`)}`);
    for (const finding of row.findings) {
      if (finding.silenced && !all) continue;
      const tag = finding.severity === 'error' ? style.red('error') : finding.severity === 'warning' ? style.yellow('warning') : style.cyan('info');
      const silenced = finding.silenced ? style.dim(` [allowed: ${visible(finding.silenced)}]`) : '';
      out.push(`            ${tag} ${finding.id}: ${visible(finding.detail)}: ${finding.why}${silenced}`);
    }
    const history = histories.get(row);
    if (history) out.push(renderHistory(style, history));
  }
  return out;
}

function renderChanges(style: Styler, changes: readonly InterfaceChange[]): string[] {
  if (changes.length === 0) return [style.dim('no change to the interface')];
  return changes.map((c) => {
    const tag = c.kind === 'changed' || c.kind === 'removed' ? style.red(c.kind.padEnd(8)) : c.kind === 'renamed' ? style.yellow(c.kind.padEnd(8)) : style.green(c.kind.padEnd(8));
    return `${tag} ${style.bold(visible(c.name))}  ${visible(c.detail)}`;
  });
}

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .summary("review a driver's IOCTL header: every control code decoded, with findings")
    .description(`List every control code the headers define (wrapper macros included), decoded, sorted by device type
and function, with findings: METHOD_NEITHER, state changes open to FILE_ANY_ACCESS, two names for one value,
Microsoft-reserved device types and functions, collisions with public codes, overflowing CTL_CODE arguments,
definitions that do not evaluate. Silence a finding for one code with a comment on or above its #define
(// irpscope: allow METHOD_NEITHER because <reason>) or a rules file (allow <finding> <NAME|*> because <reason>).
Exit 1 when findings at or above --fail-on remain (default error), so it can gate a team's CI.`)
    .argument('<header...>', 'the interface headers')
    .option('--against <old...>', 'the previous version of the headers: list codes added, removed, changed and renamed')
    .option('--rules <file...>', 'rules files that allow findings')
    .option('--all', 'also list silenced findings, with their reasons')
    .option('--fail-on <severity>', 'exit 1 when findings at or above this remain: info, warning, error, none', 'error')
    .option('--db <path>', 'show, per code, how often the incident store saw it, its statuses and its last failure')
    .option('--json', 'print { rows, changes } as JSON (docs/json.md)')
    .option('--csv', 'print one row per finding as CSV')
    .addHelpText('after', `
Examples:
  irpscope audit include/mydrv_ioctl.h
  irpscope audit include/mydrv_ioctl.h --against v1.2/mydrv_ioctl.h --fail-on warning
  irpscope audit include/*.h --rules audit-rules.txt --all --json`)
    .action((headers: string[], rawOptions: unknown) => {
      const parsed = AuditOptions.safeParse(rawOptions);
      if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
      const options = parsed.data;
      if (options.json && options.csv) throw new UsageError('--json and --csv: choose one');
      const rules: AllowRule[] = [];
      for (const file of options.rules ?? []) {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          throw new UsageError(`--rules ${file}: cannot read it`);
        }
        const result = parseRulesFile(file, text);
        if (result.problems.length > 0) throw new UsageError(result.problems.join('\n'));
        rules.push(...result.rules);
      }
      let audit: ReturnType<typeof auditHeaders>;
      let changes: InterfaceChange[] | null = null;
      try {
        audit = auditHeaders({ headers, rules });
        if (options.against) changes = compareInterfaces(auditHeaders({ headers: options.against, rules }).rows, audit.rows);
      } catch (error) {
        if (error instanceof CatalogError) throw new FailureError(error.message);
        throw error;
      }
      const histories = new Map<AuditRow, CodeHistory | null>();
      if (options.db) {
        const store = openForCommand(options.db, { readonly: true, mustExist: true });
        try {
          for (const row of audit.rows) histories.set(row, historyOf(store.db, row));
        } finally {
          store.close();
        }
      }
      const open = audit.rows.flatMap((row) => row.findings.filter((f) => !f.silenced));
      if (options.json) {
        const rows = audit.rows.map((row) => (options.db ? { ...row, history: histories.get(row) ?? null } : row));
        process.stdout.write(`${JSON.stringify({ rows, changes, unresolvedIncludes: audit.unresolvedIncludes }, null, 2)}\n`);
      } else if (options.csv) {
        const records = audit.rows.flatMap((row) => {
          const base = [row.code ?? '', row.name, `${row.file}:${row.line}`, row.decoded?.deviceType.value ?? '', row.decoded?.function.value ?? '', row.decoded?.method.names[0]?.name ?? '', row.decoded?.access.names[0]?.name ?? ''];
          const shown = row.findings.filter((f) => options.all || !f.silenced);
          return shown.length === 0 ? [[...base, '', '', '', '']] : shown.map((f) => [...base, f.id, f.severity, f.detail, f.silenced ?? '']);
        });
        process.stdout.write(stringify(records, { header: true, columns: ['code', 'name', 'where', 'deviceType', 'function', 'method', 'access', 'finding', 'severity', 'detail', 'silenced'] }));
      } else {
        const style = styler(colorWanted(process.stdout));
        const lines = renderRows(style, audit.rows, options.all ?? false, histories);
        if (changes) lines.push('', style.bold(`changes against ${options.against!.join(', ')}:`), ...renderChanges(style, changes));
        const counts = SEVERITIES.map((s) => `${open.filter((f) => f.severity === s).length} ${s}`).join(', ');
        const silenced = audit.rows.reduce((n, row) => n + row.findings.filter((f) => f.silenced).length, 0);
        lines.push('', `${audit.rows.length} codes; findings: ${counts}${silenced ? `; ${silenced} silenced${options.all ? '' : ' (--all shows them)'}` : ''}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      if (options.failOn !== 'none') {
        const threshold = rank(options.failOn);
        const failing = open.filter((f) => rank(f.severity) >= threshold).length;
        if (failing > 0) throw new FailureError(`${failing} finding${failing === 1 ? '' : 's'} at or above ${options.failOn}`);
      }
    });
}
