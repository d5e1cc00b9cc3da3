// An in-process central API honouring shared/contract/central-api.ts and the desk's routes of
// shared/contract/reports.ts, for sync tests. It keeps a change log, stores outcomes and card-view
// audit rows idempotently, serves a set outbound queue and reports, pushes CTI events, and
// injects faults: 5xx answers, a dropped response AFTER a batch committed, and going down entirely.
// Scoring: serves a settable bundle with ETag = version (304 to a matching If-None-Match, 404
// when none is set); customer events are stored once per eventId and folded into the customer
// row as a new change, whose seq is the appliedAtSeq (re-scored first when `rescore` is given).
// Login: the username's prefix gives the role (sup…: supervisor, admin…: admin, store…: store, else agent).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  LoginRequest,
  OutcomeBatchRequest,
  SyncChangesQuery,
  type CtiCallEvent,
  type OutcomeItemResult,
  type StoredOutcome,
  type SyncChange,
} from '../../../shared/contract/central-api';
import { withCustomerEvents } from '../../../shared/analytics/rescore-customer';
import { CustomerEventBatchRequest, type CustomerEvent, type CustomerEventResult } from '../../../shared/contract/customer-events';
import { InteractionDiscardBatch, type InteractionDiscard } from '../../../shared/contract/interaction-audit';
import type { ContactHistory, Customer, CustomerScore, CustomerUsage, Offer, OfferStats, SyncEntity } from '../../../shared/contract/entities';
import { ReportQuery, type OutcomeReport, type RetentionReport } from '../../../shared/contract/supervisor-reports';
import { type OutboundCandidate } from '../../../shared/contract/outbound-queue';
import { CardViewAuditBatch, type CardViewAudit } from '../../../shared/contract/card-view-audit';

type EntityData = { customer: Customer; score: CustomerScore; offer: Offer; offer_stats: OfferStats; contact_history: ContactHistory; usage: CustomerUsage };
export interface MirrorRow {
  version: number;
  data: unknown;
}

export interface MockCentralApi {
  url: string;
  /** Server-side write: bumps the row's version and appends to the change log. */
  put<E extends SyncEntity>(entity: E, data: EntityData[E]): void;
  remove(entity: SyncEntity, id: string): void;
  /** The rows a client that applied the log up to `cursor` must hold, keyed `entity:id`. */
  rowsAt(cursor: number): Map<string, MirrorRow>;
  headSeq(): number;
  /** Outcome ids in the order the server first committed them (a duplicate never appears twice). */
  committedOutcomeIds(): string[];
  storedOutcome(id: string): StoredOutcome | undefined;
  /** Card-view audit rows in the order the server first stored them (a resent viewId never appears twice). */
  auditViews(): CardViewAudit[];
  discards(): InteractionDiscard[];
  /** The bundle GET /scoring/bundle serves (any JSON, so a test can serve a bad one; null: 404). */
  setScoringBundle(bundle: ({ version: number } & Record<string, unknown>) | null): void;
  /** Customer events in the order the server first stored them (a resent eventId never appears twice). */
  storedEvents(): CustomerEvent[];
  /** The outbound candidates GET /outbound/queue answers with. */
  setOutboundCandidates(candidates: OutboundCandidate[]): void;
  /** Report queries the server answered, in order. */
  reportRequests: { path: string; query: ReportQuery; role: string }[];
  stats: {
    batches: number;
    duplicates: number;
    rejected: number;
    changeRequests: number;
    auditBatches: number;
    auditDuplicates: number;
    eventBatches: number;
    eventDuplicates: number;
    bundleRequests: number;
    bundleNotModified: number;
  };
  faults: {
    /** The next n requests (any route but login) answer this status. */
    failNext(n: number, status?: number): void;
    /** The next n outcome batches commit, then the connection is cut before the answer. */
    dropBatchResponsesAfterCommit(n: number): void;
    /** The next n audit batches commit, then the connection is cut before the answer. */
    dropAuditResponsesAfterCommit(n: number): void;
    /** The next n customer-event batches commit, then the connection is cut before the answer. */
    dropEventResponsesAfterCommit(n: number): void;
    /** Down: every connection is reset, like a central API that is not there. */
    setDown(down: boolean): void;
  };
  pushCall(event: CtiCallEvent): number;
  close(): Promise<void>;
}

const keyOf = (entity: SyncEntity, id: string) => `${entity}:${id}`;
function idOf<E extends SyncEntity>(entity: E, data: EntityData[E]): string {
  if (entity === 'score') return (data as CustomerScore).customerId;
  if (entity === 'offer_stats') return (data as OfferStats).offerId;
  if (entity === 'contact_history') return (data as ContactHistory).customerId;
  return (data as Customer | Offer).id;
}

const roleOf = (username: string) =>
  username.startsWith('sup') ? 'supervisor' : username.startsWith('admin') ? 'admin' : username.startsWith('store') ? 'store' : 'agent';

const reportQueryOf = (query: ReportQuery) => ({ from: query.from, to: query.to, team: query.team ?? null });

function retentionReport(query: ReportQuery): RetentionReport {
  const rate = { numerator: 0, denominator: 0, rate: null };
  const group = { customers: 0, churned: 0, churnRate: null };
  return {
    query: reportQueryOf(query),
    generatedAt: new Date().toISOString(),
    kpis: {
      atRiskContacted: 3,
      saveRate: rate,
      presentationRate: rate,
      acceptanceRate: rate,
      retainedRevenue: 0,
      expectedMonthsKept: 12,
      averageHandleSeconds: null,
      contacts: 7,
    },
    trend: [],
    uplift: { contacted: group, notContacted: group, uplift: null },
    programmes: [],
    experiments: [],
    offerNames: {},
  };
}

const outcomeReport = (query: ReportQuery): OutcomeReport => ({
  query: reportQueryOf(query),
  generatedAt: new Date().toISOString(),
  rows: [],
  truncated: false,
  offerNames: {},
});

export interface MockCentralApiOptions {
  password?: string;
  /** The server's re-score of a customer an event changed; without it the score row is left alone. */
  rescore?: (customer: Customer) => Omit<CustomerScore, 'version'>;
}

export async function startMockCentralApi(options: MockCentralApiOptions = {}): Promise<MockCentralApi> {
  const password = options.password ?? 'secret';
  const log: SyncChange[] = [];
  const versions = new Map<string, number>();
  const outcomes = new Map<string, StoredOutcome>();
  const committedIds: string[] = [];
  const lastAppliedByDevice = new Map<string, number>();
  const tokens = new Map<string, { agentId: string; role: string }>();
  const audit = new Map<string, CardViewAudit>();
  const discards = new Map<string, InteractionDiscard>();
  let outboundCandidates: OutboundCandidate[] = [];
  const reportRequests: MockCentralApi['reportRequests'] = [];
  let auditDropsAfterCommit = 0;
  const sockets = new Map<WebSocket, string>(); // CTI socket -> agent id
  const stats = {
    batches: 0,
    duplicates: 0,
    rejected: 0,
    changeRequests: 0,
    auditBatches: 0,
    auditDuplicates: 0,
    eventBatches: 0,
    eventDuplicates: 0,
    bundleRequests: 0,
    bundleNotModified: 0,
  };
  let scoringBundle: { version: number } | null = null;
  const events = new Map<string, { event: CustomerEvent; appliedAtSeq: number }>();
  let eventDropsAfterCommit = 0;
  let failures: { left: number; status: number } = { left: 0, status: 500 };
  let dropsAfterCommit = 0;
  let down = false;
  let tokenCounter = 0;
  const openSockets = new Set<Socket>();

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const apiError = (res: ServerResponse, status: number, error: string, message: string) => send(res, status, { error, message });

  const readBody = async (req: IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return undefined;
    }
  };

  const userFor = (req: IncomingMessage): { agentId: string; role: string } | null => {
    const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    return match?.[1] === undefined ? null : (tokens.get(match[1]) ?? null);
  };

  function commitBatch(body: OutcomeBatchRequest, agentId: string): { results: OutcomeItemResult[]; lastAppliedClientSeq: number } {
    stats.batches += 1;
    const results = body.items.map((item): OutcomeItemResult => {
      if (outcomes.has(item.outcomeId)) {
        stats.duplicates += 1;
        return { outcomeId: item.outcomeId, status: 'duplicate' };
      }
      if (item.draft.note.startsWith('REJECT')) {
        stats.rejected += 1;
        return { outcomeId: item.outcomeId, status: 'rejected', code: 'invalid_note', message: 'the note was refused by policy' };
      }
      if (item.agentId !== agentId) {
        return { outcomeId: item.outcomeId, status: 'rejected', code: 'agent_mismatch', message: 'outcome of another agent' };
      }
      outcomes.set(item.outcomeId, { ...item, serverSeq: outcomes.size + 1, receivedAt: new Date().toISOString() });
      committedIds.push(item.outcomeId);
      lastAppliedByDevice.set(body.deviceId, Math.max(lastAppliedByDevice.get(body.deviceId) ?? 0, item.clientSeq));
      return { outcomeId: item.outcomeId, status: 'accepted' };
    });
    return { results, lastAppliedClientSeq: lastAppliedByDevice.get(body.deviceId) ?? 0 };
  }

  function putChange<E extends SyncEntity>(entity: E, data: EntityData[E]): number {
    const id = idOf(entity, data);
    const version = (versions.get(keyOf(entity, id)) ?? 0) + 1;
    versions.set(keyOf(entity, id), version);
    const seq = log.length + 1;
    log.push({ seq, op: 'upsert', entity, id, version, data: { ...data, version } } as SyncChange);
    return seq;
  }

  const currentCustomer = (id: string): Customer | undefined => {
    const change = log.findLast((c) => c.entity === 'customer' && c.id === id);
    return change?.op === 'upsert' ? (change.data as Customer) : undefined;
  };

  function commitEvents(body: CustomerEventBatchRequest, agentId: string): CustomerEventResult[] {
    stats.eventBatches += 1;
    return body.items.map((item): CustomerEventResult => {
      const stored = events.get(item.eventId);
      if (stored !== undefined) {
        stats.eventDuplicates += 1;
        return { eventId: item.eventId, status: 'duplicate', appliedAtSeq: stored.appliedAtSeq };
      }
      const customer = currentCustomer(item.draft.customerId);
      if (item.draft.note.startsWith('REJECT') || customer === undefined || item.agentId !== agentId) {
        return { eventId: item.eventId, status: 'rejected', code: 'refused', message: 'the event was refused by policy' };
      }
      const changed = withCustomerEvents(customer, [item.draft.kind]);
      if (options.rescore !== undefined) putChange('score', { ...options.rescore(changed), version: 0 });
      const appliedAtSeq = putChange('customer', changed);
      events.set(item.eventId, { event: item, appliedAtSeq });
      return { eventId: item.eventId, status: 'accepted', appliedAtSeq };
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mock');
    if (req.method === 'POST' && url.pathname === '/auth/login') {
      const body = LoginRequest.safeParse(await readBody(req));
      if (!body.success || body.data.password !== password) return apiError(res, 401, 'unauthenticated', 'invalid credentials');
      const token = `tok-${++tokenCounter}-${body.data.username}`;
      const agentId = `agent-${body.data.username}`;
      const role = roleOf(body.data.username);
      tokens.set(token, { agentId, role });
      return send(res, 200, {
        token,
        expiresAt: new Date(Date.now() + 8 * 3600_000).toISOString(),
        user: { id: agentId, role, displayName: body.data.username, team: role === 'admin' ? null : 'T1' },
      });
    }
    if (failures.left > 0) {
      failures.left -= 1;
      return apiError(res, failures.status, 'injected', `injected failure ${failures.status}`);
    }
    const user = userFor(req);
    if (user === null) return apiError(res, 401, 'unauthenticated', 'missing or unknown token');
    const { agentId } = user;

    if (req.method === 'GET' && url.pathname === '/sync/changes') {
      stats.changeRequests += 1;
      const query = SyncChangesQuery.parse(Object.fromEntries(url.searchParams));
      const after = log.filter((c) => c.seq > query.after);
      const changes = after.slice(0, query.limit);
      return send(res, 200, {
        changes,
        nextCursor: changes.at(-1)?.seq ?? query.after,
        hasMore: after.length > changes.length,
      });
    }
    if (req.method === 'POST' && url.pathname === '/outcomes/batch') {
      const body = OutcomeBatchRequest.safeParse(await readBody(req));
      if (!body.success) return apiError(res, 400, 'bad_request', body.error.message);
      const answer = commitBatch(body.data, agentId);
      if (dropsAfterCommit > 0) {
        dropsAfterCommit -= 1;
        req.socket.destroy(); // committed, but the desk never hears about it
        return;
      }
      return send(res, 200, answer);
    }
    if (req.method === 'POST' && url.pathname === '/audit/interaction-discards') {
      const body = InteractionDiscardBatch.safeParse(await readBody(req));
      if (!body.success) return apiError(res, 400, 'bad_request', body.error.message);
      if (body.data.items.some((item) => item.agentId !== agentId)) return apiError(res, 403, 'forbidden', 'discards of another agent');
      const before = discards.size;
      for (const item of body.data.items) discards.set(item.discardId, item);
      return send(res, 200, { stored: discards.size - before, duplicates: body.data.items.length - (discards.size - before) });
    }
    if (req.method === 'POST' && url.pathname === '/audit/card-views') {
      const body = CardViewAuditBatch.safeParse(await readBody(req));
      if (!body.success) return apiError(res, 400, 'bad_request', body.error.message);
      if (body.data.items.some((item) => item.agentId !== agentId)) return apiError(res, 403, 'forbidden', 'audit rows of another agent');
      stats.auditBatches += 1;
      let stored = 0;
      for (const item of body.data.items) {
        if (audit.has(item.viewId)) stats.auditDuplicates += 1;
        else {
          audit.set(item.viewId, item);
          stored += 1;
        }
      }
      if (auditDropsAfterCommit > 0) {
        auditDropsAfterCommit -= 1;
        req.socket.destroy();
        return;
      }
      return send(res, 200, { stored, duplicates: body.data.items.length - stored });
    }
    if (req.method === 'GET' && url.pathname === '/scoring/bundle') {
      stats.bundleRequests += 1;
      if (scoringBundle === null) return apiError(res, 404, 'not_scored', 'the book has not been scored');
      const etag = `"${scoringBundle.version}"`;
      if (req.headers['if-none-match'] === etag) {
        stats.bundleNotModified += 1;
        res.writeHead(304, { etag });
        return void res.end();
      }
      res.writeHead(200, { 'content-type': 'application/json', etag });
      return void res.end(JSON.stringify(scoringBundle));
    }
    if (req.method === 'POST' && url.pathname === '/customer-events/batch') {
      const body = CustomerEventBatchRequest.safeParse(await readBody(req));
      if (!body.success) return apiError(res, 400, 'bad_request', body.error.message);
      const results = commitEvents(body.data, agentId);
      if (eventDropsAfterCommit > 0) {
        eventDropsAfterCommit -= 1;
        req.socket.destroy();
        return;
      }
      return send(res, 200, { results });
    }
    if (req.method === 'GET' && url.pathname === '/outbound/queue') {
      return send(res, 200, { generatedAt: new Date().toISOString(), candidates: outboundCandidates });
    }
    if (req.method === 'GET' && (url.pathname === '/reports/retention' || url.pathname === '/reports/outcomes')) {
      if (user.role !== 'supervisor' && user.role !== 'admin') return apiError(res, 403, 'forbidden', 'supervisors and admins only');
      const query = ReportQuery.safeParse(Object.fromEntries(url.searchParams));
      if (!query.success) return apiError(res, 400, 'bad_request', query.error.message);
      reportRequests.push({ path: url.pathname, query: query.data, role: user.role });
      return send(res, 200, url.pathname === '/reports/retention' ? retentionReport(query.data) : outcomeReport(query.data));
    }
    return apiError(res, 404, 'not_found', 'no such route');
  }

  const server = createServer((req, res) => {
    if (down) return void req.socket.destroy();
    handle(req, res).catch(() => apiError(res, 500, 'internal', 'mock failed'));
  });
  server.on('connection', (socket) => {
    openSockets.add(socket);
    socket.on('close', () => openSockets.delete(socket));
  });

  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => [...protocols].find((p) => p.startsWith('bearer.')) ?? false,
  });
  server.on('upgrade', (req, socket, head) => {
    const protocol = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .find((p) => p.startsWith('bearer.'));
    const agentId = protocol === undefined ? undefined : tokens.get(protocol.slice('bearer.'.length))?.agentId;
    if (down || new URL(req.url ?? '/', 'http://mock').pathname !== '/cti/stream' || agentId === undefined) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return void socket.destroy();
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.set(ws, agentId);
      ws.on('close', () => sockets.delete(ws));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    put(entity, data) {
      putChange(entity, data);
    },
    remove(entity, id) {
      const version = (versions.get(keyOf(entity, id)) ?? 0) + 1;
      versions.set(keyOf(entity, id), version);
      log.push({ seq: log.length + 1, op: 'delete', entity, id, version });
    },
    rowsAt(cursor) {
      const rows = new Map<string, MirrorRow>();
      for (const change of log) {
        if (change.seq > cursor) break;
        if (change.op === 'delete') rows.delete(keyOf(change.entity, change.id));
        else rows.set(keyOf(change.entity, change.id), { version: change.version, data: change.data });
      }
      return rows;
    },
    headSeq: () => log.length,
    committedOutcomeIds: () => [...committedIds],
    storedOutcome: (id) => outcomes.get(id),
    auditViews: () => [...audit.values()],
    discards: () => [...discards.values()],
    setScoringBundle(bundle) {
      scoringBundle = bundle;
    },
    storedEvents: () => [...events.values()].map((e) => e.event),
    setOutboundCandidates(candidates) {
      outboundCandidates = candidates;
    },
    reportRequests,
    stats,
    faults: {
      failNext(n, status = 500) {
        failures = { left: n, status };
      },
      dropBatchResponsesAfterCommit(n) {
        dropsAfterCommit = n;
      },
      dropAuditResponsesAfterCommit(n) {
        auditDropsAfterCommit = n;
      },
      dropEventResponsesAfterCommit(n) {
        eventDropsAfterCommit = n;
      },
      setDown(value) {
        down = value;
        if (value) {
          for (const socket of openSockets) socket.destroy();
          for (const ws of sockets.keys()) ws.terminate();
        }
      },
    },
    pushCall(event) {
      let delivered = 0;
      for (const [ws, agentId] of sockets) {
        if (agentId !== event.agentId) continue;
        ws.send(JSON.stringify({ type: 'call', event, at: new Date().toISOString() }));
        delivered += 1;
      }
      return delivered;
    },
    async close() {
      for (const ws of sockets.keys()) ws.terminate();
      wss.close();
      for (const socket of openSockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
