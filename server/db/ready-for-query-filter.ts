/**
 * PGlite 0.5.8 answers an error in an extended-protocol message (Parse, Bind, Execute…) with
 * ErrorResponse AND ReadyForQuery, then answers the Sync that follows with a second
 * ReadyForQuery. PostgreSQL sends ReadyForQuery only for Sync (and simple Query, startup, the end
 * of COPY). A client such as node-postgres takes the extra one as the end of its NEXT query: every
 * later query then receives the previous query's rows. This filter removes ReadyForQuery from the
 * answers to the messages that must not carry one, restoring the protocol a client expects.
 */

/** Frontend messages that PostgreSQL never answers with ReadyForQuery. */
const NO_READY_FOR_QUERY = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));
const READY_FOR_QUERY = 'Z'.charCodeAt(0);
const HEADER = 5; // type byte + int32 length (which counts itself but not the type byte)

/** Whether the answer to this frontend message may contain ReadyForQuery. */
export function mayAnswerReady(message: Uint8Array): boolean {
  // The startup message has no type byte: int32 length, then protocol version 3.0.
  if (message.length >= 8 && new DataView(message.buffer, message.byteOffset).getInt32(4) === 0x00030000) return true;
  return !NO_READY_FOR_QUERY.has(message[0]!);
}

/**
 * A filter over one answer, fed in chunks as they stream: passes every backend message through
 * except ReadyForQuery. Messages may be split anywhere across chunks.
 */
export function withoutReadyForQuery(emit: (chunk: Uint8Array) => void): (chunk: Uint8Array) => void {
  let header: Uint8Array = new Uint8Array(0); // a message header split across chunks
  let remaining = 0; // bytes of the current message's body still to come
  let dropping = false; // whether the current message is dropped
  return (chunk) => {
    const kept: Uint8Array[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (remaining > 0) {
        const take = Math.min(remaining, chunk.length - at);
        if (!dropping) kept.push(chunk.subarray(at, at + take));
        at += take;
        remaining -= take;
        continue;
      }
      const need = HEADER - header.length;
      const part = chunk.subarray(at, at + need);
      at += part.length;
      header = concat(header, part);
      if (header.length < HEADER) break;
      dropping = header[0] === READY_FOR_QUERY;
      if (!dropping) kept.push(header);
      remaining = new DataView(header.buffer, header.byteOffset).getInt32(1) - 4;
      header = new Uint8Array(0);
    }
    const out = kept.length === 1 ? kept[0]! : concat(...kept);
    if (out.length > 0) emit(out);
  };
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
