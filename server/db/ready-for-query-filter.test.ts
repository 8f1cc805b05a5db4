import { describe, expect, it } from 'vitest';
import { mayAnswerReady, withoutReadyForQuery } from './ready-for-query-filter';

/** One backend (or frontend) message: type byte, int32 length, body. */
function message(type: string, body: number[] = []): Uint8Array {
  const out = new Uint8Array(5 + body.length);
  out[0] = type.charCodeAt(0);
  new DataView(out.buffer).setInt32(1, 4 + body.length);
  out.set(body, 5);
  return out;
}
const join = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const types = (bytes: Uint8Array) => {
  const found: string[] = [];
  for (let at = 0; at < bytes.length; at += 1 + new DataView(bytes.buffer, bytes.byteOffset + at + 1).getInt32(0)) found.push(String.fromCharCode(bytes[at]!));
  return found.join('');
};

/** Feeds the answer to the filter cut into chunks of `size` bytes; returns what came out. */
function filtered(answer: Uint8Array, size: number): Uint8Array {
  const out: Uint8Array[] = [];
  const feed = withoutReadyForQuery((chunk) => out.push(chunk.slice()));
  for (let at = 0; at < answer.length; at += size) feed(answer.subarray(at, at + size));
  return join(...out);
}

describe('ReadyForQuery filter for the embedded database', () => {
  const error = message('E', [83, 69, 82, 82, 79, 82, 0, 0]);
  const row = message('D', [0, 1, 0, 0, 0, 2, 52, 50]);
  const answer = join(message('1'), message('2'), row, error, message('Z', [73]), row);

  it('drops ReadyForQuery and keeps every other message intact, however the answer is cut', () => {
    const expected = join(message('1'), message('2'), row, error, row);
    for (const size of [1, 2, 3, 5, 6, 7, answer.length]) expect(filtered(answer, size)).toEqual(expected);
    expect(types(filtered(answer, 4))).toBe('12DED');
  });

  it('emits nothing for an answer that was only ReadyForQuery', () => {
    const out: Uint8Array[] = [];
    withoutReadyForQuery((chunk) => out.push(chunk))(message('Z', [73]));
    expect(out).toEqual([]);
  });

  it('lets ReadyForQuery through for Sync, simple Query, the end of COPY and start-up only', () => {
    for (const type of ['S', 'Q', 'c', 'f']) expect(mayAnswerReady(message(type))).toBe(true);
    for (const type of ['P', 'B', 'D', 'E', 'C', 'H']) expect(mayAnswerReady(message(type))).toBe(false);
    const startup = new Uint8Array(8);
    new DataView(startup.buffer).setInt32(0, 8);
    new DataView(startup.buffer).setInt32(4, 0x00030000);
    expect(mayAnswerReady(startup)).toBe(true);
  });
});
