import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  CircuitOpenError,
  ConfigError,
  formatPath,
  INTERNAL_ERROR_MESSAGE,
  toErrorView,
  UpstreamError,
} from '../../src/errors';

describe('toErrorView: the one mapping from an error to what a caller sees', () => {
  it('shows errors written for the caller', () => {
    expect(toErrorView(new BadRequestError('limit must be between 1 and 500'))).toEqual({
      errorType: 'BadRequest',
      message: 'limit must be between 1 and 500',
    });
    expect(toErrorView(new CircuitOpenError('circuit breaker is on')).errorType).toBe('CircuitOpen');
  });

  it('hides internal errors and configuration details', () => {
    expect(toErrorView(new Error('connect ECONNREFUSED 10.0.0.1:443'))).toEqual({
      errorType: 'InternalError',
      message: INTERNAL_ERROR_MESSAGE,
    });
    expect(toErrorView(new ConfigError('DYNAMODB_TABLE is required')).message).toBe(INTERNAL_ERROR_MESSAGE);
    expect(toErrorView('a string').errorType).toBe('InternalError');
  });

  it('keeps class names, causes and retry hints for logs', () => {
    const cause = new Error('socket hang up');
    const error = new UpstreamError('NSW timed out', { cause, retryable: true, status: 504 });
    expect(error).toMatchObject({ name: 'UpstreamError', retryable: true, status: 504, cause });
  });

  it('formats issue paths readably', () => {
    expect(formatPath([3, 'Parameter', 'ParameterCode'])).toBe('[3].Parameter.ParameterCode');
    expect(formatPath([])).toBe('(root)');
  });
});
