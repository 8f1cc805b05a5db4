import { describe, expect, it } from 'vitest';
import { webhookCreate, webhookPatch } from './webhooks';

const issue = (input: unknown) => {
  const result = webhookCreate.safeParse(input);
  return result.success ? null : { path: result.error.issues[0]!.path.join('.'), message: result.error.issues[0]!.message };
};

describe('webhook bodies', () => {
  it('takes an http(s) URL with defaults for the rest', () => {
    expect(webhookCreate.parse({ url: ' https://example.com/hook ' })).toEqual({ url: 'https://example.com/hook', types: [], active: true, description: '' });
  });

  it('refuses URLs that are not absolute http(s)', () => {
    expect(issue({ url: 'ftp://example.com/x' })).toEqual({ path: 'url', message: 'must use http or https, not ftp' });
    expect(issue({ url: 'example.com/hook' })?.path).toBe('url');
    expect(issue({ url: 'javascript:alert(1)' })?.path).toBe('url');
    expect(issue({})?.path).toBe('url');
  });

  it('takes known types and prefixes, and names the unknown one', () => {
    expect(webhookCreate.parse({ url: 'http://x.example', types: ['vehicle.created', 'geofence.*', 'vehicle.created'] }).types).toEqual(['vehicle.created', 'geofence.*']);
    expect(issue({ url: 'http://x.example', types: ['vehicle.created', 'vehicle.exploded'] })).toEqual({ path: 'types.1', message: expect.stringContaining('unknown event type "vehicle.exploded"') });
    expect(issue({ url: 'http://x.example', types: ['nothing.*'] })?.path).toBe('types.0');
    expect(issue({ url: 'http://x.example', types: ['a,b'] })?.path).toBe('types.0');
    expect(issue({ url: 'http://x.example', types: 'vehicle.created' })?.path).toBe('types');
  });

  it('refuses unknown fields, so a typo is not silently ignored', () => {
    expect(issue({ url: 'http://x.example', secret: 'mine' })?.message).toMatch(/secret/);
    expect(webhookPatch.safeParse({ actve: false }).success).toBe(false);
    expect(webhookPatch.parse({ active: false })).toEqual({ active: false });
  });
});
