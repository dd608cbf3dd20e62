/**
 * What GraphiQL (GET /graphql in a browser) opens with: example operations of the API, each named
 * so GraphiQL's run button offers them one by one. Each works as written against the local stack
 * with its sample data (Sydney's coordinates, a suburb of the sample sites).
 */

const LIST_STATIONS = `query ListStations {
  listStations {
    siteId
    name
    suburb
    region
  }
}`;

const NEAREST_STATIONS = `# The five stations nearest to Sydney Town Hall, with their latest reading.
query NearestStations {
  nearestStations(latitude: -33.8731, longitude: 151.2065, limit: 5, maxDistanceKm: 50) {
    distanceKm
    station {
      siteId
      name
      suburb
      latest {
        hourStart
        category
        determiningPollutant
      }
    }
  }
}`;

/** The last seven days up to the end of the current hour, so the example finds the stack's data. */
const exportAirQualityData = (nowMs: number) => {
  const to = Math.ceil(nowMs / 3_600_000) * 3_600_000;
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  return `# A CSV of a suburb's readings (at most 366 days): open the answered url (valid 15 minutes).
query ExportAirQualityData {
  exportAirQualityData(suburb: "Rozelle", from: "${iso(to - 7 * 86_400_000)}", to: "${iso(to)}") {
    url
    expiresAt
    rows
  }
}`;
};

/** Subscriptions do not run from this page: how to reach them, as a comment after the examples. */
const LIVE_UPDATES = `# Live updates: the subscription below runs over AppSync's real-time WebSocket protocol at
# ws://<this host>/graphql/realtime (subprotocol graphql-ws; packages/api/README.md, "Live updates"),
# not from this page. publishHourUpdate is the ETL's (IAM-signed): an API key is refused.
#
# subscription {
#   onHourUpdate(region: "Sydney East") {
#     region hourStart
#     stations { siteId name suburb category determiningPollutant }
#   }
# }`;

export const graphiqlExamples = (nowMs: number): readonly string[] => [
  LIST_STATIONS,
  NEAREST_STATIONS,
  exportAirQualityData(nowMs),
];

/** GraphiQL's editor content when it opens: every example, one after the other, then the live-updates note. */
export const graphiqlDefaultQuery = (nowMs: number = Date.now()): string =>
  `${[...graphiqlExamples(nowMs), LIVE_UPDATES].join('\n\n')}\n`;
