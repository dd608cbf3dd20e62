import { buildSchema, execute, type GraphQLResolveInfo, parse } from 'graphql/index.js';
import { describe, expect, it } from 'vitest';
import { buildDirectLambdaEvent, type DirectLambdaEvent } from '../../src/appsync/appsync-events';

const schema = buildSchema(`
  type Measurement { parameter: String value: Float }
  type Reading { siteId: Int hourStart: String measurements: [Measurement] }
  type Connection { items: [Reading] nextToken: String }
  type Query { readings(suburb: String!): Connection }
`);

/** Runs a document against the schema, `readings` answering with the direct-Lambda event it built. */
function eventsOf(document: ReturnType<typeof parse>, times: number): DirectLambdaEvent[] {
  const events: DirectLambdaEvent[] = [];
  const rootValue = {
    readings: (args: Record<string, unknown>, _context: unknown, info: GraphQLResolveInfo) => {
      events.push(buildDirectLambdaEvent({ args, source: null, identity: null, headers: {}, info }));
      return { items: [], nextToken: null };
    },
  };
  for (let i = 0; i < times; i++) {
    const result = execute({ schema, document, rootValue, variableValues: { s: `suburb ${i}` } });
    expect(result).toMatchObject({ data: { readings: { items: [] } } });
  }
  return events;
}

describe('the direct-Lambda event', () => {
  it('carries the selection of each request, the same for every run of one parsed document', () => {
    const document = parse(
      'query($s: String!) { readings(suburb: $s) { items { siteId measurements { value } } nextToken } }',
    );
    const [first, second] = eventsOf(document, 2);
    for (const [i, event] of [first, second].entries()) {
      expect(event?.arguments).toEqual({ suburb: `suburb ${i}` });
      expect(event?.info.variables).toEqual({ s: `suburb ${i}` });
      expect(event?.info.selectionSetList).toEqual([
        'items',
        'items/siteId',
        'items/measurements',
        'items/measurements/value',
        'nextToken',
      ]);
      expect(event?.info.selectionSetGraphQL).toBe(
        '{\n  items {\n    siteId\n    measurements {\n      value\n    }\n  }\n  nextToken\n}',
      );
    }
    // each event owns its list: changing one leaves the next request's alone
    first?.info.selectionSetList.push('mutated');
    expect(eventsOf(document, 1)[0]?.info.selectionSetList).not.toContain('mutated');
  });

  it('expands fragments, and a different document gets its own selection', () => {
    const document = parse(`
      query($s: String!) { readings(suburb: $s) { items { ...R } } }
      fragment R on Reading { hourStart measurements { parameter } }
    `);
    const [event] = eventsOf(document, 1);
    expect(event?.info.selectionSetList).toEqual([
      'items',
      'items/hourStart',
      'items/measurements',
      'items/measurements/parameter',
    ]);
    expect(event?.info.selectionSetGraphQL).toBe('{\n  items {\n    ...R\n  }\n}');
  });
});
