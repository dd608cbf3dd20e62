/**
 * What a bundle is made of: the bytes each input left in the output (esbuild's metafile), grouped
 * by where they come from, so BENCH.md says which modules a cold start parses.
 */
import type { Metafile } from 'esbuild';

export const COMPOSITION_GROUPS = [
  '@aws-sdk/*',
  '@smithy/*',
  '@aws-crypto/*',
  'zod',
  'Powertools',
  '@middy/*',
  'other packages',
  'our code',
] as const;
export type CompositionGroup = (typeof COMPOSITION_GROUPS)[number];

/** The AWS SDK as the bench counts it: the clients and the parts they are built from. */
export const SDK_GROUPS: readonly CompositionGroup[] = ['@aws-sdk/*', '@smithy/*', '@aws-crypto/*'];

export interface BundleComposition {
  /** bytes of the bundle's code that come from inputs (esbuild's own helpers excluded) */
  totalBytes: number;
  bytes: Record<CompositionGroup, number>;
  /** the largest single packages, for the note */
  topPackages: Array<{ name: string; bytes: number }>;
}

const PACKAGE = /(?:^|\/)node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//;

/** The package an input path belongs to; undefined for the workspace's own source. */
export function packageOf(input: string): string | undefined {
  return PACKAGE.exec(input)?.[1];
}

export function groupOf(input: string): CompositionGroup {
  const name = packageOf(input);
  if (!name) return 'our code';
  if (name.startsWith('@aws-sdk/')) return '@aws-sdk/*';
  if (name.startsWith('@smithy/')) return '@smithy/*';
  if (name.startsWith('@aws-crypto/')) return '@aws-crypto/*';
  if (name === 'zod') return 'zod';
  if (name.startsWith('@aws-lambda-powertools/')) return 'Powertools';
  if (name.startsWith('@middy/')) return '@middy/*';
  return 'other packages';
}

/** The composition of `outFile` (a path ending like one of the metafile's outputs). */
export function bundleComposition(metafile: Metafile, outFile: string): BundleComposition {
  const out = Object.entries(metafile.outputs).find(([path]) => outFile.endsWith(path.replace(/^(\.\.\/)+/, '')));
  if (!out)
    throw new Error(`${outFile} is not one of the build's outputs (${Object.keys(metafile.outputs).join(', ')})`);
  const bytes = Object.fromEntries(COMPOSITION_GROUPS.map((g) => [g, 0])) as Record<CompositionGroup, number>;
  const packages = new Map<string, number>();
  let totalBytes = 0;
  for (const [path, { bytesInOutput }] of Object.entries(out[1].inputs)) {
    totalBytes += bytesInOutput;
    bytes[groupOf(path)] += bytesInOutput;
    const name = packageOf(path) ?? 'our code';
    packages.set(name, (packages.get(name) ?? 0) + bytesInOutput);
  }
  const topPackages = [...packages]
    .map(([name, b]) => ({ name, bytes: b }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5);
  return { totalBytes, bytes, topPackages };
}

/** Share of the bundle's input bytes that is the AWS SDK. */
export function sdkShareOf(c: BundleComposition): number {
  return c.totalBytes ? SDK_GROUPS.reduce((sum, g) => sum + c.bytes[g], 0) / c.totalBytes : 0;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

/** One line for BENCH.md: every non-empty group with its KB and share, then the largest packages. */
export function formatComposition(c: BundleComposition): string {
  const share = (b: number) => `${((b / (c.totalBytes || 1)) * 100).toFixed(0)}%`;
  const groups = COMPOSITION_GROUPS.filter((g) => c.bytes[g] > 0)
    .sort((a, b) => c.bytes[b] - c.bytes[a])
    .map((g) => `${g} ${kb(c.bytes[g])} (${share(c.bytes[g])})`);
  const top = c.topPackages.map((p) => `${p.name} ${kb(p.bytes)}`);
  return `${groups.join(', ')}; largest packages: ${top.join(', ')}`;
}
