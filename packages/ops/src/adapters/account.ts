/** The AWS account the caller's credentials belong to (STS), for `--stage` without `--account`. */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { BadRequestError } from '@opendata-pulse/shared/errors';

export async function callerAccount(region: string): Promise<string> {
  const sts = new STSClient({ region });
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    if (!identity.Account) throw new Error('STS returned no account');
    return identity.Account;
  } catch (error) {
    throw new BadRequestError(
      `cannot find the AWS account (STS GetCallerIdentity failed: ${(error as Error).message}); check your AWS credentials or pass --account <id>`,
    );
  } finally {
    sts.destroy();
  }
}
