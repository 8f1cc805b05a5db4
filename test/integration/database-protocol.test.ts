import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedDatabase } from '../../server/db/embedded-db';
import { createLogger } from '../../server/log';
import { tempDir } from './harness';

/**
 * After a failed statement every answer still belongs to its own query, on the database this run
 * uses. (Embedded PGlite used to send one ReadyForQuery too many after an extended-protocol error,
 * which shifted every later answer onto the next query: a list of vehicles came back as the rows
 * of the query before it.)
 */
let client: pg.Client;
let stopEmbedded: (() => Promise<void>) | undefined;

beforeAll(async () => {
  let url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const embedded = await startEmbeddedDatabase(`${tempDir('protocol')}/pgdata`, 0, createLogger('fatal', false));
    url = embedded.url;
    stopEmbedded = () => embedded.stop();
  }
  client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('CREATE TEMP TABLE plates (plate text PRIMARY KEY)');
});

afterAll(async () => {
  await client?.end();
  await stopEmbedded?.();
});

const value = async (i: number) => (await client.query<{ v: number }>('SELECT $1::int AS v', [i])).rows[0]?.v;

describe('the database connection after errors', () => {
  it('answers each query with its own rows after errors at parse, bind and execute, in and out of transactions', async () => {
    const failing: Array<[string, unknown[]]> = [
      ['SELECT * FROM no_such_table WHERE a = $1', [1]], // parse
      ['SELECT $1::int AS v', ['not a number']], // bind
      ['INSERT INTO plates VALUES ($1), ($1)', ['B-1']], // execute
    ];
    for (let i = 0; i < 30; i++) {
      const [sql, params] = failing[i % failing.length]!;
      const inTransaction = i % 2 === 0;
      if (inTransaction) await client.query('BEGIN');
      await expect(client.query(sql, params)).rejects.toThrow();
      if (inTransaction) await client.query('ROLLBACK');
      expect(await value(i)).toBe(i);
      expect(await value(i + 1000)).toBe(i + 1000);
    }
    expect((await client.query('SELECT count(*)::int AS n FROM plates')).rows).toEqual([{ n: 0 }]);
  });
});
