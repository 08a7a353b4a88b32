/**
 * "Which bucket does the user mean?": what people type after --bucket is a signature_id (3f2a9c01b7de), a prefix of
 * one they copied short (3f2a9c), or the whole readable signature. The answer is one bucket or a refusal that lists
 * the candidates; a prefix that fits two buckets is never resolved by guessing.
 */
import type { Connection } from '../store.js';

export interface BucketRef {
  readonly signatureId: string;
  readonly signature: string;
}

export class BucketLookupError extends Error {
  constructor(
    message: string,
    readonly candidates: readonly BucketRef[],
  ) {
    super(message);
  }
}

/** Prefixes shorter than this match too much to be meant (a single hex digit fits a sixteenth of all buckets). */
export const MIN_PREFIX = 4;

export function findBucket(db: Connection, text: string): BucketRef {
  const wanted = text.trim();
  const bySignature = db.prepare('SELECT DISTINCT signature_id AS "signatureId", signature FROM incident_signatures WHERE signature = ? LIMIT 2').all(wanted) as BucketRef[];
  if (bySignature.length === 1) return bySignature[0]!;
  const id = wanted.toLowerCase();
  if (/^[0-9a-f]+$/.test(id) && id.length >= MIN_PREFIX && id.length <= 12) {
    // signature_id is 12 lower-case hex digits; the range scan uses the index on it.
    const matches = db.prepare(`SELECT DISTINCT signature_id AS "signatureId", signature FROM incident_signatures
      WHERE signature_id >= :id AND signature_id < :id || 'g' ORDER BY signature_id LIMIT 6`).all({ id }) as BucketRef[];
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      throw new BucketLookupError(`--bucket ${wanted} fits ${matches.length > 5 ? 'more than 5' : matches.length} buckets: ${matches.slice(0, 5).map((m) => m.signatureId).join(', ')}; type more of the id`, matches.slice(0, 5));
    }
  }
  const hint = /^[0-9a-f]+$/i.test(wanted) && wanted.length < MIN_PREFIX ? ` (an id prefix needs at least ${MIN_PREFIX} hex digits)` : '';
  throw new BucketLookupError(`--bucket ${JSON.stringify(wanted)}: no bucket has this signature id, id prefix or signature${hint}; irpscope buckets lists them`, []);
}
