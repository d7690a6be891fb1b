// The provision:* channels through main's IPC handler: schemas refuse what the wizard must not
// send, and the shells' fake walks the wizard's steps (what the renderer's tests drive).
import { describe, expect, it } from 'vitest';
import { provisionStateSchema } from '../../common/ipc/provision-view.js';
import { handleIpcRequest } from '../ipc/handle-request.js';
import { moduleLogger } from '../log.js';
import { createFakeKioskCore } from '../testing/fake-kiosk-core.js';

const logger = moduleLogger('test');

describe('provision channels', () => {
  it('refuse malformed requests before they reach the service', () => {
    const core = createFakeKioskCore();
    expect(handleIpcRequest(core, 'provision:enrol', { text: '' }, logger)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(handleIpcRequest(core, 'provision:confirm-fingerprint', { answer: 'yes' }, logger)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(handleIpcRequest(core, 'provision:confirm-fingerprint', { answer: 'match', fingerprint: 'zz' }, logger)).toMatchObject({ ok: false });
    expect(handleIpcRequest(core, 'provision:factory-reset', { pin: 'abcd', token: 't' }, logger)).toMatchObject({ ok: false });
    expect(handleIpcRequest(core, 'provision:state', { extra: 1 }, logger)).toMatchObject({ ok: false });
  });

  it('walk the wizard on the fake: ticket, fingerprint, self-test, ready, reset', () => {
    const core = createFakeKioskCore();
    const call = (channel: Parameters<typeof handleIpcRequest>[1], request: unknown): unknown => {
      const result = handleIpcRequest(core, channel, request, logger);
      if (!result.ok) throw new Error(result.error.message);
      return result.value;
    };
    expect(provisionStateSchema.parse(call('provision:state', {}))).toMatchObject({ step: 'unprovisioned', demo: true });
    expect(call('provision:enrol', { text: 'not a ticket' })).toMatchObject({ step: 'unprovisioned', error: { code: 'ticket_unreadable' } });
    expect(call('provision:enrol', { text: '{"token_used":1}' })).toMatchObject({ error: { code: 'token_used' } });
    const enrolled = provisionStateSchema.parse(call('provision:enrol', { text: '{"v":1}' }));
    expect(enrolled).toMatchObject({ step: 'awaiting_fingerprint', error: null });
    expect(enrolled.rootFingerprint).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){15}$/);
    expect(call('provision:confirm-fingerprint', { answer: 'match' })).toMatchObject({ step: 'self_test' });
    expect(call('provision:finish', {})).toMatchObject({ step: 'self_test', error: { code: 'no_scanner' } });
    expect(call('provision:finish', { skipScanners: true })).toMatchObject({ step: 'ready', demo: false });
    const token = call('provision:reset-prepare', {}) as { token: string };
    expect(call('provision:factory-reset', { pin: '000000', token: token.token })).toMatchObject({ result: 'refused', code: 'wrong_pin' });
    expect(call('provision:factory-reset', { pin: '123456', token: token.token })).toMatchObject({ result: 'wiped', state: { step: 'unprovisioned' } });
  });
});
