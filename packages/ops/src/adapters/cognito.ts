/** The API's Cognito user pool, as operators look at it: finding pool and client, signing in, passwords. */
import {
  AdminGetUserCommand,
  type AdminGetUserCommandOutput,
  AdminInitiateAuthCommand,
  type AdminInitiateAuthCommandOutput,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  type UserPoolClientType,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { NotFoundError } from '@opendata-pulse/shared/errors';
import { BASE_NAMES, stageName } from '@opendata-pulse/shared/infra';

/** `poolId` when given, else the pool named for the stage (every page of pools is looked at). */
export async function findUserPool(
  cognito: CognitoIdentityProviderClient,
  stage: string,
  poolId?: string,
): Promise<string> {
  if (poolId) return poolId;
  const name = stageName(BASE_NAMES.userPool, stage);
  let token: string | undefined;
  do {
    const page = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken: token }));
    const found = page.UserPools?.find((p) => p.Name === name);
    if (found?.Id) return found.Id;
    token = page.NextToken;
  } while (token);
  throw new NotFoundError(`no Cognito user pool named ${name}; pass --user-pool-id`);
}

/** `clientId` when given, else the API's app client (or the pool's only one). */
export async function findAppClient(
  cognito: CognitoIdentityProviderClient,
  poolId: string,
  stage: string,
  clientId?: string,
): Promise<string> {
  if (clientId) return clientId;
  const name = stageName(BASE_NAMES.userPoolClient, stage);
  const { UserPoolClients = [] } = await cognito.send(
    new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }),
  );
  const found = UserPoolClients.find((c) => c.ClientName === name) ?? UserPoolClients[0];
  if (!found?.ClientId) throw new NotFoundError(`user pool ${poolId} has no app client; pass --client-id`);
  return found.ClientId;
}

export async function describeUserPool(
  cognito: CognitoIdentityProviderClient,
  poolId: string,
): Promise<UserPoolType | undefined> {
  return (await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool;
}

export async function describeAppClient(
  cognito: CognitoIdentityProviderClient,
  poolId: string,
  clientId: string,
): Promise<UserPoolClientType | undefined> {
  return (await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId })))
    .UserPoolClient;
}

/** Sign in as the user would, through the admin password flow (the client must allow it). */
export async function adminSignIn(
  cognito: CognitoIdentityProviderClient,
  input: { poolId: string; clientId: string; user: string; password: string },
): Promise<AdminInitiateAuthCommandOutput> {
  return cognito.send(
    new AdminInitiateAuthCommand({
      UserPoolId: input.poolId,
      ClientId: input.clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: input.user, PASSWORD: input.password },
    }),
  );
}

export async function getUser(
  cognito: CognitoIdentityProviderClient,
  poolId: string,
  user: string,
): Promise<AdminGetUserCommandOutput> {
  return cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: user }));
}

/** A temporary password: the user must choose a new one at the next sign-in. */
export async function setTemporaryPassword(
  cognito: CognitoIdentityProviderClient,
  poolId: string,
  user: string,
  password: string,
): Promise<void> {
  await cognito.send(
    new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: user, Password: password, Permanent: false }),
  );
}
