import { APPSYNC_PRELUDE, fieldRules, readSchemaSdl } from '@opendata-pulse/local/appsync';
import {
  buildSchema,
  type GraphQLNamedType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isObjectType,
  isScalarType,
  print,
} from 'graphql/index.js';
import { describe, expect, it } from 'vitest';

/** The API's original GraphQL contract, verbatim: schema.graphql may add to it but not change it. */
const CONTRACT = /* GraphQL */ `
enum AirQualityCategory { GOOD FAIR POOR VERY_POOR EXTREMELY_POOR }
type Measurement { parameter: String! value: Float unit: String! category: AirQualityCategory flags: [String!]! }
type HourlyReading {
  siteId: Int! siteName: String! suburb: String! region: String!
  hourStart: AWSDateTime!            # UTC start of the hour
  category: AirQualityCategory determiningPollutant: String
  measurements: [Measurement!]!
}
type HourlyReadingConnection { items: [HourlyReading!]! nextToken: String }
type Station { siteId: Int! name: String! suburb: String! region: String! latitude: Float longitude: Float latest: HourlyReading }
type Query {
  getAirQualityData(suburb: String!, from: AWSDateTime, to: AWSDateTime, limit: Int, nextToken: String): HourlyReadingConnection!
  listStations(region: String): [Station!]!
  getStation(siteId: Int!): Station
}
`;

// DESIGN's second-wave names for nearestStations and exportAirQualityData, verbatim
const CONTRACT_ISSUE_14_QUERIES = /* GraphQL */ `
type StationDistance { station: Station! distanceKm: Float! }
type Export { url: AWSURL! expiresAt: AWSDateTime! rows: Int! }
extend type Query {
  nearestStations(latitude: Float!, longitude: Float!, limit: Int, maxDistanceKm: Float): [StationDistance!]!   # limit defaults to 5
  exportAirQualityData(suburb: String!, from: AWSDateTime!, to: AWSDateTime!): Export!   # API key and Cognito
}
`;

const contract = buildSchema(`${APPSYNC_PRELUDE}\n${CONTRACT}\n${CONTRACT_ISSUE_14_QUERIES}`);
const schema = buildSchema(`${APPSYNC_PRELUDE}\n${readSchemaSdl()}`);
const own = (s: typeof schema) =>
  Object.values(s.getTypeMap()).filter(
    (t) => !t.name.startsWith('__') && !(isScalarType(t) && t.astNode === undefined),
  );

describe('schema.graphql', () => {
  it('keeps every type, field, argument and nullability of the original contract', () => {
    for (const expected of own(contract)) {
      const actual = schema.getType(expected.name) as GraphQLNamedType | undefined;
      expect({ type: expected.name, kind: actual?.constructor.name }).toEqual({
        type: expected.name,
        kind: expected.constructor.name,
      });
      if (isEnumType(expected) && isEnumType(actual)) {
        expect(actual.getValues().map((v) => v.name)).toEqual(expected.getValues().map((v) => v.name));
      }
      if (isObjectType(expected) && isObjectType(actual)) {
        for (const field of Object.values(expected.getFields())) {
          const got = actual.getFields()[field.name];
          expect({ field: `${expected.name}.${field.name}`, type: String(got?.type) }).toEqual({
            field: `${expected.name}.${field.name}`,
            type: String(field.type),
          });
          expect(got?.args.map((a) => `${a.name}: ${a.type}`)).toEqual(field.args.map((a) => `${a.name}: ${a.type}`));
        }
      }
    }
  });

  it("lets an API key read the contract's fields, but not lineage or systemHealth", () => {
    const apiKeyReadable = (typeName: string, fieldName: string) => {
      const type = schema.getType(typeName);
      if (!isObjectType(type)) throw new Error(typeName);
      const field = type.getFields()[fieldName];
      if (!field) throw new Error(fieldName);
      return fieldRules(type, field).some((r) => r.mode === 'API_KEY');
    };
    for (const type of own(contract).filter(isObjectType)) {
      for (const field of Object.keys(type.getFields()))
        expect(`${type.name}.${field}: ${apiKeyReadable(type.name, field)}`).toMatch(/true$/);
    }
    // exportAirQualityData is for API key and Cognito users alike
    const query = schema.getQueryType();
    const exportField = query?.getFields().exportAirQualityData;
    if (!query || !exportField) throw new Error('Query.exportAirQualityData');
    expect(
      fieldRules(query, exportField)
        .map((r) => r.mode)
        .sort(),
    ).toEqual(['AMAZON_COGNITO_USER_POOLS', 'API_KEY']);
    expect(apiKeyReadable('HourlyReading', 'source')).toBe(false);
    expect(apiKeyReadable('Query', 'systemHealth')).toBe(false);
    expect(apiKeyReadable('SystemHealth', 'dlqDepth')).toBe(false);
  });
});

/** The second wave's live-update contract (docs/architecture.md, "GraphQL API"), verbatim. */
const LIVE_UPDATES = /* GraphQL */ `
enum AirQualityCategory { GOOD FAIR POOR VERY_POOR EXTREMELY_POOR }
type StationHourCategory @aws_iam @aws_api_key @aws_cognito_user_pools { siteId: Int! name: String! suburb: String! category: AirQualityCategory determiningPollutant: String }
type HourUpdate @aws_iam @aws_api_key @aws_cognito_user_pools { region: String! hourStart: AWSDateTime! stations: [StationHourCategory!]! }
input StationHourCategoryInput { siteId: Int! name: String! suburb: String! category: AirQualityCategory determiningPollutant: String }
input HourUpdateInput { region: String! hourStart: AWSDateTime! stations: [StationHourCategoryInput!]! }
type Query { _unused: Int }
type Mutation { publishHourUpdate(input: HourUpdateInput!): HourUpdate @aws_iam }
type Subscription { onHourUpdate(region: String): HourUpdate @aws_subscribe(mutations: ["publishHourUpdate"]) @aws_api_key @aws_cognito_user_pools }
`;

describe('schema.graphql: live updates', () => {
  const live = buildSchema(`${APPSYNC_PRELUDE}\n${LIVE_UPDATES}`);
  const fieldsOf = (s: GraphQLSchema, name: string) => {
    const type = s.getType(name);
    if (!isObjectType(type) && !isInputObjectType(type)) return undefined;
    return Object.values(type.getFields()).map((f) => ({
      name: f.name,
      type: String(f.type),
      args: 'args' in f ? f.args.map((a: { name: string; type: unknown }) => `${a.name}: ${String(a.type)}`) : [],
      directives: f.astNode?.directives?.map(print) ?? [],
    }));
  };
  const directivesOf = (s: GraphQLSchema, name: string) => s.getType(name)?.astNode?.directives?.map(print) ?? [];

  it.each([
    'StationHourCategory',
    'HourUpdate',
    'StationHourCategoryInput',
    'HourUpdateInput',
    'Mutation',
    'Subscription',
  ])('has %s exactly as the contract names it, directives included', (name) => {
    expect({ fields: fieldsOf(schema, name), directives: directivesOf(schema, name) }).toEqual({
      fields: fieldsOf(live, name),
      directives: directivesOf(live, name),
    });
  });

  it('wires the mutation and subscription roots, and lets only IAM publish and only API key and Cognito subscribe', () => {
    // Prepare
    const modes = (typeName: string, fieldName: string) => {
      const type = schema.getType(typeName);
      if (!isObjectType(type)) throw new Error(typeName);
      const field = type.getFields()[fieldName];
      if (!field) throw new Error(fieldName);
      return fieldRules(type, field)
        .map((r) => r.mode)
        .sort();
    };

    // Assess
    expect(schema.getMutationType()?.name).toBe('Mutation');
    expect(schema.getSubscriptionType()?.name).toBe('Subscription');
    expect(modes('Mutation', 'publishHourUpdate')).toEqual(['AWS_IAM']);
    expect(modes('Subscription', 'onHourUpdate')).toEqual(['AMAZON_COGNITO_USER_POOLS', 'API_KEY']);
    for (const field of ['region', 'hourStart', 'stations']) {
      expect(modes('HourUpdate', field)).toEqual(['AMAZON_COGNITO_USER_POOLS', 'API_KEY', 'AWS_IAM']);
    }
    expect(modes('StationCategory', 'category')).toEqual(['AMAZON_COGNITO_USER_POOLS', 'API_KEY']);
  });
});
