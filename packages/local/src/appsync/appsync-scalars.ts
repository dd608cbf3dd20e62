/**
 * AppSync's scalars for the local server, validating inputs and outputs as AppSync does (a bad
 * input is a validation error before any resolver runs; a bad output is a field error).
 */

import { isAwsDate, isAwsDateTime } from '@opendata-pulse/api/scalars';
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql/index.js';

function stringScalar(name: string, valid: (value: string) => boolean, description: string) {
  const check = (value: unknown, ast?: ValueNode): string => {
    if (typeof value !== 'string' || !valid(value)) {
      throw new GraphQLError(
        `${JSON.stringify(value)} is not a valid '${name}' (${description})`,
        ast ? { nodes: ast } : {},
      );
    }
    return value;
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: (value) => check(value instanceof Date ? value.toISOString() : value),
    parseValue: (value) => check(value),
    parseLiteral: (ast) => check(ast.kind === Kind.STRING ? ast.value : undefined, ast),
  });
}

const TIME_RE = /^\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}(?::\d{2})?)?$/;
const EMAIL_RE = /^[^@\s]+@[^@\s]+$/;
const PHONE_RE = /^\+?[\d\s().-]{3,}$/;
const IP_RE = /^(?:\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?|[0-9a-fA-F:]+(?:\/\d{1,3})?)$/;

const isUrl = (value: string) => {
  try {
    return Boolean(new URL(value).protocol);
  } catch {
    return false;
  }
};

const isJson = (value: string) => {
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
};

export const APPSYNC_SCALARS = {
  AWSDateTime: stringScalar('AWSDateTime', isAwsDateTime, 'ISO 8601 date-time with a zone offset'),
  AWSDate: stringScalar('AWSDate', isAwsDate, 'ISO 8601 date, YYYY-MM-DD'),
  AWSTime: stringScalar('AWSTime', (v) => TIME_RE.test(v), 'ISO 8601 time, hh:mm[:ss[.sss]][offset]'),
  AWSEmail: stringScalar('AWSEmail', (v) => EMAIL_RE.test(v), 'an email address'),
  AWSURL: stringScalar('AWSURL', isUrl, 'a URL with a scheme'),
  AWSPhone: stringScalar('AWSPhone', (v) => PHONE_RE.test(v), 'a phone number'),
  AWSIPAddress: stringScalar('AWSIPAddress', (v) => IP_RE.test(v), 'an IPv4 or IPv6 address'),
  AWSTimestamp: new GraphQLScalarType({
    name: 'AWSTimestamp',
    description: 'seconds since the epoch',
    serialize: (value) => {
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      throw new GraphQLError(`${JSON.stringify(value)} is not a valid 'AWSTimestamp'`);
    },
    parseValue: (value) => {
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      throw new GraphQLError(`${JSON.stringify(value)} is not a valid 'AWSTimestamp'`);
    },
    parseLiteral: (ast) => {
      if (ast.kind === Kind.INT) return Number(ast.value);
      throw new GraphQLError(`not a valid 'AWSTimestamp'`, { nodes: ast });
    },
  }),
  // AppSync takes AWSJSON as a string holding JSON and answers it as such.
  AWSJSON: new GraphQLScalarType({
    name: 'AWSJSON',
    description: 'a JSON document, as a string',
    serialize: (value) => (typeof value === 'string' ? value : JSON.stringify(value)),
    parseValue: (value) => {
      if (typeof value === 'string' && isJson(value)) return value;
      throw new GraphQLError(`${JSON.stringify(value)} is not a valid 'AWSJSON'`);
    },
    parseLiteral: (ast) => {
      if (ast.kind === Kind.STRING && isJson(ast.value)) return ast.value;
      throw new GraphQLError(`not a valid 'AWSJSON'`, { nodes: ast });
    },
  }),
};
