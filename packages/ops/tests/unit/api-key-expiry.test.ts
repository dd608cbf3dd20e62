/** The health check's API key expiry figure: AppSync's keys (mocked: no local AppSync control plane) to days. */
import { AppSyncClient, ListApiKeysCommand } from '@aws-sdk/client-appsync';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiKeyExpiries } from '../../src/adapters/appsync';
import { daysToFirstExpiry } from '../../src/domain/api-key-expiry';
import { HEALTH_METRICS, recordApiKeyExpiry } from '../../src/use-cases/health-check.use-case';

const NOW = Date.parse('2026-12-01T00:00:00Z');
const inDays = (days: number) => NOW / 1000 + days * 86_400;
const appsyncMock = mockClient(AppSyncClient);

afterEach(() => appsyncMock.reset());

describe('apiKeyExpiries', () => {
  it('reads every page of the API’s keys', async () => {
    // Prepare
    appsyncMock
      .on(ListApiKeysCommand, { apiId: 'api1', nextToken: undefined })
      .resolves({ apiKeys: [{ id: 'da2-a', expires: inDays(300) }], nextToken: 'page2' })
      .on(ListApiKeysCommand, { apiId: 'api1', nextToken: 'page2' })
      .resolves({ apiKeys: [{ id: 'da2-b', expires: inDays(12) }] });

    // Act
    const keys = await apiKeyExpiries(new AppSyncClient({ region: 'ap-southeast-2' }), 'api1');

    // Assess
    expect(keys).toEqual([
      { id: 'da2-a', expires: inDays(300) },
      { id: 'da2-b', expires: inDays(12) },
    ]);
  });
});

describe('daysToFirstExpiry', () => {
  it('answers the soonest expiry in days, rounded down to two decimals, negative once expired', () => {
    // Act
    const soon = daysToFirstExpiry(
      [
        { id: 'da2-a', expires: inDays(365) },
        { id: 'da2-b', expires: inDays(29.999) },
      ],
      NOW,
    );
    const expired = daysToFirstExpiry([{ id: 'da2-c', expires: inDays(-2) }], NOW);

    // Assess
    expect(soon).toBe(29.99);
    expect(expired).toBe(-2);
    expect(daysToFirstExpiry([], NOW)).toBeUndefined();
  });
});

describe('recordApiKeyExpiry', () => {
  const deps = () => ({
    metrics: { addMetric: vi.fn() },
    logger: { warn: vi.fn(), error: vi.fn() },
  });

  it('publishes ApiKeyDaysToExpiry, the figure the alarm watches', async () => {
    // Prepare
    const d = deps();

    // Act
    const days = await recordApiKeyExpiry(async () => 31.5, d as never);

    // Assess
    expect(days).toBe(31.5);
    expect(d.metrics.addMetric).toHaveBeenCalledWith(HEALTH_METRICS.apiKeyDaysToExpiry, 'None', 31.5);
  });

  it('publishes nothing and logs why when the keys cannot be read (the alarm treats no figure as breaching)', async () => {
    // Prepare
    const d = deps();
    appsyncMock.on(ListApiKeysCommand).rejects(new Error('not authorized to perform appsync:ListApiKeys'));
    const client = new AppSyncClient({ region: 'ap-southeast-2' });

    // Act
    const days = await recordApiKeyExpiry(
      async () => daysToFirstExpiry(await apiKeyExpiries(client, 'api1'), NOW),
      d as never,
    );

    // Assess
    expect(days).toBeUndefined();
    expect(d.metrics.addMetric).not.toHaveBeenCalled();
    expect(d.logger.error).toHaveBeenCalledWith('API key expiry NOT read', {
      error: 'not authorized to perform appsync:ListApiKeys',
    });
  });
});
