import { buildSchema, parse, validate } from 'graphql/index.js';
import { describe, expect, it } from 'vitest';
import { APPSYNC_PRELUDE, graphiqlDefaultQuery, graphiqlExamples, readSchemaSdl } from '../../src/appsync';

const schema = buildSchema(`${APPSYNC_PRELUDE}\n${readSchemaSdl()}`);

describe('GraphiQL examples', () => {
  it('are named operations valid against schema.graphql, one per example, all in the default query', () => {
    // Prepare
    const now = Date.UTC(2026, 10, 20, 3, 20);

    // Act
    const examples = graphiqlExamples(now);
    const document = parse(graphiqlDefaultQuery(now));

    // Assess
    expect(validate(schema, document)).toEqual([]);
    const names = document.definitions.map((d) => ('name' in d ? d.name?.value : undefined));
    expect(names).toEqual(['ListStations', 'NearestStations', 'ExportAirQualityData']);
    expect(examples).toHaveLength(names.length);
  });

  it('exports the seven days up to the end of the current hour', () => {
    const text = graphiqlDefaultQuery(Date.UTC(2026, 10, 20, 3, 20));
    expect(text).toContain('from: "2026-11-13T04:00:00Z", to: "2026-11-20T04:00:00Z"');
  });
});
