/**
 * Debugger lines that carry no data: symbol loading, warnings, progress, register dumps. They are counted as
 * noise, not skipped, so the skipped list stays a list of what the parser could not read. Each pattern names
 * what it is.
 *
 * isNoise runs on every line no shape took, so patterns are grouped by the line's first non-blank character and
 * only that group is tried.
 */

/** Register display of `r`, `.cxr`, `.trap`: `rax=0000... rbx=...`, `iopl=0 nv up ei`, `cs=0010  ss=0018 ...`. */
const REGISTERS = /^\s*(?:r(?:[a-d]x|[sd]i|[sb]p|ip|\d{1,2})|e(?:[a-d]x|[sd]i|[sb]p|ip|fl)|[c-gs]s|iopl|efl)=[0-9a-fA-F`]/;
/** A code label before a disassembly line: `nt!DbgBreakPointWithStatus:`, `kbase+0x10aba:`. */
const CODE_LABEL = /^[^\s!:]+!\S+:$|^[\w.]+\+0x[0-9a-fA-F]+:$/;
/** A disassembly line: address, opcode bytes, mnemonic (`fffff806`16c01015 cc  int  3`). */
const DISASSEMBLY = /^[0-9a-fA-F]{8}(?:`?[0-9a-fA-F]{8})? (?:[0-9a-fA-F]{2})+ +[a-z]+(?:\s|$)/;

const GROUPS = new Map<number, readonly RegExp[]>();
function group(firstChars: string, ...patterns: RegExp[]): void {
  for (let i = 0; i < firstChars.length; i++) {
    const code = firstChars.charCodeAt(i);
    GROUPS.set(code, [...(GROUPS.get(code) ?? []), ...patterns]);
  }
}

// An elision the person who pasted the text put in its place: `[...]`, `[…]`, `[ ... ]`, `[snip]`, `[truncated]`.
group('[', /^\s*\[\s*(?:\.{3,}|…|snip(?:ped)?|truncated|cut|omitted)\s*\]\s*$/i);
group('S',
  /^\s*SYMSRV:/, // symbol server chatter
  /^\s*Symbol search path is:/,
  /^\s*Some register values may be zeroed or incorrect\./, // .trap note
);
group('D',
  /^\s*DBGHELP:/, // dbghelp load lines ("... - OK")
  /^\s*DBGENG:/,
  /^\s*Debugger entered on first try; Bugcheck callbacks have (not )?been invoked\./,
);
group('*',
  /^\s*\*{3} WARNING: Unable to verify (timestamp|checksum) for /,
  /^\s*\*{3} ERROR: (Module load completed but symbols could not be loaded|Symbol file could not be found)/,
  /^\s*\*+ (Kernel|Symbol)s? .*(WRONG|wrong)/, // "***** Kernel symbols are WRONG. Please fix symbols to do analysis."
  /^\s*\*+\s*$/, // a row of stars without the banner text
  /^\s*\*{3} Type referenced: /,
  /^\s*\*{3} (No owner thread found for resource|Either you specified an unqualified symbol|Your debugger is not using the correct symbols)/,
  /^\s*\*\*\*\s+\*\*\*/, // "***  ***" banner fragments of symbol warnings
  /^\s*\*{3} (WARNING|ERROR): /, // other symbol warnings ("*** WARNING: Unable to verify checksum")
  /^\s*\*{3} Stack trace for last set context - \.(?:thread|cxr)(?:\/\.(?:thread|cxr))? resets it\s*$/, // k after .cxr / .thread
);
group('U',
  /^\s*Unable to load image .*Win32 error/,
  /^\s*Unable to enumerate (user-mode |kernel-mode )?unloaded modules/, // the end of lm in a kernel dump
  /^\s*Use !analyze -v to get detailed debugging information\./,
);
group('P',
  /^\s*Page [0-9a-fA-F`]+ not present in the dump file/,
  /^\s*Press ctrl-c/,
);
group('I', /^\s*Implicit thread is now /);
group('R',
  /^\s*Resetting default scope/,
  /^\s*Run !sym noisy before \.reload/,
);
group('L',
  /^\s*Loading (Kernel Symbols|User Symbols|unloaded module list)/,
  /^\s*Loading symbols for [0-9a-fA-F`x]+\s+\S+\s+->\s+\S+\s*$/, // older debuggers' per-module load line
);
group('.', /^\s*\.{2,}[.\s]*$/); // progress dots
group('E', /^\s*Executable search path is:/);
group('F',
  /^\s*Failed calling InternetOpenUrl/,
  /^\s*For analysis of this file, run !analyze -v/,
);
group('G', /^\s*GetUrlPageData2 /);
group('-', /^\s*-{3,}\s*$/); // dash separator lines outside any block
group('C', /^\s*Copyright \(c\) Microsoft Corporation\./);
group('M', /^\s*Machine Name:/); // empty, as minidumps print it; with a value it is a session fact (shapes/session.ts)
group('Y',
  /^\s*You can troubleshoot most symbol related issues/, // after a Symbol Loading Error Summary
  /^\s*You should also verify that your symbol search path/,
);
group('B', /^\s*Break instruction exception - code [0-9a-fA-F]+/);
group('A', /^\s*A fatal system error has occurred\./);
group('W',
  /^\s*WARNING: (Stack unwind information not available|Frame IP not in any known module)\. Following frames may be wrong\./,
  /^\s*WARNING: Unable to verify (timestamp|checksum) for /,
  /^\s*Waiting to reconnect\.\.\./, // live KD over a pipe or network
);
group('N', /^\s*NOTE: The trap frame does not contain all registers\./);
group('T', /^\s*TRIAGER: Could not open triage file/);
group('K', /^\s*Kernel Debugger connection established\./);
group('O', /^\s*Opened \\\\\.\\pipe\\/);
group('rcdefgis', REGISTERS);

const BLANK_LEAD = /\S/;

export function isRegisterLine(text: string): boolean {
  return REGISTERS.test(text);
}

/** A code label or a disassembly line: what `r`, `.cxr` and `u` print after the registers. */
export function isDisassemblyLine(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c === 0x20 || c === 0x09) return false;
  if (text.charCodeAt(text.length - 1) === 0x3a /* : */) return CODE_LABEL.test(text);
  return DISASSEMBLY.test(text);
}

export function isNoise(text: string): boolean {
  let c = text.charCodeAt(0);
  if (c === 0x20 || c === 0x09) {
    const i = text.search(BLANK_LEAD);
    if (i === -1) return false;
    c = text.charCodeAt(i);
  }
  const patterns = GROUPS.get(c);
  if (patterns) for (const pattern of patterns) if (pattern.test(text)) return true;
  return isDisassemblyLine(text);
}
