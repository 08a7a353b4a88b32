/**
 * Progress on stderr, for ingest and for parse: a bar redrawn in place on a terminal (bytes, rows or records, rate,
 * ETA), plain lines otherwise (one per file, and one every ten seconds on long files). Each command says when to
 * show it: ingest not with --json, parse only while its output goes somewhere other than the terminal.
 */
import { visible } from './terminal.js';
import type { IngestProgress } from '../../db/ingest.js';

export interface ProgressReporter {
  start(path: string, bytes: number): void;
  update(progress: IngestProgress): void;
  done(line: string): void;
}

const mb = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);
const count = (n: number): string => Math.round(n).toLocaleString('en-US');
const seconds = (s: number): string => (s < 60 ? `${Math.ceil(s)}s` : `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`);

export function silentProgress(): ProgressReporter {
  return { start: () => undefined, update: () => undefined, done: () => undefined };
}

/** `unit`: what `rows` counts, as the bar says it (`parse` counts records). */
export function progressFor(stream: NodeJS.WriteStream, unit = 'rows'): ProgressReporter {
  return stream.isTTY ? barProgress(stream, unit) : lineProgress(stream, unit);
}

function barProgress(stream: NodeJS.WriteStream, unit: string): ProgressReporter {
  let path = '';
  let started = 0;
  let drawn = 0;
  return {
    start(p) {
      path = visible(p);
      started = performance.now();
      drawn = 0;
    },
    update({ bytes, totalBytes, rows }) {
      const now = performance.now();
      if (now - drawn < 100) return;
      drawn = now;
      const elapsed = (now - started) / 1000;
      const fraction = totalBytes > 0 ? Math.min(1, bytes / totalBytes) : 1;
      const width = 24;
      const filled = Math.round(fraction * width);
      const rate = elapsed > 0 ? rows / elapsed : 0;
      const eta = fraction > 0 && fraction < 1 ? seconds((elapsed / fraction) * (1 - fraction)) : '-';
      const columns = stream.columns ?? 100;
      const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${mb(bytes)}/${mb(totalBytes)} MB  ${count(rows)} ${unit}  ${count(rate)} ${unit}/s  ETA ${eta}  ${path}`;
      stream.write(`\r${line.slice(0, columns - 1)}\u001b[K`);
    },
    done(line) {
      stream.write(`\r\u001b[K${line}\n`);
    },
  };
}

function lineProgress(stream: NodeJS.WriteStream, unit: string): ProgressReporter {
  let path = '';
  let started = 0;
  let said = 0;
  return {
    start(p, bytes) {
      path = visible(p);
      started = said = performance.now();
      stream.write(`ingesting ${path} (${mb(bytes)} MB)\n`);
    },
    update({ bytes, totalBytes, rows }) {
      const now = performance.now();
      if (now - said < 10_000) return;
      said = now;
      stream.write(`  ${path}: ${mb(bytes)}/${mb(totalBytes)} MB, ${count(rows)} ${unit}, ${count(rows / ((now - started) / 1000))} ${unit}/s\n`);
    },
    done(line) {
      stream.write(`${line}\n`);
    },
  };
}
