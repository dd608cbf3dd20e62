/**
 * Adds a `LIVE` alias (DESIGN.md "Names": the runbook's rollback moves it) to every function of
 * this service, on the version the deployment publishes. Serverless names that version resource
 * after a hash of the code, so a plain CloudFormation resource in serverless.yml cannot point at
 * it; this hook runs once the functions are compiled. (The same approach as the ingest and api
 * services' plugins; each service keeps its own copy so it packages alone.)
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
      resources[`${provider.naming.getNormalizedFunctionName(name)}LiveAlias`] = {
        Type: 'AWS::Lambda::Alias',
        Properties: {
          FunctionName: { Ref: provider.naming.getLambdaLogicalId(name) },
          FunctionVersion: { 'Fn::GetAtt': [fn.versionLogicalId, 'Version'] },
          Name: 'LIVE',
          Description: 'What the schedule invokes; the runbook rollback moves it to an earlier version',
        },
      };
    }
  }
}

module.exports = LiveAliasPlugin;
