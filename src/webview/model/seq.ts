/**
 * Delta bookkeeping on the webview side: which events of an `events` message are new, and
 * whether some were missed (a gap in `seq`), in which case the webview asks for a resync.
 */
import type { BomfEvent } from '../../contract/events';

export interface DeltaResult {
  /** Events to fold, contiguous and in order, each with seq > the previous lastSeq. */
  accepted: BomfEvent[];
  /** `seq` of the last event held after this delta. */
  lastSeq: number;
  /** Set when events are missing: ask the host to resend from this seq. */
  resyncFrom?: number;
}

/**
 * Applies a delta to a view that holds every event up to `lastSeq` (-1: none). Events already
 * held are dropped (a delta may overlap a snapshot); at the first gap the rest is held back
 * and a resync is requested from the first missing seq.
 *
 * @param lastSeq - seq of the last event held, -1 for none.
 * @param events - the delta's events, in the order sent.
 */
export function applyDelta(lastSeq: number, events: readonly BomfEvent[]): DeltaResult {
  const accepted: BomfEvent[] = [];
  let last = lastSeq;
  for (const e of events) {
    if (e.seq <= last) continue;
    if (e.seq !== last + 1) return { accepted, lastSeq: last, resyncFrom: last + 1 };
    accepted.push(e);
    last = e.seq;
  }
  return { accepted, lastSeq: last };
}
