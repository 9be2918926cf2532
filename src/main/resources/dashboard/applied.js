// Each flush's live deltas added once, however reads of the counters and live events cross: a read
// answers with the positions it holds (O7tracker-Applied: journal=seq,…, from the counters' own
// snapshot), a clicks event names its flush's position, and events heard while a read is on its
// way wait for its answer.

/** The positions of a read's O7tracker-Applied header, journal → seq. */
export function positions(header) {
  const read = new Map();
  (header || '').split(',').forEach(entry => {
    const equals = entry.lastIndexOf('=');
    const seq = Number(entry.slice(equals + 1));
    if (equals > 0 && Number.isSafeInteger(seq)) read.set(entry.slice(0, equals).trim(), seq);
  });
  return read;
}

/** Whether a read of these positions holds the flush already (an event without one is never held). */
export function holds(read, flush) {
  return Boolean(read && flush && flush.journal && read.has(flush.journal) && read.get(flush.journal) >= flush.seq);
}

/**
 * Runs reads, holding back the deltas heard meanwhile: `add` has them once the last read is in
 * (every read ends: api.js gives up on an answer after 20 s).
 */
export class Reads {
  constructor(add) {
    this.add = add;
    this.pending = 0;
    this.held = [];
  }

  heard(delta, flush) {
    if (this.pending > 0) {
      this.held.push([delta, flush]);
    } else {
      this.add(delta, flush);
    }
  }

  async run(read) {
    this.pending++;
    try {
      return await read();
    } finally {
      if (--this.pending === 0) {
        const held = this.held;
        this.held = [];
        held.forEach(([delta, flush]) => {
          try {
            this.add(delta, flush);
          } catch (e) {
            console.warn('live delta', e); // the others still count
          }
        });
      }
    }
  }
}
