// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDeskClient } from './fake-desk-client';
import { AGENT_SESSION, knownCard, SYNC_ONLINE } from './fixtures';
import { renderDesk } from './render-desk';

afterEach(cleanup);

function agentClient() {
  return new FakeDeskClient({
    'session/current': () => AGENT_SESSION,
    'sync/status': () => SYNC_ONLINE,
    'card/byPhone': () => knownCard(),
  });
}

async function lookUp(phone: string) {
  const input = await screen.findByTestId('lookup-input');
  fireEvent.change(input, { target: { value: phone } });
  fireEvent.submit(input.closest('form')!);
  return input as HTMLInputElement;
}

describe('number lookup', () => {
  it('refuses input that is not a mobile number with a message, keeps what was typed and opens no card', async () => {
    const client = agentClient();
    renderDesk(client, { language: 'en' });
    for (const typed of ['abc-123', '13']) {
      const input = await lookUp(typed);
      expect((await screen.findByTestId('lookup-refused')).textContent).toContain('11-digit mobile number');
      expect(input.value).toBe(typed);
      expect(input.getAttribute('aria-invalid')).toBe('true');
    }
    expect(client.callsTo('card/byPhone')).toEqual([]);
    expect(screen.queryByTestId('card')).toBeNull();
    // Typing again clears the message.
    fireEvent.change(screen.getByTestId('lookup-input'), { target: { value: '138' } });
    expect(screen.queryByTestId('lookup-refused')).toBeNull();
  });

  it('looks a mobile number up, however it is written', async () => {
    const client = agentClient();
    renderDesk(client);
    await lookUp('+86 138 0013 8000');
    await screen.findByTestId('card');
    expect(screen.queryByTestId('lookup-refused')).toBeNull();
    expect(client.callsTo('card/byPhone')).toEqual([{ phone: '+86 138 0013 8000', callId: null, purpose: 'lookup' }]);
  });
});
