/**
 * The debugger session header (FORMATS.md section 1, "What can precede it"): debugger version, dump file and its
 * type, OS and build, kernel base, session time, uptime, a live-KD `Connected to` line. Each is a one-line Session
 * record. Also the symbol-loading chatter that comes with it (SYMSRV/DBGHELP blocks with their indented path
 * lines, the `Symbol Loading Error Summary` table), taken whole as noise.
 */
import type { Block, BlockContext, Shape } from '../engine.js';
import { hex64, readHex, type Session } from '../../../src/records/index.js';
import type { SourceLine } from '../../../src/text/index.js';
import { endSession, noteSessionBuild } from './announce-incident.js';

/** A block of one line: the record was emitted when it opened. */
const ONE_LINE: Block = { push: () => 'leave', close: () => undefined };

const DEBUGGER = /^Microsoft \(R\) Windows Debugger Version\s+(.*?)\s*$/;
const DUMP_FILE = /^Loading Dump File \[(.*)\]\s*$/;
const DUMP_TYPE = /^((?:Mini|Full|Small|Kernel|User|Complete|Active)\b[\w ]*? Dump File):/;
const OS = /^Windows .*?Kernel Version (\d+)\b.*?\s*$/;
const PRODUCT = /^Product:\s*(.*?)\s*$/;
const BUILD_LAB = /^(?:Built by|Edition build lab):\s*(.*?)\s*$/;
const KERNEL_BASE = /^Kernel base = (0x[0-9a-fA-F`]+)/;
const SESSION_TIME = /^Debug session time:\s*(.*?)\s*$/;
/** `Machine Name:` with a value (a live or full-dump session); minidumps print it empty, and empty it is noise. */
const MACHINE = /^Machine Name:\s*(\S.*?)\s*$/;
const UPTIME = /^System Uptime:\s*(.*?)\s*$/;
const CONNECTED = /^Connected to (.*?)\s*$/;
const CONNECTED_BUILD = /^Windows \S+(?: \S+)*? (\d{4,5}) /;

function record(context: BlockContext, line: SourceLine, key: Session['key'], value: string): Block {
  context.emit({ type: 'session', line: line.line, key, value });
  return ONE_LINE;
}

export const sessionShape: Shape = {
  id: 'windbg.session',
  open(line, context) {
    const text = line.text;
    let m: RegExpExecArray | null;
    switch (text.charCodeAt(0)) {
      case 0x4d: // M
        if ((m = DEBUGGER.exec(text))) {
          endSession(context);
          return record(context, line, 'debugger-version', m[1]!);
        }
        if ((m = MACHINE.exec(text))) return record(context, line, 'machine-name', m[1]!);
        break;
      case 0x4c: // L
        if ((m = DUMP_FILE.exec(text))) {
          endSession(context);
          return record(context, line, 'dump-file', m[1]!);
        }
        break;
      case 0x57: // W
        if ((m = OS.exec(text))) {
          noteSessionBuild(context, m[1]!, 1);
          return record(context, line, 'os', text.trim());
        }
        break;
      case 0x50: // P
        if ((m = PRODUCT.exec(text))) return record(context, line, 'product', m[1]!);
        break;
      case 0x42: // B
      case 0x45: // E
        if ((m = BUILD_LAB.exec(text))) {
          if (m[1]) noteSessionBuild(context, m[1], 2);
          return record(context, line, 'build-lab', m[1]!);
        }
        break;
      case 0x44: // D
        if ((m = SESSION_TIME.exec(text))) return record(context, line, 'session-time', m[1]!);
        break;
      case 0x53: // S
        if ((m = UPTIME.exec(text))) return record(context, line, 'system-uptime', m[1]!);
        break;
      case 0x43: // C
        if ((m = CONNECTED.exec(text))) {
          endSession(context);
          const build = CONNECTED_BUILD.exec(m[1]!);
          if (build) noteSessionBuild(context, build[1]!, 1);
          return record(context, line, 'connected', m[1]!);
        }
        break;
    }
    if ((m = KERNEL_BASE.exec(text))) {
      const base = readHex(m[1]!);
      if (base !== null) return record(context, line, 'kernel-base', hex64(base));
    }
    if ((m = DUMP_TYPE.exec(text))) return record(context, line, 'dump-type', m[1]!);
    return null;
  },
};

const SUMMARY = /^\*+ (?:Symbol Loading Error Summary|Path validation summary) \*+\s*$/;

/** SYMSRV/DBGHELP lines with their indented continuation, or a symbol summary table up to its blank line. */
class SymbolChatterBlock implements Block {
  constructor(private readonly context: BlockContext, opening: SourceLine, private readonly table: boolean) {
    context.noise(opening);
  }

  push(line: SourceLine): 'take' | 'leave' {
    const text = line.text;
    const c = text.charCodeAt(0);
    if (this.table ? text.trim() !== '' : (c === 0x20 || c === 0x09) && text.trim() !== '') {
      this.context.noise(line);
      return 'take';
    }
    return 'leave';
  }

  close(): void {}
}

export const symbolChatterShape: Shape = {
  id: 'windbg.symbol-chatter',
  open(line, context) {
    const text = line.text;
    const c = text.charCodeAt(0);
    if ((c === 0x53 && text.startsWith('SYMSRV:')) || (c === 0x44 && text.startsWith('DBGHELP:'))) return new SymbolChatterBlock(context, line, false);
    if (c === 0x2a && SUMMARY.test(text)) return new SymbolChatterBlock(context, line, true);
    return null;
  },
};
