/** WinDbg / KD text: !analyze -v, bugcheck announcements, session headers, stacks, IRP and object dumps. */
import type { ParserModule, SniffResult } from '../types.js';
import { DebuggerTextParser, type Shape } from './engine.js';
import { VERIFIER_SHAPES } from '../verifier/shapes.js';
import { irpShape } from './shapes/irp.js';
import { irpfindShape } from './shapes/irpfind.js';
import { threadShape } from './shapes/thread.js';
import { dtShape } from './shapes/dt.js';
import { dxShape } from './shapes/dx.js';
import { ioctldecodeShape } from './shapes/ioctldecode.js';
import { sessionShape, symbolChatterShape } from './shapes/session.js';
import { announceShape } from './shapes/announce.js';
import { analyzeShape } from './shapes/analyze.js';
import { stackShape } from './shapes/stack.js';
import { lmShape } from './shapes/lm.js';

/**
 * The WinDbg shapes, in the order they are tried on a line that no open block took. Each lives in its own file
 * under shapes/; adding a shape is one import and one entry here.
 */
export const WINDBG_SHAPES: readonly Shape[] = [irpShape, irpfindShape, threadShape, dtShape, dxShape, ioctldecodeShape, sessionShape, symbolChatterShape, announceShape, analyzeShape, lmShape, stackShape];

export const WINDBG_SIGNS: readonly [RegExp, number, string][] = [
  [/Bugcheck Analysis/, 60, 'a "Bugcheck Analysis" banner'],
  [/^\s*(\d{1,3}:\s*)?kd>/, 50, 'a kd> prompt'],
  [/^\s*Arg[1-4]: [0-9a-fA-F`]+/, 40, 'ArgN: lines of !analyze'],
  [/^\s*(STACK_TEXT|FAILURE_BUCKET_ID|BUGCHECK_CODE|MODULE_NAME|IMAGE_NAME|SYMBOL_NAME):/, 40, '!analyze -v keys'],
  [/^\s*Irp is (active|completed)/, 40, '!irp output'],
  [/Child-SP\s+RetAddr|ChildEBP\s+RetAddr|RetAddr\s+:\s+Args to Child/, 40, 'a stack header'],
  [/^\*\*\* Fatal System Error: 0x/, 50, 'a Fatal System Error line'],
  [/^\s*(BugCheck|Bugcheck code) [0-9a-fA-F]+/, 40, 'a bugcheck summary'],
  [/Microsoft \(R\) Windows Debugger/, 50, 'a debugger banner'],
  [/^\s*\+0x[0-9a-f]{3} \w+\s+: /, 30, 'dt field lines'],
  [/^\s*(Unknown IOCTL|IOCTL_\w+)\s*:/, 20, '!ioctldecode output'],
  [/^\s*Probably caused by\s*:/, 40, 'a "Probably caused by" line'],
  [/^\s*start\s+end\s+module name\s*$/, 40, 'an lm module list header'],
  [/^\s+(Image path|Image name|File version):/, 20, 'lm v module fields'],
  [/^[0-9a-f]{8}`?[0-9a-f]{8} [0-9a-f]{8}`?[0-9a-f]{8} : /, 30, 'STACK_TEXT rows'],
];

export function sniffDebuggerText(prefix: readonly string[], signs: readonly [RegExp, number, string][]): SniffResult {
  let score = 0;
  const reasons: string[] = [];
  for (const [pattern, weight, what] of signs) {
    if (prefix.some((line) => pattern.test(line))) {
      score += weight;
      reasons.push(what);
    }
  }
  return { score: Math.min(score, 100), reason: reasons.length ? `found ${reasons.join(', ')}` : 'no WinDbg signs' };
}

export const windbgParser: ParserModule = {
  id: 'windbg',
  title: 'WinDbg / KD text (!analyze -v, !irp, stacks, dt, dx, !ioctldecode, lm v)',
  undamage: true,
  loneCR: 'break',
  sniff: (prefix) => sniffDebuggerText(prefix, WINDBG_SIGNS),
  create: () => new DebuggerTextParser([...WINDBG_SHAPES, ...VERIFIER_SHAPES]),
};
