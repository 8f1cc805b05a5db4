import { io, type Socket } from 'socket.io-client';
import type { PositionInput, PositionsAck } from '@/server/protocol/position';
import type { AckTransport } from './uploader';
import { renewOrEnd, socketAuth } from '@/components/session';

/** How long a batch may wait for its acknowledgement before it is sent again. */
const ACK_TIMEOUT_MS = 15_000;

export type LinkState =
  /** The phone has no network: fixes are kept on the phone. */
  | { phase: 'offline' }
  | { phase: 'connecting' }
  | { phase: 'online' }
  /** The network is there but the server is not answering; Socket.IO keeps trying. */
  | { phase: 'unreachable'; message: string }
  /** The token expired or was revoked: only a new sign-in helps. */
  | { phase: 'unauthorized'; message: string }
  /** This account may not send positions. */
  | { phase: 'forbidden'; message: string };

type ConnectError = Error & { data?: { message?: string } };

/**
 * The /driver socket with the user's token. Follows the browser's online/offline events so a
 * dead zone shows at once (not after a ping timeout) and the queue replays the moment the
 * network is back.
 */
export class DriverLink implements AckTransport {
  private readonly socket: Socket;

  constructor(
    token: string,
    private readonly onState: (state: LinkState) => void,
    private readonly onConnected: () => void,
  ) {
    // The current session token on every (re)connection: refreshed tokens are picked up.
    this.socket = io('/driver', { auth: socketAuth(token), autoConnect: false, reconnectionDelayMax: 10_000 });
    this.socket.on('connect', () => {
      this.onState({ phase: 'online' });
      this.onConnected();
    });
    this.socket.on('connect_error', (error: ConnectError) => {
      const message = error.data?.message ?? error.message;
      if (error.message === 'UNAUTHORIZED') {
        this.onState({ phase: 'unauthorized', message });
        // An expired access token: renew it and connect again (or sign in again).
        void renewOrEnd().then((renewed) => renewed && this.socket.connect());
      }
      else if (error.message === 'FORBIDDEN') this.onState({ phase: 'forbidden', message });
      else if (!navigator.onLine) this.onState({ phase: 'offline' });
      else this.onState({ phase: 'unreachable', message: 'The GeoFleet server cannot be reached.' });
    });
    this.socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') return;
      this.onState(navigator.onLine ? { phase: 'connecting' } : { phase: 'offline' });
      // The server closed this session on purpose (e.g. it restarts): Socket.IO does not retry that by itself.
      if (reason === 'io server disconnect') this.socket.connect();
    });
    window.addEventListener('online', this.goOnline);
    window.addEventListener('offline', this.goOffline);
  }

  start(): void {
    if (navigator.onLine) this.goOnline();
    else this.goOffline();
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  send(batch: PositionInput[]): Promise<PositionsAck> {
    return this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('positions', batch) as Promise<PositionsAck>;
  }

  close(): void {
    window.removeEventListener('online', this.goOnline);
    window.removeEventListener('offline', this.goOffline);
    this.socket.disconnect();
  }

  private readonly goOnline = () => {
    if (this.socket.connected) return;
    this.onState({ phase: 'connecting' });
    this.socket.connect();
  };

  private readonly goOffline = () => {
    this.socket.disconnect();
    this.onState({ phase: 'offline' });
  };
}
