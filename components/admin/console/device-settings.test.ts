import { describe, expect, it } from 'vitest';
import { deviceSettings } from './device-settings';

describe('deviceSettings', () => {
  const [traccar, osmand, owntracks] = deviceSettings('https://fleet.example.com/', 'van-12', 'tok_en+/=');

  it('points Traccar Client at the OsmAnd endpoint with the device token as identifier', () => {
    expect(traccar!.fields).toContainEqual({ label: 'Server URL', value: 'https://fleet.example.com/api/v1/osmand' });
    expect(traccar!.fields).toContainEqual({ label: 'Device identifier', value: 'tok_en+/=' });
    expect(traccar!.qr).toBe('https://fleet.example.com/api/v1/osmand?id=tok_en%2B%2F%3D');
  });

  it("gives OsmAnd a web address with the token (escaped) and OsmAnd's placeholders", () => {
    const url = osmand!.fields[0]!.value;
    expect(url.startsWith('https://fleet.example.com/api/v1/osmand?id=tok_en%2B%2F%3D&lat={0}&lon={1}&timestamp={2}')).toBe(true);
    expect(osmand!.qr).toBe(url);
  });

  it('configures OwnTracks over HTTP with the device id as user and the token as password, also as an inline config link', () => {
    expect(owntracks!.fields).toContainEqual({ label: 'User ID', value: 'van-12' });
    expect(owntracks!.fields).toContainEqual({ label: 'Password', value: 'tok_en+/=' });
    const inline = owntracks!.qr.replace('owntracks:///config?inline=', '');
    const config = JSON.parse(Buffer.from(inline, 'base64').toString('utf8'));
    expect(config).toMatchObject({ _type: 'configuration', mode: 3, url: 'https://fleet.example.com/api/v1/owntracks', auth: true, username: 'van-12', password: 'tok_en+/=' });
  });
});
