/**
 * The signature rules as data: `rules/` at the top of the repository (skip.txt, stop.txt, prefix.txt,
 * collapse.txt, VERSION), plus any team folder given with `--rules DIR` or $IRPSCOPE_RULES. Every rule keeps the
 * file and line it came from, so an explanation can say "skipped by rules/skip.txt:17".
 *
 * Versioning: the built-in set's version is rules/VERSION; a team folder adds "+" and the first 8 hex digits of the
 * sha256 of its text, so a team rule change is a new version by construction. `digest` covers every file loaded;
 * the store keeps it per version and refuses a built-in rule text that changed under an unchanged VERSION
 * (db/signatures.ts, RuleDigestMismatchError).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type RuleKind = 'skip' | 'stop' | 'prefix' | 'collapse';

/** The rule files a folder may hold, and what each one's lines mean. */
export const RULE_FILES: Readonly<Record<string, RuleKind>> = { 'skip.txt': 'skip', 'stop.txt': 'stop', 'prefix.txt': 'prefix', 'collapse.txt': 'collapse' };

/** Directives (`@name`) and the one file each belongs to. */
const DIRECTIVES: Readonly<Record<string, RuleKind>> = { '@inline': 'skip', '@bare-address': 'skip', '@no-function': 'collapse' };
export type Directive = 'inline' | 'bare-address' | 'no-function';

export interface FrameRule {
  readonly kind: RuleKind;
  /** The line as written (trimmed): "nt!KeBugCheckEx", "Wdf01000!imp_Wdf*", "@inline". */
  readonly pattern: string;
  /** "rules/skip.txt:17": where the rule is written. */
  readonly at: string;
  readonly directive: Directive | null;
  /** Matches "module!function" (module lower-cased, no offset); null for directives. */
  readonly matcher: RegExp | null;
}

export interface RuleFile {
  /** "rules/skip.txt" or "<team folder name>/skip.txt". */
  readonly file: string;
  readonly text: string;
}

export interface RuleSet {
  /** "1", or "1+3f2a9c01" with a team folder. */
  readonly version: string;
  /** sha256 (hex) of every file loaded, names and text, in load order. */
  readonly digest: string;
  readonly files: readonly RuleFile[];
  readonly rules: readonly FrameRule[];
}

export class RuleError extends Error {}

/** The repository's rules/ folder: found by walking up from this module (src/ under vitest, dist/src/ when built). */
export function builtinRulesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'rules');
    if (existsSync(join(candidate, 'VERSION')) && existsSync(join(dir, 'package.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new RuleError('the built-in rules/ folder was not found next to package.json: the installation is incomplete');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** A glob over "module!function": `*` is any run of characters; a bare module means every frame of it. */
function compilePattern(pattern: string): RegExp {
  const bang = pattern.indexOf('!');
  const module = bang < 0 ? pattern : pattern.slice(0, bang);
  const fn = bang < 0 ? '*' : pattern.slice(bang + 1);
  const glob = (part: string): string => part.split('*').map(escapeRegExp).join('.*');
  return new RegExp(`^${glob(module.toLowerCase())}!${glob(fn)}$`, 'is');
}

/** Reads one rule file's lines into rules; a malformed line is an error naming file:line. */
export function parseRuleFile(file: string, kind: RuleKind, text: string): FrameRule[] {
  const rules: FrameRule[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((raw, i) => {
    const at = `${file}:${i + 1}`;
    const hash = raw.indexOf('#');
    const line = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (line === '') return;
    if (line.startsWith('@')) {
      const home = DIRECTIVES[line];
      if (home === undefined) throw new RuleError(`${at}: unknown directive ${JSON.stringify(line)}; known: ${Object.keys(DIRECTIVES).join(', ')}`);
      if (home !== kind) throw new RuleError(`${at}: ${line} belongs in ${home}.txt, not in ${kind}.txt`);
      rules.push({ kind, pattern: line, at, directive: line.slice(1) as Directive, matcher: null });
      return;
    }
    const bang = line.indexOf('!');
    if (bang === 0 || /\s/.test(bang < 0 ? line : line.slice(0, bang))) {
      throw new RuleError(`${at}: expected "module!function" or "module" (a module name has no spaces, * for any run of characters), got ${JSON.stringify(line)}`);
    }
    if (bang >= 0 && line.slice(bang + 1) === '') throw new RuleError(`${at}: expected a function after "!" (or * for every function), got ${JSON.stringify(line)}`);
    rules.push({ kind, pattern: line, at, directive: null, matcher: compilePattern(line) });
  });
  return rules;
}

/** The VERSION file's version: its one line that is not a comment. */
function readVersion(file: string, text: string): string {
  const lines = text.split(/\r\n|\n|\r/).map((l, i) => ({ n: i + 1, t: (l.includes('#') ? l.slice(0, l.indexOf('#')) : l).trim() })).filter((l) => l.t !== '');
  if (lines.length !== 1 || !/^[0-9A-Za-z][0-9A-Za-z._-]*$/.test(lines[0]!.t)) {
    throw new RuleError(`${file}:${lines[1]?.n ?? lines[0]?.n ?? 1}: expected one version line (letters, digits, . _ -) besides # comments, got ${lines.length === 0 ? 'none' : JSON.stringify(lines.map((l) => l.t).join(' '))}`);
  }
  return lines[0]!.t;
}

function readFolder(dir: string, label: string, requireVersion: boolean): { files: RuleFile[]; rules: FrameRule[]; version: string | null } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new RuleError(`${dir}: no such rules folder (expected a folder with skip.txt, stop.txt, prefix.txt or collapse.txt)`);
  const names = readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
  const files: RuleFile[] = [];
  const rules: FrameRule[] = [];
  for (const name of names) {
    if (name === 'VERSION' || name.endsWith('.md')) continue;
    const kind = RULE_FILES[name];
    if (kind === undefined) throw new RuleError(`${join(dir, name)}: not a rule file; a rules folder holds ${Object.keys(RULE_FILES).join(', ')}, VERSION and *.md notes`);
  }
  for (const name of Object.keys(RULE_FILES)) {
    if (!names.includes(name)) continue;
    const file = `${label}/${name}`;
    const text = readFileSync(join(dir, name), 'utf8');
    files.push({ file, text });
    rules.push(...parseRuleFile(file, RULE_FILES[name]!, text));
  }
  let version: string | null = null;
  if (names.includes('VERSION')) {
    const text = readFileSync(join(dir, 'VERSION'), 'utf8');
    version = readVersion(`${label}/VERSION`, text);
    files.push({ file: `${label}/VERSION`, text });
  } else if (requireVersion) {
    throw new RuleError(`${join(dir, 'VERSION')}: missing; the built-in rules need a version`);
  }
  if (files.length === 0) throw new RuleError(`${dir}: no rule files (expected one of ${Object.keys(RULE_FILES).join(', ')})`);
  return { files, rules, version };
}

function sha256(files: readonly RuleFile[]): string {
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f.file}\0${f.text.replace(/\r\n?/g, '\n')}\0`);
  return hash.digest('hex');
}

/**
 * Loads the built-in rules, then each team folder after them (their rules apply after the built-in ones of the
 * same kind). `builtinDir` is for tests that need a changed built-in set.
 */
export function loadRuleSet(teamDirs: readonly string[] = [], builtinDir: string = builtinRulesDir()): RuleSet {
  const builtin = readFolder(builtinDir, 'rules', true);
  const files = [...builtin.files];
  const rules = [...builtin.rules];
  const teamFiles: RuleFile[] = [];
  for (const dir of teamDirs) {
    const team = readFolder(dir, basename(dir.replace(/[\\/]+$/, '')) || 'team', false);
    teamFiles.push(...team.files);
    rules.push(...team.rules);
  }
  files.push(...teamFiles);
  const version = teamFiles.length === 0 ? builtin.version! : `${builtin.version!}+${sha256(teamFiles).slice(0, 8)}`;
  return { version, digest: sha256(files), files, rules };
}

/** --rules DIR, else $IRPSCOPE_RULES (one folder, or several separated by the path delimiter). */
export function teamRuleDirs(option: string | readonly string[] | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (option !== undefined) return typeof option === 'string' ? [option] : [...option];
  const fromEnv = env.IRPSCOPE_RULES;
  if (!fromEnv) return [];
  return fromEnv.split(process.platform === 'win32' ? ';' : ':').filter((d) => d !== '');
}
