// A tiny CTI platform and desk for the tests: POST call events, hold agent WebSockets.
import WebSocket from 'ws';
import type { CtiCallEvent } from '../../../shared/contract/central-api';

export function postCall(baseUrl: string, ctiKey: string | undefined, event: CtiCallEvent): Promise<Response> {
  return fetch(`${baseUrl}/cti/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(ctiKey === undefined ? {} : { 'x-cti-key': ctiKey }) },
    body: JSON.stringify(event),
  });
}

/** Opens /cti/stream with the token either as `bearer.<token>` subprotocol or as `?token=`. */
export function openSocket(baseUrl: string, auth: { protocolToken: string } | { queryToken: string }): Promise<WebSocket> {
  const url = `${baseUrl.replace(/^http/, 'ws')}/cti/stream`;
  const socket =
    'protocolToken' in auth ? new WebSocket(url, [`bearer.${auth.protocolToken}`]) : new WebSocket(`${url}?token=${encodeURIComponent(auth.queryToken)}`);
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

export function collectMessages(socket: WebSocket): string[] {
  const messages: string[] = [];
  socket.on('message', (data) => messages.push(String(data)));
  return messages;
}

/** The HTTP status with which the server refused the upgrade. */
export function rejectedStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => reject(new Error('the WebSocket was accepted')));
    socket.once('error', () => undefined);
  });
}
