/** Driver Verifier text: !verifier reports, verifier bugchecks (0xC4, 0xC9, 0x10D), IRQL logs, KMDF logs. */
import type { ParserModule } from '../types.js';
import { DebuggerTextParser } from '../windbg/engine.js';
import { WINDBG_SHAPES, WINDBG_SIGNS, sniffDebuggerText } from '../windbg/index.js';
import { VERIFIER_SHAPES } from './shapes.js';

// `^[\s>]*`: a quoted paste (`> Old irql:`) is sniffed before the markdown damage is undone.
const SIGNS: readonly [RegExp, number, string][] = [
  [/^[\s>]*Verify (Flags )?Level [0-9a-fA-Fx]/, 70, 'a !verifier "Verify Level" line'],
  [/DRIVER_VERIFIER_(DETECTED_VIOLATION|IOMANAGER_VIOLATION)|WDF_VIOLATION|\((c4|c9|10d)\)\s*$/, 60, 'a Driver Verifier bugcheck'],
  [/Driver Verifier: /, 50, 'a "Driver Verifier:" line'],
  [/^[\s>]*(Old irql|New irql):/, 50, 'an IRQL transition log'],
  [/^[\s>]*(Summary of All Verifier Statistics|Driver Verification List)\s*$/, 50, 'a !verifier report section'],
  [/^[\s>]*(STANDARD|ADDITIONAL|RESERVED) FLAGS\b.*:\s*$/, 50, 'verifier flag groups'],
  [/TRACE_LEVEL_[A-Z]+|Vf_Verify\w+|!(wdfkd\.)?wdflogdump|^[\s>]*-+ start of log -+\s*$/, 40, 'KMDF in-flight recorder lines'],
];

/**
 * Verifier frames in a stack add weight only to a text that has a sign above: a crash whose stack merely passes
 * through nt!IovCallDriver (corpus/windbg/win-pvdrivers-xenusb-kb-x86.txt) is a WinDbg stack, not verifier output.
 */
const SUPPORTING_SIGNS: readonly [RegExp, number, string][] = [
  [/IovCallDriver|VerifierBugCheckIfAppropriate|VfPoolCheckForLeaks|ViFilterDispatch|VerifierExt!/, 20, 'verifier frames'],
];

export const verifierParser: ParserModule = {
  id: 'verifier',
  title: 'Driver Verifier text (!verifier, verifier bugchecks, IRQL log, KMDF in-flight recorder)',
  undamage: true,
  loneCR: 'break',
  // Verifier text is debugger text with verifier signs: it scores the WinDbg signs too, and only with a verifier
  // sign of its own, so a plain crash paste stays "windbg" and a verifier paste wins the tie (it is listed first).
  sniff: (prefix) => {
    const own = sniffDebuggerText(prefix, SIGNS);
    if (own.score === 0) return own;
    const supporting = sniffDebuggerText(prefix, SUPPORTING_SIGNS);
    const debugger_ = sniffDebuggerText(prefix, WINDBG_SIGNS);
    return { score: Math.min(100, own.score + supporting.score + debugger_.score), reason: own.reason };
  },
  // Verifier output is debugger text: the same engine, with the verifier shapes tried first.
  create: () => new DebuggerTextParser([...VERIFIER_SHAPES, ...WINDBG_SHAPES]),
};
