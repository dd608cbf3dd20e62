/**
 * Adds a `LIVE` alias (DESIGN.md "Names": the runbook's rollback moves it) to every function, on
 * the version this deployment publishes. Serverless names that version resource after a hash of
 * the code, so a plain CloudFormation resource in serverless.yml cannot point at it; this hook runs
 * after the functions are compiled, when the name is known. The queue's event source mapping
 * targets the alias resource `<Function>LiveAlias`, so a rollback changes what processes the queue.
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
    for (const name of service.getAllFunctions()) {
      const fn = service.getFunction(name);
      if (!fn.versionLogicalId) {
        throw new Error(`live-alias: function "${name}" has no published version; set provider.versionFunctions: true`);
      }
      const functionLogicalId = provider.naming.getLambdaLogicalId(name);
      resources[`${provider.naming.getNormalizedFunctionName(name)}LiveAlias`] = {
        Type: 'AWS::Lambda::Alias',
        Properties: {
          FunctionName: { Ref: functionLogicalId },
          FunctionVersion: { 'Fn::GetAtt': [fn.versionLogicalId, 'Version'] },
          Name: 'LIVE',
          Description: 'What processes the queue; the runbook rollback moves it to an earlier version',
        },
      };
    }
  }
}

module.exports = LiveAliasPlugin;
