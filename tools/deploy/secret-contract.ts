/**
 * A secret a function reads at run time is part of its service's contract (docs/architecture.md,
 * "Configuration and errors"): a Secrets Manager secret of the same template whose value the
 * deploy generates (no hand step, never a value in the template), named in the function's
 * environment by a reference, and the only secret its role may read.
 */
import {
  asArray,
  type CfnTemplate,
  type Finding,
  isObject,
  type Json,
  type JsonObject,
  referencedLogicalId,
  renderString,
  resourcesOfType,
} from './template';

export const SECRET_RULE = 'contract-secret';

export interface ExpectedSecret {
  /** the function's name, as its FunctionName spells it */
  functionName: string;
  /** the environment variable that carries the secret's ARN */
  variable: string;
  /** characters the generated value has at least */
  minLength: number;
}

const READ_SECRET = 'secretsmanager:getsecretvalue';
/** CloudFormation's GenerateSecretString default when PasswordLength is left out. */
const DEFAULT_GENERATED_LENGTH = 32;

/** Allow statements of a role's inline policies. */
function roleStatements(template: CfnTemplate, roleId: string | undefined): JsonObject[] {
  const role = roleId ? template.Resources[roleId] : undefined;
  if (role?.Type !== 'AWS::IAM::Role') return [];
  return asArray(role.Properties?.Policies as Json[] | undefined)
    .filter(isObject)
    .flatMap((p) => (isObject(p.PolicyDocument) ? asArray(p.PolicyDocument.Statement as Json | Json[]) : []))
    .filter(isObject)
    .filter((s) => s.Effect === 'Allow');
}

export function checkSecretContract(name: string, expected: ExpectedSecret, template: CfnTemplate): Finding[] {
  const findings: Finding[] = [];
  const emit = (resource: string, message: string) =>
    findings.push({ template: name, resource, rule: SECRET_RULE, message });
  const { functionName, variable, minLength } = expected;
  const fn = resourcesOfType(template, 'AWS::Lambda::Function').find(
    ([, r]) => renderString(r.Properties?.FunctionName as Json) === functionName,
  );
  if (!fn) return findings; // contract-names reports the missing function
  const [fnId, fnResource] = fn;
  const env = fnResource.Properties?.Environment;
  const value = isObject(env) && isObject(env.Variables) ? env.Variables[variable] : undefined;
  const secretId = referencedLogicalId(value);
  const secret = secretId ? template.Resources[secretId] : undefined;
  if (!secretId || secret?.Type !== 'AWS::SecretsManager::Secret') {
    emit(fnId, `${functionName}'s ${variable} is not a reference to an AWS::SecretsManager::Secret of this template`);
    return findings;
  }

  const generate = secret.Properties?.GenerateSecretString;
  if (secret.Properties?.SecretString !== undefined || !isObject(generate)) {
    emit(secretId, 'the deploy must generate the value (GenerateSecretString), never carry it (SecretString)');
  } else {
    const length = Number(generate.PasswordLength ?? DEFAULT_GENERATED_LENGTH);
    if (!(length >= minLength) || generate.GenerateStringKey !== undefined) {
      emit(
        secretId,
        `GenerateSecretString must make a plain value of at least ${minLength} characters (PasswordLength ${length})`,
      );
    }
  }

  const reads = roleStatements(template, referencedLogicalId(fnResource.Properties?.Role)).filter((s) =>
    asArray(s.Action as Json | Json[]).some((a) => typeof a === 'string' && a.toLowerCase() === READ_SECRET),
  );
  if (reads.length === 0) emit(fnId, `${functionName}'s role may not read ${secretId} (secretsmanager:GetSecretValue)`);
  for (const s of reads) {
    for (const r of asArray(s.Resource as Json | Json[] | undefined)) {
      if (referencedLogicalId(r) !== secretId) {
        emit(
          fnId,
          `${functionName}'s role may read ${renderString(r) ?? '<?>'}: GetSecretValue must name only ${secretId}`,
        );
      }
    }
  }
  return findings;
}
