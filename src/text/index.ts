/**
 * Text stage: bytes -> decoded lines (encodings, line ends, NULs, invalid UTF-8), and the optional
 * markdown un-damaging pass. Both are streaming with bounded memory.
 */
export { type TextEncoding, sniffEncoding } from './encoding.js';
export { type SourceLine, type LineSplitterReport, type LineSplitOptions, LineSplitter, splitText, readLines } from './lines.js';
export {
  type UndamageReport,
  type UndamageResult,
  type DroppedLine,
  MarkdownUndamager,
  isFenceLine,
} from './markdown.js';
export { FILE_CHUNK_BYTES, readFileChunks } from './file-chunks.js';
