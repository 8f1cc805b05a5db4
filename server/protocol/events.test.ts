import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { actorSchema, EVENT_CATALOGUE, EVENT_TYPES } from './events';

/** docs/events.md: one `### \`type\`` section per event type, each with one JSON example. */
function documentedExamples(): Map<string, { aggregate: { type: string }; actor: unknown; data: unknown }> {
  const doc = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
  const examples = new Map();
  for (const match of doc.matchAll(/^### `([a-z_.]+)`\n\n```json\n([\s\S]*?)\n```/gm)) examples.set(match[1], JSON.parse(match[2]!));
  return examples;
}

describe('the event catalogue and its documentation', () => {
  const examples = documentedExamples();

  it('documents every type, and only types that exist', () => {
    expect([...examples.keys()].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it.each(EVENT_TYPES)('%s: the documented example fits its schema, aggregate and actor', (type) => {
    const example = examples.get(type)!;
    const entry = EVENT_CATALOGUE[type];
    expect(example.aggregate.type).toBe(entry.aggregate);
    expect(actorSchema.safeParse(example.actor).success).toBe(true);
    const parsed = entry.data.safeParse(example.data);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });
});
