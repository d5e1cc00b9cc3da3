// The client an integrator generates from the contract (openapi-typescript types + openapi-fetch)
// type-checks on its own and drives a whole flow against a real listening server, so the document
// integrators read is the contract the server keeps.
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CtiPush } from '../../shared/contract/central-api';
import type { CentralApi } from '../../server/app';
import { DEMO_PASSWORD } from '../../server/seed/demo-users';
import { collectMessages, openSocket } from '../server/support/cti-client';
import { TEST_CTI_KEY, login, startTestApi } from '../server/support/test-api';
import { runIntegratorFlow } from './support/integrator-flow';

const FLOW_FILE = fileURLToPath(new URL('./support/integrator-flow.ts', import.meta.url));
const TSCONFIG = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));

let api: CentralApi;
let baseUrl: string;

beforeAll(async () => {
  api = await startTestApi({ seedCustomers: 20 });
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
});
afterAll(() => api?.close());

describe('a client generated from the OpenAPI document', () => {
  it('type-checks on its own, the generated types included', () => {
    const config = ts.getParsedCommandLineOfConfigFile(TSCONFIG, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    if (config === undefined) throw new Error(`cannot read ${TSCONFIG}`);
    // skipLibCheck would pass over the generated .d.ts; only these two files are reported, so the libraries' own .d.ts do not matter.
    const program = ts.createProgram([FLOW_FILE], { ...config.options, noEmit: true, skipLibCheck: false });
    const checked = program.getSourceFiles().filter((f) => f.fileName === FLOW_FILE || f.fileName.endsWith('clients/central-api/schema.d.ts'));
    expect(checked).toHaveLength(2);
    const diagnostics = [
      ...program.getOptionsDiagnostics(),
      ...checked.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
    ];
    expect(diagnostics.map((d) => `${d.file?.fileName ?? ''} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)).toEqual([]);
  }, 120_000);

  it('logs in, pulls the change feed, uploads an outcome and pushes a call the agent receives', async () => {
    const agentSocket = await openSocket(baseUrl, { protocolToken: await login(api.app, 'agent01') });
    const pushes = collectMessages(agentSocket);
    const firstPush = new Promise<void>((resolve) => agentSocket.once('message', () => resolve()));
    try {
      const deviceId = `integrator-${uuidv7()}`;
      const outcomeId = uuidv7();
      const result = await runIntegratorFlow({
        baseUrl,
        username: 'agent01',
        password: DEMO_PASSWORD,
        ctiKey: TEST_CTI_KEY,
        deviceId,
        outcomeId,
        recordedAt: new Date().toISOString(),
      });

      expect(result.user).toMatchObject({ id: 'agent01', role: 'agent' });
      expect(result.changesRead).toBeGreaterThan(0);
      expect(result.outcomes).toEqual({ results: [{ outcomeId, status: 'accepted' }], lastAppliedClientSeq: 1 });
      expect(result.cti).toEqual({ status: 202, accepted: true });

      await firstPush;
      const push = CtiPush.parse(JSON.parse(pushes[0] ?? ''));
      expect(push.event).toEqual({ callId: `integrator-${outcomeId}`, ani: `+86${result.customer.phone}`, agentId: 'agent01', event: 'offered' });

      const [stored] = await api.db.query<{ offer_id: string; customer_id: string }>('SELECT offer_id, customer_id FROM outcomes WHERE outcome_id = $1', [
        outcomeId,
      ]);
      expect(stored).toEqual({ offer_id: result.offer.id, customer_id: result.customer.id });
    } finally {
      agentSocket.close();
    }
  });

  it('reads a refusal as the documented ApiError', async () => {
    await expect(
      runIntegratorFlow({
        baseUrl,
        username: 'agent01',
        password: 'not-the-password',
        ctiKey: TEST_CTI_KEY,
        deviceId: 'd',
        outcomeId: uuidv7(),
        recordedAt: new Date().toISOString(),
      }),
    ).rejects.toThrow('POST /auth/login answered 401: Unknown username or wrong password');
  });
});
