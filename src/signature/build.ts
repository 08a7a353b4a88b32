/**
 * An incident's facts -> its signature, with the explanation of every choice. Pure: the same facts and rules give
 * the same signature, whatever the store, the ingest order or the clock (the store gathers the facts,
 * db/signatures.ts).
 *
 * The signature reads "0xC9/0x7 | mydrv!MyDispatchDeviceControl | IRP_MJ_DEVICE_CONTROL 0x222004":
 *   1. the bugcheck code, and "/" Arg1 where Arg1 selects the case (0xC4/0x62, 0x9F/0x3, 0x10D/0x6);
 *   2. the exception status where the bugcheck's Arg1 is one (0x1E, 0x3B, 0x7E, 0x8E and their 0x1000.... forms);
 *   3. the frames the rule walk kept, top of the stack first, joined with " > " (prefix frames, then the frame
 *      that ended the walk), without offsets; a module name alone where symbols are missing;
 *   4. the IRP major and the IOCTL of the request the crash carries, where the text shows them.
 * signature_id = the first 12 hex digits of sha256(signature). docs/signatures.md has the full story.
 */
import { createHash } from 'node:crypto';
import { decodeBugcheck, low32 } from '../decode/bugcheck.js';
import { ntstatusName } from '../decode/ntstatus.js';
import { hexShort, hex32 } from '../decode/names.js';
import type { FrameRule, RuleSet } from './rules.js';

/** One stack frame as the store keeps it. */
export interface SignatureFrame {
  readonly line: number;
  /** As printed: "mydrv!MyDispatchDeviceControl+0x4a", "kbase+0x10aba", "0x00007fff`f9d8cf24". */
  readonly symbol: string;
  readonly module: string | null;
  readonly function: string | null;
  readonly inline: boolean;
}

/** The request (IRP) the crash carries, where the text shows one. */
export interface SignatureRequest {
  readonly major: string | null;
  readonly ioctl: number | null;
  /** Where it was read, for the explanation: "the IRP Arg3 names (!irp at line 70)". */
  readonly from: string;
}

/** What a signature is built from: one incident's own facts (its source only, never another file's). */
export interface IncidentFacts {
  /** The bugcheck code; null when the text names none (a "Probably caused by" line alone). */
  readonly code: number | null;
  /** Arg1..Arg4 as stored ("0x" + 16 hex digits) or null. */
  readonly args: readonly (string | null)[];
  /** SYMBOL_NAME, MODULE_NAME, IMAGE_NAME and "Probably caused by" of the analysis, as printed. */
  readonly symbol: string | null;
  readonly module: string | null;
  readonly image: string | null;
  readonly probablyCausedBy: string | null;
  /** FAILURE_BUCKET_ID (or the Failure.Bucket key), as printed: "0x9F_4_OpenZFS!zfs_unload_stage_1". */
  readonly failureBucket: string | null;
  /** The crash stack, top first (STACK_TEXT or the first stack printed for the incident). */
  readonly frames: readonly SignatureFrame[];
  readonly request: SignatureRequest | null;
}

export type FrameOutcome = 'kept' | 'prefix' | 'collapsed' | 'skipped' | 'stopped' | 'not-walked';

export interface FrameStep {
  /** Source line of the frame; null for a frame taken from the analysis's summary keys. */
  readonly line: number | null;
  readonly printed: string;
  /** "module!function" (module lower-cased, no offset), or the module alone, or null for a bare address. */
  readonly frame: string | null;
  readonly outcome: FrameOutcome;
  /** What went into the signature from this frame. */
  readonly text: string | null;
  /** "rules/skip.txt:17", or null when no rule decided (a plain kept frame, a frame past the end). */
  readonly rule: string | null;
  readonly pattern: string | null;
  readonly reason: string;
}

export interface SignatureParts {
  /** "0xC9"; null when the text names no bugcheck code. */
  readonly code: string | null;
  readonly subcode: string | null;
  readonly status: { readonly code: string; readonly name: string | null } | null;
  /** The frames in the signature, top first. */
  readonly frames: readonly string[];
  /** The module and symbol of the frame that ended the walk (symbol null when it stands as its module). */
  readonly module: string | null;
  readonly symbol: string | null;
  /** Where the frames came from: the stack, or the analysis's keys when the stack gave none. */
  readonly framesFrom: 'stack' | 'symbol-name' | 'module-name' | 'image-name' | 'probably-caused-by' | 'failure-bucket' | 'none';
  readonly major: string | null;
  readonly ioctl: string | null;
}

export interface SignatureExplanation {
  readonly ruleVersion: string;
  /** One sentence per part: why the bugcheck, status and request parts read as they do. */
  readonly parts: readonly { readonly part: string; readonly value: string | null; readonly why: string }[];
  /** Frame by frame, the stack first, then the analysis key the walk fell back to (if it did). */
  readonly frames: readonly FrameStep[];
}

export interface Signature {
  readonly signature: string;
  readonly signatureId: string;
  readonly ruleVersion: string;
  readonly parts: SignatureParts;
  readonly explanation: SignatureExplanation;
}

export const NO_FRAME = 'no faulting frame';
export const NO_CODE = 'no bugcheck code';

export function signatureIdOf(signature: string): string {
  return createHash('sha256').update(signature, 'utf8').digest('hex').slice(0, 12);
}

interface Named {
  readonly module: string | null;
  readonly function: string | null;
}

/** "mydrv!Fn+4a" / "mydrv+0x12" / "mydrv.sys" / "fffff801`12345678" -> module and function, as printed. */
export function splitSymbol(text: string): Named {
  const t = text.trim();
  if (/^(0x)?[0-9a-f`]+$/i.test(t)) return { module: null, function: null };
  const bang = t.indexOf('!');
  if (bang < 0) {
    const plus = t.indexOf('+');
    return { module: (plus < 0 ? t : t.slice(0, plus)).replace(/\.(sys|dll|exe)$/i, ''), function: null };
  }
  const fn = t.slice(bang + 1).replace(/\+(0x)?[0-9a-f`]+$/i, '');
  return { module: t.slice(0, bang), function: fn === '' ? null : fn };
}

const normalModule = (module: string): string => module.replace(/\.(sys|dll|exe)$/i, '').toLowerCase();

function firstMatch(rules: readonly FrameRule[], kind: FrameRule['kind'], name: string): FrameRule | undefined {
  return rules.find((r) => r.kind === kind && r.matcher !== null && r.matcher.test(name));
}

function directive(rules: readonly FrameRule[], d: FrameRule['directive']): FrameRule | undefined {
  return rules.find((r) => r.directive === d);
}

interface WalkResult {
  readonly steps: FrameStep[];
  readonly texts: string[];
  /** The frame that ended the walk (kept or collapsed), if one did. */
  readonly last: { module: string; symbol: string | null } | null;
}

/**
 * Walks frames top down: skipped frames are passed over, prefix frames are kept and the walk goes on, a stop frame
 * ends it empty-handed, any other frame is kept (as its module where symbols are missing) and ends it.
 */
function walk(frames: readonly (Named & { line: number | null; printed: string; inline: boolean })[], rules: readonly FrameRule[]): WalkResult {
  const steps: FrameStep[] = [];
  const texts: string[] = [];
  let last: WalkResult['last'] = null;
  let done = false;
  for (const f of frames) {
    const module = f.module === null ? null : normalModule(f.module);
    const frame = module === null ? null : f.function === null ? module : `${module}!${f.function}`;
    const step = (outcome: FrameOutcome, text: string | null, rule: FrameRule | undefined, reason: string): void => {
      steps.push({ line: f.line, printed: f.printed, frame, outcome, text, rule: rule?.at ?? null, pattern: rule?.pattern ?? null, reason });
    };
    if (done) {
      step('not-walked', null, undefined, 'below the frame that ended the walk');
      continue;
    }
    const inline = f.inline ? directive(rules, 'inline') : undefined;
    if (inline) {
      step('skipped', null, inline, 'an inline frame: the same code as the frame it was inlined into');
      continue;
    }
    if (module === null) {
      const bare = directive(rules, 'bare-address');
      if (bare) {
        step('skipped', null, bare, 'a bare address names no module');
        continue;
      }
      // No rule for bare addresses: the address stands for itself (it sprays, but nothing is merged wrongly).
      texts.push(f.printed.trim());
      step('kept', f.printed.trim(), undefined, 'a bare address, kept as printed (no @bare-address rule)');
      done = true;
      continue;
    }
    const name = f.function === null ? `${module}!` : `${module}!${f.function}`;
    const skip = firstMatch(rules, 'skip', name);
    if (skip) {
      step('skipped', null, skip, 'reporting or plumbing, not where the failure is');
      continue;
    }
    const stop = firstMatch(rules, 'stop', name);
    if (stop) {
      step('stopped', null, stop, 'below here the stack is how the thread came to run');
      done = true;
      continue;
    }
    const prefix = f.function === null ? undefined : firstMatch(rules, 'prefix', name);
    if (prefix) {
      const text = `${module}!${f.function}`;
      if (texts[texts.length - 1] === text) {
        step('skipped', null, prefix, 'the same prefix frame again (recursion): kept once');
      } else {
        texts.push(text);
        step('prefix', text, prefix, 'a routine the driver called: kept, and the walk goes on');
      }
      continue;
    }
    const collapse = f.function === null ? directive(rules, 'no-function') : firstMatch(rules, 'collapse', name);
    if (collapse || f.function === null) {
      texts.push(module);
      last = { module, symbol: null };
      step('collapsed', module, collapse, f.function === null ? 'no function name (no symbols): the module stands in' : 'the function name is not to be trusted: the module stands in');
      done = true;
      continue;
    }
    const text = `${module}!${f.function}`;
    texts.push(text);
    last = { module, symbol: text };
    step('kept', text, undefined, 'the first frame no rule passes over');
    done = true;
  }
  return { steps, texts, last };
}

/** How the debugger prints each key a walk may fall back to. */
const FALLBACK_KEY: Readonly<Record<SignatureParts['framesFrom'], string>> = {
  'stack': 'the stack', 'symbol-name': 'SYMBOL_NAME', 'module-name': 'MODULE_NAME', 'image-name': 'IMAGE_NAME',
  'probably-caused-by': '"Probably caused by"', 'failure-bucket': 'FAILURE_BUCKET_ID', 'none': 'nothing',
};

/** The analysis's own choice of faulting symbol or module, for a walk that found no frame. */
function fallbacks(facts: IncidentFacts): { from: SignatureParts['framesFrom']; printed: string; named: Named }[] {
  const out: { from: SignatureParts['framesFrom']; printed: string; named: Named }[] = [];
  if (facts.symbol) out.push({ from: 'symbol-name', printed: facts.symbol, named: splitSymbol(facts.symbol) });
  if (facts.module && !/^unknown_module/i.test(facts.module)) out.push({ from: 'module-name', printed: facts.module, named: { module: facts.module, function: null } });
  if (facts.image && !/^unknown_image/i.test(facts.image)) out.push({ from: 'image-name', printed: facts.image, named: splitSymbol(facts.image) });
  if (facts.probablyCausedBy) {
    const inner = /\(\s*([^()\s]+)\s*\)/.exec(facts.probablyCausedBy)?.[1];
    const printed = inner ?? facts.probablyCausedBy.trim().split(/\s+/)[0]!;
    out.push({ from: 'probably-caused-by', printed, named: splitSymbol(printed) });
  }
  // Last, the debugger's own bucket: "<code>_<sub-code>_<tags>_<module>!<function>" ends with the symbol it chose
  // (corpus: windbg/openzfs-562.txt, "0x9F_4_OpenZFS!zfs_unload_stage_1", whose text has no SYMBOL_NAME). The
  // module is the word before "!" after the last "_": a module name that itself holds "_" loses its front part.
  const bucket = facts.failureBucket === null ? null : /(?:^|_)([A-Za-z0-9.]+)!([^\s!]+)$/.exec(facts.failureBucket.trim());
  if (bucket) out.push({ from: 'failure-bucket', printed: facts.failureBucket!.trim(), named: { module: bucket[1]!, function: bucket[2]! } });
  return out.filter((f) => f.named.module !== null);
}

function bugcheckParts(facts: IncidentFacts): { code: string | null; subcode: string | null; status: SignatureParts['status']; why: SignatureExplanation['parts'] } {
  if (facts.code === null) {
    return { code: null, subcode: null, status: null, why: [{ part: 'bugcheck', value: null, why: `the text names no bugcheck code: the part reads "${NO_CODE}"` }] };
  }
  const code = hexShort(facts.code >>> 0);
  const reference = decodeBugcheck(facts.code);
  const name = reference.names[0]?.name ?? 'an unnamed code';
  const arg1Text = facts.args[0] ?? null;
  const arg1 = arg1Text === null ? null : BigInt(arg1Text);
  const first = reference.parameters[0];
  const why: { part: string; value: string | null; why: string }[] = [];
  let subcode: string | null = null;
  let status: SignatureParts['status'] = null;
  if (first?.kind === 'bugcheck-subcode' && arg1 !== null) {
    const small = low32(arg1);
    subcode = small === null ? `0x${arg1.toString(16).toUpperCase()}` : hexShort(small);
    const title = decodeBugcheck(facts.code, facts.args.filter((a): a is string => a !== null).map((a) => BigInt(a))).cases[0]?.title;
    why.push({ part: 'bugcheck', value: `${code}/${subcode}`, why: `${code} ${name}: Arg1 selects the case${title ? ` (${subcode}: ${title})` : ' (a value the reference does not document)'}` });
  } else {
    why.push({ part: 'bugcheck', value: code, why: `${code} ${name}${first?.kind === 'bugcheck-subcode' ? ': Arg1 selects the case, but the text gives no arguments' : ': Arg1 does not select a case'}` });
  }
  if (first?.kind === 'ntstatus') {
    const small = arg1 === null ? null : low32(arg1);
    if (small !== null) {
      status = { code: hex32(small), name: ntstatusName(small) };
      why.push({ part: 'status', value: status.name ?? status.code, why: `Arg1 of ${code} is the exception code: ${status.code}${status.name ? ` ${status.name}` : ' (no known name)'}` });
    } else {
      why.push({ part: 'status', value: null, why: `Arg1 of ${code} is the exception code, but the text gives no Arg1` });
    }
  }
  return { code, subcode, status, why };
}

/** Builds an incident's signature under a rule set. Never throws on odd facts: every gap has its wording. */
export function buildSignature(facts: IncidentFacts, ruleSet: RuleSet): Signature {
  const bugcheck = bugcheckParts(facts);
  const stack = walk(facts.frames.map((f) => ({ line: f.line, printed: f.symbol, module: f.module, function: f.function, inline: f.inline })), ruleSet.rules);
  const steps = [...stack.steps];
  let texts = stack.texts;
  let last = stack.last;
  let framesFrom: SignatureParts['framesFrom'] = last ? 'stack' : 'none';
  if (!last) {
    // The stack gave no frame (none printed, all passed over, or the walk stopped): the analysis's own pick stands
    // in, walked by the same rules so "mydrv+4a" still reads "mydrv".
    for (const fb of fallbacks(facts)) {
      const tried = walk([{ line: null, printed: fb.printed, module: fb.named.module, function: fb.named.function, inline: false }], ruleSet.rules);
      steps.push(...tried.steps.map((s) => ({ ...s, reason: `${FALLBACK_KEY[fb.from]} (the stack gave no frame): ${s.reason}` })));
      if (tried.last) {
        texts = [...texts, ...tried.texts];
        last = tried.last;
        framesFrom = fb.from;
        break;
      }
    }
  }
  const request = facts.request;
  const ioctl = request?.ioctl == null ? null : hexShort(request.ioctl >>> 0);
  const major = request?.major ?? null;
  const partsWhy = [...bugcheck.why];
  partsWhy.push({
    part: 'frames',
    value: texts.length > 0 ? texts.join(' > ') : null,
    why: last ? (framesFrom === 'stack' ? 'the frames the rule walk kept, top of the stack first' : `the stack gave no frame: taken from ${FALLBACK_KEY[framesFrom]}`)
      : `neither the stack nor the analysis names a faulting frame: the part reads "${NO_FRAME}"`,
  });
  if (request && (major !== null || ioctl !== null)) {
    partsWhy.push({ part: 'request', value: [major, ioctl].filter((x) => x !== null).join(' '), why: `the request the crash carries: ${request.from}` });
  } else {
    partsWhy.push({ part: 'request', value: null, why: 'the text shows no IRP major or IOCTL for this incident' });
  }
  const pieces: string[] = [bugcheck.code === null ? NO_CODE : bugcheck.subcode === null ? bugcheck.code : `${bugcheck.code}/${bugcheck.subcode}`];
  if (bugcheck.status) pieces.push(bugcheck.status.name ?? bugcheck.status.code);
  pieces.push(texts.length > 0 && last ? texts.join(' > ') : texts.length > 0 ? `${texts.join(' > ')} > ${NO_FRAME}` : NO_FRAME);
  if (major !== null || ioctl !== null) pieces.push(major !== null && ioctl !== null ? `${major} ${ioctl}` : major ?? `IOCTL ${ioctl}`);
  const signature = pieces.join(' | ');
  const parts: SignatureParts = {
    code: bugcheck.code, subcode: bugcheck.subcode, status: bugcheck.status, frames: texts, module: last?.module ?? null, symbol: last?.symbol ?? null,
    framesFrom, major, ioctl,
  };
  return { signature, signatureId: signatureIdOf(signature), ruleVersion: ruleSet.version, parts, explanation: { ruleVersion: ruleSet.version, parts: partsWhy, frames: steps } };
}
