/**
 * A static site behind CloudFront (the dashboard, opendata-pulse-web; docs/DEPLOY.md, "The dashboard"):
 * viewers reach it over HTTPS only, the bucket only through origin access control, every answer carries
 * the security headers, and a bucket lets CloudFront read nothing but objects, for its own distribution.
 * Security rules (security-rules.ts) in their own module; each applies where a template has the resource.
 */
import { type Rule, rule } from './rule';
import {
  asArray,
  type CfnResource,
  type CfnTemplate,
  isObject,
  type Json,
  type JsonObject,
  referencedLogicalId,
  renderString,
  resourcesOfType,
  strings,
} from './template';

const configOf = (d: CfnResource): JsonObject =>
  isObject(d.Properties?.DistributionConfig) ? d.Properties.DistributionConfig : {};

/** The default cache behaviour and every other one, named for findings. */
function behaviours(d: CfnResource): Array<[string, JsonObject]> {
  const config = configOf(d);
  const out: Array<[string, JsonObject]> = [];
  if (isObject(config.DefaultCacheBehavior)) out.push(['DefaultCacheBehavior', config.DefaultCacheBehavior]);
  asArray(config.CacheBehaviors as Json[] | undefined).forEach((b, i) => {
    if (isObject(b)) out.push([`CacheBehaviors[${i}](${String(b.PathPattern)})`, b]);
  });
  return out;
}

const S3_DOMAIN = /\.s3([.-][a-z0-9-]+)?\.amazonaws\.com$/;

/** True when an origin's DomainName is a bucket's (GetAtt Bucket.RegionalDomainName/DomainName, or an S3 host). */
function isS3Origin(template: CfnTemplate, origin: JsonObject): boolean {
  if (isObject(origin.S3OriginConfig)) return true;
  const target = referencedLogicalId(origin.DomainName);
  if (target && template.Resources[target]?.Type === 'AWS::S3::Bucket') return true;
  const rendered = renderString(origin.DomainName as Json);
  return rendered !== undefined && S3_DOMAIN.test(rendered);
}

export const cloudfrontHttpsOnly = rule(
  'cloudfront-https-only',
  'Every CloudFront cache behaviour sends viewers over HTTPS only (ViewerProtocolPolicy redirect-to-https or https-only)',
  (template, emit) => {
    for (const [id, d] of resourcesOfType(template, 'AWS::CloudFront::Distribution')) {
      for (const [where, b] of behaviours(d)) {
        if (b.ViewerProtocolPolicy !== 'redirect-to-https' && b.ViewerProtocolPolicy !== 'https-only') {
          emit(
            id,
            `${where}: ViewerProtocolPolicy ${JSON.stringify(b.ViewerProtocolPolicy ?? null)} serves plain HTTP`,
          );
        }
      }
    }
  },
);

export const cloudfrontOriginAccessControl = rule(
  'cloudfront-origin-access-control',
  'Every S3 origin of a distribution is read through an origin access control of the template (SigV4, always signed), never a legacy origin access identity',
  (template, emit) => {
    for (const [id, d] of resourcesOfType(template, 'AWS::CloudFront::Distribution')) {
      asArray(configOf(d).Origins as Json[] | undefined).forEach((o, i) => {
        if (!isObject(o) || !isS3Origin(template, o)) return;
        const where = `Origins[${i}](${String(o.Id)})`;
        const oai = isObject(o.S3OriginConfig) ? o.S3OriginConfig.OriginAccessIdentity : undefined;
        if (oai !== undefined && oai !== '') emit(id, `${where}: uses an origin access identity (OAI); use OAC`);
        const oacId = referencedLogicalId(o.OriginAccessControlId);
        const oac = oacId ? template.Resources[oacId] : undefined;
        if (oac?.Type !== 'AWS::CloudFront::OriginAccessControl') {
          emit(
            id,
            `${where}: no OriginAccessControlId naming an AWS::CloudFront::OriginAccessControl of this template`,
          );
          return;
        }
        const c = oac.Properties?.OriginAccessControlConfig;
        if (
          !isObject(c) ||
          c.OriginAccessControlOriginType !== 's3' ||
          c.SigningBehavior !== 'always' ||
          c.SigningProtocol !== 'sigv4'
        ) {
          emit(oacId ?? id, 'the origin access control must be type s3, SigningBehavior always, SigningProtocol sigv4');
        }
      });
    }
  },
);

/** The policy's CSP directives, by name. */
export function cspDirectives(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}

const HSTS_MIN_SECONDS = 31_536_000;

/** What a response headers policy lacks of the site's baseline; empty when nothing. */
export function headerProblems(policy: CfnResource): string[] {
  const config = policy.Properties?.ResponseHeadersPolicyConfig;
  const sec = isObject(config) && isObject(config.SecurityHeadersConfig) ? config.SecurityHeadersConfig : {};
  const problems: string[] = [];
  const section = (key: string): JsonObject | undefined => (isObject(sec[key]) ? (sec[key] as JsonObject) : undefined);
  const overrides = (key: string) => section(key)?.Override === true || section(key)?.Override === 'true';

  const cspSection = section('ContentSecurityPolicy');
  const csp = renderString(cspSection?.ContentSecurityPolicy as Json);
  if (!csp) problems.push('no Content-Security-Policy');
  else {
    const d = cspDirectives(csp);
    if (!d.has('default-src')) problems.push('the CSP has no default-src');
    if (d.get('frame-ancestors')?.join(' ') !== "'none'") problems.push("the CSP must say frame-ancestors 'none'");
    for (const [name, sources] of d) {
      for (const bad of sources.filter((s) =>
        ["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:'].includes(s),
      )) {
        problems.push(`the CSP's ${name} allows ${bad}`);
      }
    }
  }
  const hsts = section('StrictTransportSecurity');
  if (!hsts || !(Number(hsts.AccessControlMaxAgeSec) >= HSTS_MIN_SECONDS)) {
    problems.push(`no Strict-Transport-Security of at least ${HSTS_MIN_SECONDS} s (one year)`);
  }
  if (section('FrameOptions')?.FrameOption !== 'DENY') problems.push('X-Frame-Options is not DENY');
  if (!section('ContentTypeOptions')) problems.push('no X-Content-Type-Options (nosniff)');
  if (!section('ReferrerPolicy')?.ReferrerPolicy) problems.push('no Referrer-Policy');
  const present = [
    'ContentSecurityPolicy',
    'StrictTransportSecurity',
    'FrameOptions',
    'ContentTypeOptions',
    'ReferrerPolicy',
  ];
  const kept = present.filter((k) => section(k) && !overrides(k));
  if (kept.length > 0) problems.push(`Override is not true for ${kept.join(', ')}: an origin's header would win`);
  return problems;
}

export const cloudfrontSecurityHeaders = rule(
  'cloudfront-security-headers',
  "Every CloudFront cache behaviour attaches a response headers policy of the template with a CSP (default-src, frame-ancestors 'none', nothing unsafe or wildcard), HSTS ≥ 1 year, X-Frame-Options DENY, nosniff and a Referrer-Policy, each overriding the origin",
  (template, emit) => {
    for (const [id, d] of resourcesOfType(template, 'AWS::CloudFront::Distribution')) {
      for (const [where, b] of behaviours(d)) {
        const policyId = referencedLogicalId(b.ResponseHeadersPolicyId);
        const policy = policyId ? template.Resources[policyId] : undefined;
        if (!policyId || policy?.Type !== 'AWS::CloudFront::ResponseHeadersPolicy') {
          emit(
            id,
            `${where}: no ResponseHeadersPolicyId naming an AWS::CloudFront::ResponseHeadersPolicy of this template`,
          );
          continue;
        }
        for (const problem of headerProblems(policy)) emit(policyId, problem);
      }
    }
  },
);

/**
 * A bucket policy statement letting CloudFront in must grant s3:GetObject on objects only, and only to a
 * distribution of this template (AWS:SourceArn); the bucket behind it enforces object ownership.
 */
export const s3CloudFrontReadOnly = rule(
  's3-cloudfront-read-only',
  'A bucket policy lets the CloudFront service principal only s3:GetObject on objects, on condition AWS:SourceArn is a distribution of the template; that bucket enforces object ownership',
  (template, emit) => {
    const distributions = resourcesOfType(template, 'AWS::CloudFront::Distribution').map(([id]) => id);
    for (const [id, policy] of resourcesOfType(template, 'AWS::S3::BucketPolicy')) {
      const doc = policy.Properties?.PolicyDocument;
      const statements = isObject(doc) ? asArray(doc.Statement as Json | Json[] | undefined).filter(isObject) : [];
      statements.forEach((s, i) => {
        const principal = s.Principal;
        const services = isObject(principal) ? strings(principal.Service) : [];
        if (s.Effect !== 'Allow' || !services.includes('cloudfront.amazonaws.com')) return;
        const where = `Statement[${i}]`;
        const actions = strings(s.Action);
        if (actions.length !== 1 || actions[0] !== 's3:GetObject') {
          emit(id, `${where}: grants CloudFront ${actions.join(', ')}; only s3:GetObject`);
        }
        const resources = asArray(s.Resource as Json | Json[] | undefined).map((r) => renderString(r) ?? '<?>');
        if (resources.some((r) => !r.endsWith('/*'))) emit(id, `${where}: must name the bucket's objects only (…/*)`);
        const condition = isObject(s.Condition) && isObject(s.Condition.StringEquals) ? s.Condition.StringEquals : {};
        const source = renderString(condition['AWS:SourceArn'] as Json) ?? '';
        if (!distributions.some((d) => source.includes(`:distribution/\${${d}}`))) {
          emit(
            id,
            `${where}: no StringEquals AWS:SourceArn naming a distribution of this template (any distribution could read)`,
          );
        }
        const bucketId = referencedLogicalId(policy.Properties?.Bucket);
        const bucket = bucketId ? template.Resources[bucketId] : undefined;
        const rules = bucket?.Properties?.OwnershipControls;
        const enforced =
          isObject(rules) &&
          asArray(rules.Rules as Json[] | undefined).some(
            (r) => isObject(r) && r.ObjectOwnership === 'BucketOwnerEnforced',
          );
        if (bucketId && !enforced)
          emit(bucketId, 'a bucket behind CloudFront must set ObjectOwnership BucketOwnerEnforced');
      });
    }
  },
);

export const CLOUDFRONT_RULES: Rule[] = [
  cloudfrontHttpsOnly,
  cloudfrontOriginAccessControl,
  cloudfrontSecurityHeaders,
  s3CloudFrontReadOnly,
];
