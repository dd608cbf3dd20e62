/**
 * Serverless plugin shared by every service: adds a `LIVE` alias (docs/architecture.md, "Names": the runbook's
 * rollback moves it) to every function, on the version this deployment publishes, with provisioned
 * concurrency when `custom.liveAlias.provisionedConcurrency` is above 0 (the runbook raises it
 * during incidents: `sls deploy --param provisionedConcurrency=N`). Serverless names the version
 * resource after a hash of the code, so a plain CloudFormation resource in serverless.yml cannot
 * point at it; this hook runs once the functions are compiled. Whatever must follow a rollback
 * (the hourly rule, the queue's event source mapping, AppSync's data source, the health-check
 * schedule) targets the alias resource `<Function>LiveAlias`.
 */
'use strict';

class LiveAliasPlugin {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'package:compileEvents': () => this.addAliases() };
  }

  addAliases() {
    const service = this.serverless.service;
    const provider = this.serverless.getProvider('aws');
    const resources = service.provider.compiledCloudFormationTemplate.Resources;
    const raw = service.custom?.liveAlias?.provisionedConcurrency ?? 0;
    const provisioned = Number(raw);
    if (!Number.isInteger(provisioned) || provisioned < 0) {
      throw new Error(`live-alias: provisionedConcurrency must be a whole number >= 0 (got ${JSON.stringify(raw)})`);
    }
    for (const name of service.getAllFunctions()) {
      const fn = service.getFunction(name);
      if (!fn.versionLogicalId) {
        throw new Error(`live-alias: function "${name}" has no published version; set provider.versionFunctions: true`);
      }
      resources[`${provider.naming.getNormalizedFunctionName(name)}LiveAlias`] = {
        Type: 'AWS::Lambda::Alias',
        Properties: {
          FunctionName: { Ref: provider.naming.getLambdaLogicalId(name) },
          FunctionVersion: { 'Fn::GetAtt': [fn.versionLogicalId, 'Version'] },
          Name: 'LIVE',
          Description: 'What events and callers invoke; the runbook rollback moves it to an earlier version',
          ...(provisioned > 0
            ? { ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: provisioned } }
            : {}),
        },
      };
    }
  }
}

module.exports = LiveAliasPlugin;
