/**
 * How a frame line looks on this terminal. 'ansi256' and 'basic' (16 colours) colour the tones; 'mono' (NO_COLOR,
 * or a terminal without colour) keeps only bold, dim and reverse video, so the selected row and the active tab
 * still stand out; 'plain' adds nothing (frame tests, TERM=dumb). The escapes are written here rather than
 * through Ink's colour props because chalk picks its level from the process's stdout and ignores NO_COLOR.
 */
import type { FrameLine, LineStyle } from './frame.js';

export type Theme = 'ansi256' | 'basic' | 'mono' | 'plain';

export function themeFor(stream: { isTTY?: boolean; getColorDepth?: () => number }, env: NodeJS.ProcessEnv = process.env): Theme {
  if (env.TERM === 'dumb') return 'plain';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 'mono';
  const depth = stream.getColorDepth?.() ?? 4;
  return depth >= 8 ? 'ansi256' : depth >= 4 ? 'basic' : 'mono';
}

const SGR = (codes: string): string => `\u001b[${codes}m`;
const RESET = SGR('0');

const COLOURS: Record<'ansi256' | 'basic', Partial<Record<LineStyle, string>>> = {
  ansi256: { title: '1;38;5;75', dim: '38;5;245', accent: '38;5;80', warn: '38;5;214', kept: '1;38;5;114', tabs: '48;5;236;38;5;252', header: '1;38;5;250', selected: '7', status: '38;5;250', error: '1;38;5;203' },
  basic: { title: '1;34', dim: '2', accent: '36', warn: '33', kept: '1;32', tabs: '7', header: '1', selected: '7', status: '', error: '1;31' },
};
const MONO: Partial<Record<LineStyle, string>> = { title: '1', dim: '2', kept: '1', header: '1', selected: '7', tabs: '', error: '1' };

export function styleLine(line: FrameLine, theme: Theme): string {
  if (theme === 'plain') return line.text;
  const codes = (theme === 'mono' ? MONO : COLOURS[theme])[line.style] ?? '';
  const open = codes ? SGR(codes) : '';
  if (!line.mark) return codes ? `${open}${line.text}${RESET}` : line.text;
  const chars = [...line.text];
  const [a, b] = line.mark;
  // The mark (active tab, current column) is reverse video on top of the line's own look.
  return `${open}${chars.slice(0, a).join('')}${SGR('7')}${chars.slice(a, b).join('')}${RESET}${open}${chars.slice(b).join('')}${RESET}`;
}
