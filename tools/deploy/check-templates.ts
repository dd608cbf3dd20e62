/**
 * `pnpm check:templates [--stage prod] [--service ingest,...] [--no-package] [--write-docs] [--json]`
 *
 * Packages every service offline (unless --no-package and templates exist), then runs every check
 * over the packaged templates: the CloudFormation specification, the security rules, the contract
 * names, the compose links, and that docs/DEPLOY.md's resource table is current (with all four
 * services; `--service` checks only the named ones, as a package's CI does). Exits 1 on any
 * finding, printing each as `template: resource: [rule] message`.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkPackaged } from './check';
import { checkComposeWiring, paramRows, readCompose, serviceConfigText } from './compose';
import { DEFAULT_OUT, packageServices, ROOT } from './package';
import {
  currentBlock,
  normaliseBlock,
  PARAMS_END,
  PARAMS_START,
  renderParamsTable,
  renderResourceTable,
  resourceCounts,
  spliceBlock,
} from './resource-table';
import { SERVICE_IDS, SERVICES, type ServiceId } from './services';
import { type CfnTemplate, type Finding, formatFinding } from './template';

export const DEPLOY_DOC = 'docs/DEPLOY.md';

export interface CheckRun {
  findings: Finding[];
  counts: Record<string, number>;
  table: string;
}

export function checkBuild(dir: string, options: { writeDocs?: boolean; requireAll?: boolean } = {}): CheckRun {
  const { manifest, findings, templates } = checkPackaged(dir, { requireAll: options.requireAll ?? true });
  const byId: Partial<Record<string, CfnTemplate>> = {};
  for (const svc of manifest.services) byId[svc.id] = templates.find((t) => t.name === svc.file)?.template;
  const yml: Partial<Record<string, string>> = {};
  for (const svc of SERVICES) {
    const file = join(ROOT, svc.dir, 'serverless.yml');
    if (existsSync(file)) yml[svc.id] = serviceConfigText(file);
  }
  findings.push(...checkComposeWiring(readCompose(ROOT), byId, yml, manifest.stage));

  const ordered = SERVICE_IDS.flatMap((id) => {
    const svc = manifest.services.find((s) => s.id === id);
    const template = svc && templates.find((t) => t.name === svc.file);
    return template ? [{ id: id as ServiceId, template }] : [];
  });
  const table = renderResourceTable(manifest.stage, ordered);
  const counts = Object.fromEntries(ordered.map(({ id, template }) => [id, resourceCounts(template)]));

  // The published tables document prod; other stages only differ by suffix and param values.
  if (manifest.stage === 'prod' && ordered.length === SERVICE_IDS.length) {
    const docPath = join(ROOT, DEPLOY_DOC);
    const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '';
    const params = renderParamsTable(paramRows(readCompose(ROOT), yml));
    if (options.writeDocs) {
      writeFileSync(docPath, spliceBlock(spliceBlock(doc, params, PARAMS_START, PARAMS_END), table));
      // The repository formats Markdown with biome (tables aligned); leave the page as biome would.
      spawnSync(join(ROOT, 'node_modules/.bin/biome'), ['format', '--write', DEPLOY_DOC], {
        cwd: ROOT,
        stdio: 'ignore',
      });
    } else {
      const stale = [
        normaliseBlock(currentBlock(doc)) !== normaliseBlock(table) ? 'resource table' : undefined,
        normaliseBlock(currentBlock(doc, PARAMS_START, PARAMS_END)) !== normaliseBlock(params)
          ? 'stage params table'
          : undefined,
      ].filter((x) => x !== undefined);
      for (const what of stale) {
        findings.push({
          template: DEPLOY_DOC,
          resource: what,
          rule: 'docs-generated-tables',
          message:
            'out of date with the packaged templates and serverless.yml files: run `pnpm check:templates --write-docs`',
        });
      }
    }
  }
  return { findings, counts, table };
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      stage: { type: 'string', default: 'prod' },
      service: { type: 'string', multiple: true },
      out: { type: 'string', default: DEFAULT_OUT },
      'no-package': { type: 'boolean', default: false },
      'write-docs': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const dir = resolve(ROOT, values.out);
  const services = (values.service ?? [...SERVICE_IDS]).flatMap((s) => s.split(',')) as ServiceId[];
  for (const s of services) if (!SERVICE_IDS.includes(s)) throw new Error(`unknown service "${s}"`);
  if (!values['no-package'] || !existsSync(join(dir, 'manifest.json'))) {
    const started = Date.now();
    await packageServices({
      stage: values.stage,
      services,
      out: values.out,
      compose: false,
      log: (line) => err(line),
    });
    err(`packaged in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const { findings, counts } = checkBuild(dir, {
    writeDocs: values['write-docs'],
    requireAll: values.service === undefined,
  });
  if (values.json) {
    out(JSON.stringify({ counts, findings }, null, 2));
  } else {
    out(
      `resources: ${Object.entries(counts)
        .map(([id, n]) => `${id} ${n}`)
        .join(', ')}`,
    );
    for (const f of findings) out(formatFinding(f));
    out(findings.length === 0 ? 'template checks: no findings' : `template checks: ${findings.length} finding(s)`);
  }
  if (findings.length > 0) process.exit(1);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    err((error as Error).message);
    process.exit(1);
  });
}
