/**
 * Ids handed out by the writer itself, so a row and the rows that point at it (an event and its search entry, an
 * IRP and its stack locations) can be written without reading an id back: on PostgreSQL they then travel in bulk
 * (Connection.rowWriter). Only a writer holding the write lock (db/write-lock.ts) allocates.
 *
 * SQLite: the next id is max(id) + 1, what SQLite itself gives a rowid alias. PostgreSQL: blocks from the table's
 * identity sequence, so ids never collide with rows another writer adds through the sequence.
 */
import type { Connection } from './connection.js';

const BLOCK = 1_000;

export class RowIds {
  private readonly next = new Map<string, number>();
  private readonly blocks = new Map<string, number[]>();

  constructor(private readonly db: Connection) {}

  take(table: string): number {
    if (this.db.dialect === 'postgres') {
      let block = this.blocks.get(table);
      if (!block || block.length === 0) {
        block = (this.db.prepare(`SELECT nextval(pg_get_serial_sequence('${table}', 'id')) AS id FROM generate_series(1, ${BLOCK})`).all() as { id: bigint }[])
          .map((r) => Number(r.id)).reverse();
        this.blocks.set(table, block);
      }
      return block.pop()!;
    }
    let id = this.next.get(table);
    if (id === undefined) id = Number((this.db.prepare(`SELECT coalesce(max(id), 0) AS id FROM ${table}`).get() as { id: bigint }).id) + 1;
    this.next.set(table, id + 1);
    return id;
  }
}
