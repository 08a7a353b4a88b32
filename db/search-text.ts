/**
 * What full-text search sees of each row: the words a person searches for (names, symbols, paths, messages), not
 * the numbers, so millions of ETW kernel events with nothing but pointers add nothing to the index.
 */

export interface IncidentWords {
  readonly name: string | null;
  readonly image: string | null;
  readonly module: string | null;
  readonly symbol: string | null;
  readonly failureBucket: string | null;
  readonly bugcheckStr: string | null;
  readonly process: string | null;
  readonly probablyCausedBy: string | null;
}

const joined = (parts: readonly (string | null | undefined)[]): string | null => {
  const words = [...new Set(parts.filter((p): p is string => typeof p === 'string' && p !== ''))];
  return words.length > 0 ? words.join(' ') : null;
};

export function incidentSearchText(i: IncidentWords): string | null {
  return joined([i.name, i.image, i.module, i.symbol, i.failureBucket, i.bugcheckStr, i.process, i.probablyCausedBy]);
}

export function irpSearchText(driver: string | null, majorFunction: string | null, locations: readonly { driver: string | null; completionRoutine: string | null }[]): string | null {
  return joined([driver, majorFunction, ...locations.flatMap((l) => [l.driver, l.completionRoutine])]);
}

/** Record fields that hold prose or paths, in any record type (present or future); other fields are not indexed. */
const TEXT_FIELDS = ['text', 'message', 'path', 'fileName', 'filePath', 'detail', 'value', 'commandLine', 'imagePath', 'function'];

export function eventSearchText(record: Readonly<Record<string, unknown>>): string | null {
  const parts: (string | null)[] = [];
  for (const key of TEXT_FIELDS) {
    const value = record[key];
    if (typeof value === 'string') parts.push(value);
  }
  const frames = record.frames;
  if (Array.isArray(frames)) for (const f of frames) if (typeof f === 'string') parts.push(f);
  return joined(parts);
}
