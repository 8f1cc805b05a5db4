/**
 * What to type (or scan) into a phone tracking app so it reports as one vehicle: pure, from the
 * server's address, the vehicle's device identifier and its device token.
 */
export interface DeviceSettings {
  client: 'traccar' | 'osmand' | 'owntracks';
  label: string;
  /** Step by step, each with the exact value to enter. */
  fields: Array<{ label: string; value: string }>;
  /** What the QR code holds. */
  qr: string;
  note: string;
}

export function deviceSettings(origin: string, deviceId: string, deviceToken: string): DeviceSettings[] {
  const base = origin.replace(/\/+$/, '');
  const osmand = `${base}/api/v1/osmand`;
  const owntracks = `${base}/api/v1/owntracks`;
  const template = `${osmand}?id=${encodeURIComponent(deviceToken)}&lat={0}&lon={1}&timestamp={2}&hdop={3}&altitude={4}&speed={5}`;
  const ownTracksConfig = {
    _type: 'configuration',
    mode: 3, // HTTP
    url: owntracks,
    auth: true,
    username: deviceId,
    password: deviceToken,
    deviceId,
    tid: deviceId.slice(-2).toUpperCase(),
  };
  return [
    {
      client: 'traccar',
      label: 'Traccar Client',
      fields: [
        { label: 'Server URL', value: osmand },
        { label: 'Device identifier', value: deviceToken },
        { label: 'Location accuracy', value: 'High' },
      ],
      qr: `${osmand}?id=${encodeURIComponent(deviceToken)}`,
      note: 'Settings → Server URL and Device identifier, then turn on Service status. The device token is the identifier: it cannot be guessed, unlike the device id.',
    },
    {
      client: 'osmand',
      label: 'OsmAnd',
      fields: [
        { label: 'Online tracking web address', value: template },
        { label: 'Tracking interval', value: '5 seconds' },
      ],
      qr: template,
      note: 'Plugins → Trip recording → Online tracking: paste the web address (it carries the device token), then start Online tracking.',
    },
    {
      client: 'owntracks',
      label: 'OwnTracks',
      fields: [
        { label: 'Mode', value: 'HTTP' },
        { label: 'URL', value: owntracks },
        { label: 'Authentication', value: 'on' },
        { label: 'User ID', value: deviceId },
        { label: 'Password', value: deviceToken },
        { label: 'Device ID', value: deviceId },
      ],
      qr: `owntracks:///config?inline=${base64(JSON.stringify(ownTracksConfig))}`,
      note: 'Preferences → Connection. Scanning the code with the phone camera opens OwnTracks with these settings filled in.',
    },
  ];
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
