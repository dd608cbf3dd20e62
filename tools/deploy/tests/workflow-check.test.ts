// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub expressions are spelt ${{ ... }}
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWorkflows, readWorkflows, WORKFLOW_RULES, type WorkflowFile } from '../workflow-check';

const WORKFLOWS = resolve(import.meta.dirname, '../../../.github/workflows');

function withFile(files: WorkflowFile[], path: string, edit: (text: string) => string): WorkflowFile[] {
  return files.map((f) => (f.path === path ? { path, text: edit(f.text) } : f));
}

describe('GitHub workflows', () => {
  const real = readWorkflows(WORKFLOWS);

  it('pass actionlint and every project rule', async () => {
    // Act
    const findings = await checkWorkflows(real);

    // Assess
    expect(findings).toEqual([]);
  });

  const cases: Array<{ what: string; path: string; rule: string; message: RegExp; edit(t: string): string }> = [
    {
      what: 'a syntax error actionlint knows (misspelt trigger key)',
      path: '.github/workflows/ingest.yml',
      rule: WORKFLOW_RULES.actionlint,
      message: /unexpected key "branch" for "push" section/,
      edit: (t) => t.replace('branches: [main]', 'branch: [main]'),
    },
    {
      what: 'an undefined input of a known action',
      path: '.github/workflows/etl.yml',
      rule: WORKFLOW_RULES.actionlint,
      message: /input "node-versionn" is not defined in action "actions\/setup-node@v4"/,
      edit: (t) => t.replace('node-version: 20', 'node-versionn: 20'),
    },
    {
      what: 'a workflow without top-level permissions',
      path: '.github/workflows/api.yml',
      rule: WORKFLOW_RULES.permissions,
      message: /declare top-level permissions/,
      edit: (t) => t.replace('permissions:\n  contents: read\n', ''),
    },
    {
      what: 'long-lived AWS keys',
      path: '.github/workflows/deploy.yml',
      rule: WORKFLOW_RULES.keys,
      message: /long-lived AWS keys/,
      edit: (t) =>
        t.replace(
          'role-to-assume: ${{ vars.AWS_DEPLOY_ROLE_ARN }}',
          'aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}\n          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}',
        ),
    },
    {
      what: 'a role ARN written into the workflow',
      path: '.github/workflows/deploy.yml',
      rule: WORKFLOW_RULES.oidc,
      message: /role-to-assume must come from a variable/,
      edit: (t) => t.replace('${{ vars.AWS_DEPLOY_ROLE_ARN }}', 'arn:aws:iam::123456789012:role/deploy'),
    },
    {
      what: 'OIDC without id-token: write',
      path: '.github/workflows/deploy.yml',
      rule: WORKFLOW_RULES.oidc,
      message: /needs permissions id-token: write/,
      edit: (t) => t.replace('      id-token: write\n', ''),
    },
    {
      what: 'an action pinned to a branch',
      path: '.github/workflows/ops.yml',
      rule: WORKFLOW_RULES.pinned,
      message: /actions\/checkout@main: pin to a version tag/,
      edit: (t) => t.replace('actions/checkout@v4', 'actions/checkout@main'),
    },
    {
      what: 'a package workflow that ignores shared changes',
      path: '.github/workflows/etl.yml',
      rule: WORKFLOW_RULES.coverage,
      message: /does not include packages\/shared\/\*\*/,
      edit: (t) => t.replaceAll('      - packages/shared/**\n', ''),
    },
    {
      what: 'a service workflow that does not package',
      path: '.github/workflows/api.yml',
      rule: WORKFLOW_RULES.coverage,
      message: /runs no its packaging step/,
      edit: (t) => t.replace('pnpm check:templates --service api', 'echo skipped'),
    },
    {
      what: 'a deploy that runs on push',
      path: '.github/workflows/deploy-prod.yml',
      rule: WORKFLOW_RULES.deploy,
      message: /only when started by hand/,
      edit: (t) => t.replace('on:\n', 'on:\n  push:\n    branches: [main]\n'),
    },
    {
      what: 'a stage workflow deploying another stage',
      path: '.github/workflows/deploy-dev.yml',
      rule: WORKFLOW_RULES.deploy,
      message: /with stage: dev/,
      edit: (t) => t.replace('stage: dev', 'stage: prod'),
    },
    {
      what: 'a deploy without the post-deploy check',
      path: '.github/workflows/deploy.yml',
      rule: WORKFLOW_RULES.postDeploy,
      message: /runs no post-deploy check \(`pulse health --after-deploy`\) after its `sls deploy` steps/,
      edit: (t) =>
        t.replace(
          '--silent pulse health --after-deploy --stage "${{ inputs.stage }}" --json > "$RUNNER_TEMP/live-after.json"',
          'echo skipped',
        ),
    },
    {
      what: 'a post-deploy check that cannot fail the job',
      path: '.github/workflows/deploy.yml',
      rule: WORKFLOW_RULES.postDeploy,
      message: /the post-deploy check must fail the job/,
      edit: (t) =>
        t.replace('        id: after-deploy\n', '        id: after-deploy\n        continue-on-error: true\n'),
    },
    {
      what: 'a rollback that runs on every deploy, not only a failed one',
      path: '.github/workflows/deploy.yml',
      rule: WORKFLOW_RULES.postDeploy,
      message: /the rollback step must run when the check fails: `if: failure\(\) && \.\.\.`/,
      edit: (t) => t.replace("        if: failure() && steps.after-deploy.outcome == 'failure'\n", ''),
    },
    {
      what: 'a deploy with no rollback (or one that would stop to ask)',
      path: '.github/workflows/deploy.yml',
      rule: WORKFLOW_RULES.postDeploy,
      message: /no rollback \(`pulse rollback --function \.\.\. --yes`\) after the post-deploy check/,
      edit: (t) => t.replace('--to-version "$version" --yes', '--to-version "$version"'),
    },
    {
      what: 'an e2e workflow that skips the test suite',
      path: '.github/workflows/e2e.yml',
      rule: WORKFLOW_RULES.e2e,
      message: /does not run `pnpm test`/,
      edit: (t) => t.replace('run: pnpm test\n', 'run: pnpm lint\n'),
    },
  ];

  it.each(cases)('catch $what', async ({ path, rule, message, edit }) => {
    // Prepare
    const files = withFile(real, path, edit);

    // Act
    const findings = await checkWorkflows(files);

    // Assess
    expect(findings).toContainEqual(
      expect.objectContaining({ template: path, rule, message: expect.stringMatching(message) }),
    );
  });

  it('report a package with no workflow at all', async () => {
    // Prepare
    const files = real.filter((f) => f.path !== '.github/workflows/shared.yml');

    // Act
    const findings = await checkWorkflows(files);

    // Assess
    expect(findings).toEqual([
      {
        template: '.github/workflows/shared.yml',
        resource: '-',
        rule: WORKFLOW_RULES.coverage,
        message: 'package shared has no workflow',
      },
    ]);
  });
});
