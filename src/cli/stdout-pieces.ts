/**
 * Text for stdout, handed over in pieces: what every command that can print without end (parse, sql) writes
 * through, so that its memory does not grow with its output.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** How much text is gathered before it is handed to stdout. */
export const PIECE_CHARS = 64 * 1024;

/**
 * Text for stdout, handed over in pieces of about 64 KB. The writer goes on only once stdout has taken what it was
 * given (`drained`), so a slow reader (a pager, `jq`) holds the work back instead of the text piling up in memory.
 */
export class StdoutPieces {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly stream: Writable = process.stdout) {}

  push(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= PIECE_CHARS) this.flush();
  }

  flush(): void {
    if (this.size === 0) return;
    this.stream.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }

  async drained(): Promise<void> {
    if (this.stream.writableNeedDrain) await once(this.stream, 'drain');
  }
}

