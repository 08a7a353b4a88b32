/**
 * Translation phases 1-3 for a whole header, keeping only what a macro table
 * needs: the logical lines that are directives, with comments replaced by a
 * space, continuation lines joined, whitespace runs collapsed, and the 1-based
 * physical line where each directive starts.
 *
 * Ordinary source lines are skipped quickly, but their string/char literals and
 * comments are still tracked, because a comment opened there can hide a `#`
 * on a later line.
 */

export interface DirectiveLine {
  readonly line: number;
  /** Text after the `#`, trimmed. */
  readonly text: string;
}

export interface SourceProblem {
  readonly line: number;
  readonly reason: string;
}

export interface DirectiveListing {
  readonly directives: readonly DirectiveLine[];
  readonly problems: readonly SourceProblem[];
}

const NEWLINE = 0x0a;
const HASH = 0x23;
const SLASH = 0x2f;
const STAR = 0x2a;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const BACKSLASH = 0x5c;

// Backslash, optional blanks (tolerated like GCC does, and the \r of CRLF), newline.
const LINE_SPLICE = /\\[ \t\f\v\r]*\n/g;

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0b || code === 0x0c || code === 0x0d;
}

/** Phase 2: join spliced lines, remembering where each removed newline was so line numbers stay physical. */
function spliceLines(text: string): { spliced: string; spliceOffsets: number[] } {
  const spliceOffsets: number[] = [];
  if (!text.includes('\\')) return { spliced: text, spliceOffsets };
  let removed = 0;
  const spliced = text.replace(LINE_SPLICE, (match: string, offset: number) => {
    spliceOffsets.push(offset - removed);
    removed += match.length;
    return '';
  });
  return { spliced, spliceOffsets };
}

export function readDirectiveLines(text: string): DirectiveListing {
  // Classic Mac line ends (a lone \r) end lines too; \r\n is handled as blank + newline.
  const unixText = /\r(?!\n)/.test(text) ? text.replace(/\r(?!\n)/g, '\n') : text;
  const { spliced: source, spliceOffsets } = spliceLines(unixText);
  const directives: DirectiveLine[] = [];
  const problems: SourceProblem[] = [];
  const length = source.length;

  // Physical line of an offset = newlines seen before it + splices before it + 1.
  let newlinesBefore = 0;
  let newlinesCountedTo = 0;
  const lineAt = (offset: number): number => {
    for (let k = newlinesCountedTo; k < offset; k++) if (source.charCodeAt(k) === NEWLINE) newlinesBefore++;
    newlinesCountedTo = Math.max(newlinesCountedTo, offset);
    let low = 0;
    let high = spliceOffsets.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((spliceOffsets[mid] ?? 0) < offset) low = mid + 1;
      else high = mid;
    }
    return newlinesBefore + low + 1;
  };

  /** Index just past the comment opened at `start` (the `/`), or -1 when unterminated. */
  const endOfBlockComment = (start: number): number => {
    const end = source.indexOf('*/', start + 2);
    if (end < 0) {
      problems.push({ line: lineAt(start), reason: 'unterminated comment' });
      return -1;
    }
    return end + 2;
  };

  /** Index just past a quoted literal, or the newline/end that cuts an unterminated one short. */
  const endOfLiteral = (start: number): number => {
    const quote = source.charCodeAt(start);
    let i = start + 1;
    while (i < length) {
      const code = source.charCodeAt(i);
      if (code === quote) return i + 1;
      if (code === NEWLINE) return i;
      i += code === BACKSLASH ? 2 : 1;
    }
    return length;
  };

  let i = 0;
  while (i < length) {
    // Start of a line: blanks and block comments may precede the '#'.
    while (i < length) {
      const code = source.charCodeAt(i);
      if (isBlank(code)) i++;
      else if (code === SLASH && source.charCodeAt(i + 1) === STAR) {
        const end = endOfBlockComment(i);
        i = end < 0 ? length : end;
      } else break;
    }
    if (i >= length) break;

    if (source.charCodeAt(i) === HASH) {
      const line = lineAt(i);
      let text = '';
      let segmentStart = i + 1;
      let j = i + 1;
      const flush = (end: number): void => {
        if (end > segmentStart) text += source.slice(segmentStart, end);
      };
      const addSpace = (): void => {
        if (text.length > 0 && !text.endsWith(' ')) text += ' ';
      };
      while (j < length) {
        const code = source.charCodeAt(j);
        if (code === NEWLINE) break;
        if (isBlank(code)) {
          flush(j);
          while (j < length && isBlank(source.charCodeAt(j))) j++;
          addSpace();
          segmentStart = j;
        } else if (code === SLASH && source.charCodeAt(j + 1) === STAR) {
          flush(j);
          const end = endOfBlockComment(j);
          j = end < 0 ? length : end;
          addSpace();
          segmentStart = j;
        } else if (code === SLASH && source.charCodeAt(j + 1) === SLASH) {
          flush(j);
          const end = source.indexOf('\n', j);
          j = end < 0 ? length : end;
          segmentStart = j;
        } else if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
          j = endOfLiteral(j);
        } else {
          j++;
        }
      }
      flush(j);
      directives.push({ line, text: text.trim() });
      i = j + 1;
      continue;
    }

    // An ordinary line: skip to its end, stepping over literals and comments.
    while (i < length) {
      const code = source.charCodeAt(i);
      if (code === NEWLINE) {
        i++;
        break;
      }
      if (code === SLASH) {
        const next = source.charCodeAt(i + 1);
        if (next === STAR) {
          const end = endOfBlockComment(i);
          i = end < 0 ? length : end;
          continue;
        }
        if (next === SLASH) {
          const end = source.indexOf('\n', i);
          i = end < 0 ? length : end;
          continue;
        }
      } else if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
        i = endOfLiteral(i);
        continue;
      }
      i++;
    }
  }
  return { directives, problems };
}
