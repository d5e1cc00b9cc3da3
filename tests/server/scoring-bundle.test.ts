// The scoring bundle round trip: every batch scoring path publishes what it scored with, desks
// fetch it by version (ETag / 304), and the version moves only when the content does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rescoreCustomer } from '../../shared/analytics/rescore-customer';
import { ScoringBundle } from '../../shared/analytics/scoring-bundle';
import { Customer, CustomerScore } from '../../shared/contract/entities';
import { DEFAULT_LIFECYCLE_CONFIG } from '../../shared/analytics/lifecycle/lifecycle-config';
import type { CentralApi } from '../../server/app';
import { rescoreBook } from '../../server/scoring/rescore-book';
import { publishScoringBundle } from '../../server/scoring/scoring-bundle-store';
import { bearer, expectApiError, login, startTestApi } from './support/test-api';
import { TEST_NOW } from '../support/test-clock';

const NOW = new Date('2026-11-20T08:00:00Z');

describe('GET /scoring/bundle', () => {
  let api: CentralApi;
  let token: string;
  const fetchBundle = (headers: Record<string, string> = {}) =>
    api.app.inject({ method: 'GET', url: '/scoring/bundle', headers: { ...bearer(token), ...headers } });

  beforeAll(async () => {
    api = await startTestApi();
    token = await login(api.app, 'agent01');
  });
  afterAll(() => api?.close());

  it('serves the bundle the seed scored the book with, tagged with its version', async () => {
    const response = await fetchBundle();
    expect(response.statusCode, response.body).toBe(200);
    const bundle = ScoringBundle.parse(response.json());
    expect(bundle).toMatchObject({ id: 'current', version: 1, lifecycle: DEFAULT_LIFECYCLE_CONFIG });
    expect(response.headers.etag).toBe('"1"');
    // It is what the seed scored with: re-scoring a stored customer with it gives the stored score.
    const rows = await api.db.query<{ customer: unknown; score: unknown }>(
      'SELECT c.data AS customer, s.data AS score FROM customers c JOIN scores s ON s.customer_id = c.id ORDER BY c.id LIMIT 5',
    );
    for (const row of rows) {
      const { version: _version, ...stored } = CustomerScore.parse(row.score);
      expect(rescoreCustomer(Customer.parse(row.customer), bundle, new Date(stored.scoredAt))).toEqual(stored);
    }
  });

  it('answers 304 without a body to a desk that already holds the current version', async () => {
    for (const ifNoneMatch of ['"1"', '1', 'W/"1"', '"0", "1"']) {
      const response = await fetchBundle({ 'if-none-match': ifNoneMatch });
      expect(response.statusCode, ifNoneMatch).toBe(304);
      expect(response.body).toBe('');
      expect(response.headers.etag).toBe('"1"');
    }
    expect((await fetchBundle({ 'if-none-match': '"7"' })).statusCode).toBe(200);
  });

  it('keeps the version when the content is the same, and moves it when it changes', async () => {
    const held = ScoringBundle.parse((await fetchBundle()).json());
    const { model, lifecycle, value, calibration } = held;
    expect(await api.db.transaction((tx) => publishScoringBundle(tx, { model, lifecycle, value, calibration }, TEST_NOW))).toEqual({
      version: 1,
      changed: false,
    });
    expect((await fetchBundle({ 'if-none-match': '"1"' })).statusCode).toBe(304);

    const stricter = { ...lifecycle, version: 'lifecycle-test-2', decline: { ...lifecycle.decline, complaints30d: 1 } };
    expect(await api.db.transaction((tx) => publishScoringBundle(tx, { model, lifecycle: stricter, value, calibration }, TEST_NOW))).toEqual({
      version: 2,
      changed: true,
    });
    const response = await fetchBundle({ 'if-none-match': '"1"' });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    expect(ScoringBundle.parse(response.json())).toMatchObject({ version: 2, lifecycle: stricter, calibration });
  });

  it('refuses to publish a bundle whose parts do not validate, and keeps the stored one', async () => {
    const held = ScoringBundle.parse((await fetchBundle()).json());
    const broken = { model: held.model, lifecycle: held.lifecycle, value: held.value, calibration: { ...held.calibration, recencyCuts: [1] } };
    await expect(api.db.transaction((tx) => publishScoringBundle(tx, broken, TEST_NOW))).rejects.toThrow(/recencyCuts/);
    expect(ScoringBundle.parse((await fetchBundle()).json())).toEqual(held);
  });

  it('is published by every batch run (clm score), with a new version only when the run scored with something new', async () => {
    const held = ScoringBundle.parse((await fetchBundle()).json());
    const first = await rescoreBook(api.db, { model: held.model, lifecycle: DEFAULT_LIFECYCLE_CONFIG, now: NOW });
    expect(first.bundleVersion).toBe(held.version + 1);
    const served = ScoringBundle.parse((await fetchBundle()).json());
    expect(served).toMatchObject({ version: first.bundleVersion, lifecycle: DEFAULT_LIFECYCLE_CONFIG, calibration: first.calibration });
    expect(served.model).toEqual(held.model);

    const again = await rescoreBook(api.db, { model: held.model, lifecycle: DEFAULT_LIFECYCLE_CONFIG, now: NOW });
    expect(again.bundleVersion).toBe(first.bundleVersion);
  });

  it('is open to every role', async () => {
    for (const username of ['store01', 'sup01', 'admin01']) {
      const response = await api.app.inject({ method: 'GET', url: '/scoring/bundle', headers: bearer(await login(api.app, username)) });
      expect(response.statusCode, username).toBe(200);
    }
  });
});

describe('GET /scoring/bundle before the book was ever scored', () => {
  let api: CentralApi;
  beforeAll(async () => {
    api = await startTestApi({ seedCustomers: 0 });
  });
  afterAll(() => api?.close());

  it('answers 404 saying the book has not been scored', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/scoring/bundle', headers: bearer(await login(api.app, 'agent01')) });
    const error = expectApiError(response, 404);
    expect(error.error).toBe('not_scored');
    expect(error.message).toMatch(/not been scored/);
  });
});
