import { describe, it, expect } from 'vitest';
import { renderTable, type Column } from '../src/cli/render-table.js';
import { styler } from '../src/cli/terminal.js';

interface Row { path: string; signature: string; note: string }
const COLUMNS: Column<Row>[] = [
  { key: 'path', title: 'file', value: (r) => r.path, keepEnd: true },
  { key: 'note', title: 'note', value: (r) => r.note },
  { key: 'signature', title: 'signature', value: (r) => r.signature, whole: true },
];

describe('the human table', () => {
  const path = `/tmp/${'deep/'.repeat(15)}evil\u001b[31m.txt`;
  const row: Row = { path, signature: `0xC9/0x7 | ${'mydrv!F > '.repeat(8)}end`, note: 'n'.repeat(70) };
  const [, line] = renderTable(styler(false), [row], COLUMNS).split('\n');

  it('shortens a path from the start so the file name stays, escaping control characters first', () => {
    expect(line!.startsWith('...')).toBe(true);
    expect(line!.split('  ')[0]).toBe(`...${`${'deep/'.repeat(15)}evil\\x1b[31m.txt`.slice(-57)}`);
    expect(line).toContain('evil\\x1b[31m.txt');
    expect(line).not.toContain('\u001b');
  });

  it('shortens other text at the end and never a whole column', () => {
    expect(line).toContain(`${'n'.repeat(57)}...`);
    expect(line!.endsWith(row.signature)).toBe(true);
  });
});
