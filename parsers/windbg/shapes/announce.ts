/**
 * Bugcheck announcements other than `!analyze -v` (FORMATS.md section 2):
 *   `*** Fatal System Error: 0x000000c4` + `(0x000000000002001F,0xFFFFF80209086738,...)`   via 'fatal-system-error'
 *   `Driver Verifier: Bugcheck initiated with Error Code: 0x2001F Error Message: '...'`     via 'driver-verifier'
 *   `.bugcheck`: `Bugcheck code 0000009F` + `Arguments 00000000`00000003 ...`              via 'dot-bugcheck'
 *   `BugCheck 139, {3, ffff..., 0}` and `Probably caused by : X.sys ( X!Fn+77 )`           via 'summary'
 * A summary line inside an !analyze block is read by that block; these shapes see the ones that stand alone.
 * Each record joins the open crash when its facts fit (announce-incident.ts), so an announcement followed by
 * `!analyze -v` of the same crash is one incident.
 */
import type { Block, BlockContext, PushVerdict, Shape } from '../engine.js';
import type { SourceLine } from '../../../src/text/index.js';
import { readHex, type Bugcheck } from '../../../src/records/index.js';
import { bugcheckRecord } from '../../decoded.js';
import { isNoise } from '../noise.js';
import { claimIncident, sessionBuild } from './announce-incident.js';

const FATAL = /^\s*\*\*\* Fatal System Error: (0x[0-9a-fA-F]{1,8})\s*$/;
const FATAL_ARGS = /^\s*\(([0-9a-fA-Fx`,\s]+)\)\s*$/;
const DRIVER_VERIFIER = /^\s*Driver Verifier: Bugcheck initiated with Error Code: (0x[0-9a-fA-F]+)(?:\s+Error Message:\s*(.*?))?\s*$/;
const DOT_BUGCHECK = /^\s*Bugcheck code ([0-9a-fA-F]{1,8})\s*$/;
const DOT_ARGUMENTS = /^\s*Arguments((?:\s+[0-9a-fA-F`]+){1,4})\s*$/;
/** `BugCheck 9F, {3, fffffa8003eaba10, fffff80000b9c518, fffffa8004cbb250}` (short hex, no 0x). */
export const BUGCHECK_SUMMARY = /^\s*BugCheck ([0-9a-fA-F]{1,8}), \{([^}]*)\}\s*$/;
export const PROBABLY_CAUSED_BY = /^\s*Probably caused by\s*:\s*(.*?)\s*$/;
export const FOLLOWUP = /^\s*Followup:\s*(.*?)\s*$/;
const DASH_ROW = /^\s*-{3,}\s*$/;
const NON_BLANK = /\S/;

/** Up to four values from a list printed with commas or spaces; unreadable ones stay null. */
export function readArgs(list: string): (bigint | null)[] {
  const out: (bigint | null)[] = [null, null, null, null];
  const parts = list.split(/[\s,]+/).filter((p) => p !== '');
  for (let i = 0; i < 4 && i < parts.length; i++) out[i] = readHex(parts[i]!);
  return out;
}

interface Announcement {
  line: number;
  via: Bugcheck['via'];
  code: number | null;
  args: (bigint | null)[];
  probablyCausedBy: string | null;
  details: Record<string, string>;
}

function announce(context: BlockContext, a: Announcement): void {
  const incident = claimIncident(context, a);
  context.emit(bugcheckRecord({ ...a, incident, osBuild: sessionBuild(context) }));
}

function fresh(line: number, via: Bugcheck['via'], code: number | null): Announcement {
  return { line, via, code, args: [null, null, null, null], probablyCausedBy: null, details: {} };
}

/**
 * An announcement whose arguments follow on one line of their own: `*** Fatal System Error` + `(0x...,0x...)`,
 * or `.bugcheck`'s `Bugcheck code` + `Arguments ...`. The pattern says which argument line belongs to it.
 */
class ArgumentLineBlock implements Block {
  private argsRead = false;

  constructor(private readonly context: BlockContext, private readonly bugcheck: Announcement, private readonly argumentLine: RegExp) {}

  push(line: SourceLine): PushVerdict {
    if (this.argsRead) return 'leave';
    const m = this.argumentLine.exec(line.text);
    if (!m) return 'leave';
    this.bugcheck.args = readArgs(m[1]!);
    this.argsRead = true;
    return 'take';
  }

  close(): void {
    announce(this.context, this.bugcheck);
  }
}

/**
 * `BugCheck X, {...}` or a lone `Probably caused by`, with what follows them in the short !analyze: blank lines,
 * `Probably caused by` (after BugCheck), `Followup: MachineOwner` and its dash line.
 */
class SummaryBlock implements Block {
  private ended = false;

  constructor(private readonly context: BlockContext, private readonly bugcheck: Announcement) {}

  push(line: SourceLine): PushVerdict {
    const text = line.text;
    if (!NON_BLANK.test(text) || DASH_ROW.test(text)) {
      this.context.noise(line);
      return 'take';
    }
    if (this.ended) return 'leave';
    let m = PROBABLY_CAUSED_BY.exec(text);
    if (m && this.bugcheck.probablyCausedBy === null) {
      this.bugcheck.probablyCausedBy = m[1]!;
      return 'take';
    }
    m = FOLLOWUP.exec(text);
    if (m) {
      this.bugcheck.details['Followup'] = m[1]!;
      this.ended = true;
      return 'take';
    }
    if (isNoise(text)) {
      this.context.noise(line);
      return 'take';
    }
    return 'leave';
  }

  close(): void {
    announce(this.context, this.bugcheck);
  }
}

/** A block that was complete when it opened: the record is emitted at close. */
class OneLineBlock implements Block {
  constructor(private readonly context: BlockContext, private readonly bugcheck: Announcement) {}

  push(): PushVerdict {
    return 'leave';
  }

  close(): void {
    announce(this.context, this.bugcheck);
  }
}

export const announceShape: Shape = {
  id: 'windbg.announce',
  open(line, context) {
    const text = line.text;
    let c = text.charCodeAt(0);
    if (c === 0x20 || c === 0x09) {
      const i = text.search(NON_BLANK);
      if (i === -1) return null;
      c = text.charCodeAt(i);
    }
    let m: RegExpExecArray | null;
    switch (c) {
      case 0x2a: // *
        if ((m = FATAL.exec(text))) return new ArgumentLineBlock(context, fresh(line.line, 'fatal-system-error', parseInt(m[1]!, 16)), FATAL_ARGS);
        break;
      case 0x44: // D
        if ((m = DRIVER_VERIFIER.exec(text))) {
          const bugcheck = fresh(line.line, 'driver-verifier', null);
          // The error code is Driver Verifier's rule/check number, not the bugcheck code: kept as printed.
          bugcheck.details['Error Code'] = m[1]!;
          if (m[2]) bugcheck.details['Error Message'] = m[2];
          return new OneLineBlock(context, bugcheck);
        }
        break;
      case 0x42: // B
        if ((m = DOT_BUGCHECK.exec(text))) return new ArgumentLineBlock(context, fresh(line.line, 'dot-bugcheck', parseInt(m[1]!, 16)), DOT_ARGUMENTS);
        if ((m = BUGCHECK_SUMMARY.exec(text))) {
          const bugcheck = fresh(line.line, 'summary', parseInt(m[1]!, 16));
          bugcheck.args = readArgs(m[2]!);
          return new SummaryBlock(context, bugcheck);
        }
        break;
      case 0x50: // P
        if ((m = PROBABLY_CAUSED_BY.exec(text))) {
          const bugcheck = fresh(line.line, 'summary', null);
          bugcheck.probablyCausedBy = m[1]!;
          return new SummaryBlock(context, bugcheck);
        }
        break;
    }
    return null;
  },
};
