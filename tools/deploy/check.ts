/**
 * All checks over one template or a packaged set: the CloudFormation specification, the security
 * rules and (for a packaged service) the contract names (docs/architecture.md, "Names").
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkContract } from './contract-check';
import { checkSecurity } from './security-rules';
import { SERVICE_IDS, type ServiceId } from './services';
import { checkAgainstSpec } from './spec-check';
import type { CfnTemplate, Finding, NamedTemplate } from './template';

export function checkTemplate(t: NamedTemplate): Finding[] {
  return [...checkAgainstSpec(t), ...checkSecurity(t)];
}

export interface PackagedService {
  id: ServiceId;
  file: string;
  seconds: number;
}

export interface Manifest {
  stage: string;
  region: string;
  mode: 'params' | 'compose';
  params: Record<string, Record<string, string>>;
  services: PackagedService[];
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

export function readTemplate(file: string): CfnTemplate {
  return JSON.parse(readFileSync(file, 'utf8')) as CfnTemplate;
}

/** Every check over a packaged set; templates are named `<service>.json` as in the build folder. */
export function checkPackaged(
  dir: string,
  options: { requireAll?: boolean } = {},
): { manifest: Manifest; findings: Finding[]; templates: NamedTemplate[] } {
  const manifest = readManifest(dir);
  const findings: Finding[] = [];
  const templates: NamedTemplate[] = [];
  for (const svc of manifest.services) {
    const template = readTemplate(join(dir, svc.file));
    const named = { name: svc.file, template };
    templates.push(named);
    findings.push(
      ...checkTemplate(named),
      ...checkContract(svc.id, manifest.stage, template).map((f) => ({ ...f, template: svc.file })),
    );
  }
  for (const id of options.requireAll === false ? [] : SERVICE_IDS) {
    if (!manifest.services.some((s) => s.id === id)) {
      findings.push({
        template: `${id}.json`,
        resource: '-',
        rule: 'package-all-services',
        message: `service ${id} was not packaged`,
      });
    }
  }
  return { manifest, findings, templates };
}
