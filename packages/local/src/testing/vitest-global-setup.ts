/**
 * vitest global setup for integration projects: starts the local AWS servers once per project,
 * creates the project's resources and hands tests their endpoints through `inject('localAws')`.
 */
import type { ProvidedContext } from 'vitest';
import type { TestProject } from 'vitest/node';
import { ensureResources, type LocalEndpoints, type LocalResourceNames, startLocalAws } from '../aws/local-aws';

export interface LocalAwsContext {
  endpoints: LocalEndpoints;
  resources: LocalResourceNames;
  region: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    localAws: LocalAwsContext;
  }
}

export default async function setup(project: TestProject) {
  const local = await startLocalAws();
  const resources = await ensureResources(local);
  const context: ProvidedContext['localAws'] = { endpoints: local.endpoints, resources, region: local.region };
  project.provide('localAws', context);
  return async () => {
    await local.stop();
  };
}
