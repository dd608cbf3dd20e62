/** CloudWatch figures for operations: Lambda errors and throttles over a recent window. */
import { type CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';

export interface FunctionErrorFigures {
  function: string;
  invocations: number;
  errors: number;
  throttles: number;
}

export async function lambdaErrorFigures(
  cloudwatch: CloudWatchClient,
  functionNames: string[],
  windowMinutes: number,
  now: number,
): Promise<FunctionErrorFigures[]> {
  const queries: MetricDataQuery[] = functionNames.flatMap((name, i) =>
    (['Invocations', 'Errors', 'Throttles'] as const).map((metric) => ({
      Id: `${metric.toLowerCase()}${i}`,
      MetricStat: {
        Metric: { Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: [{ Name: 'FunctionName', Value: name }] },
        Period: windowMinutes * 60,
        Stat: 'Sum',
      },
      ReturnData: true,
    })),
  );
  const sums = new Map<string, number>();
  let token: string | undefined;
  do {
    const page = await cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: new Date(now - windowMinutes * 60_000),
        EndTime: new Date(now),
        NextToken: token,
      }),
    );
    for (const result of page.MetricDataResults ?? []) {
      if (result.Id) sums.set(result.Id, (sums.get(result.Id) ?? 0) + (result.Values ?? []).reduce((a, b) => a + b, 0));
    }
    token = page.NextToken;
  } while (token);
  return functionNames.map((name, i) => ({
    function: name,
    invocations: sums.get(`invocations${i}`) ?? 0,
    errors: sums.get(`errors${i}`) ?? 0,
    throttles: sums.get(`throttles${i}`) ?? 0,
  }));
}
