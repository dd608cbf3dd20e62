import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { bundleComposition, formatComposition, groupOf, sdkShareOf } from '../scenarios/bundle-composition';

const pnpm = (name: string, file: string) =>
  `../../node_modules/.pnpm/${name.replace('/', '+')}@1.0.0/node_modules/${name}/${file}`;

const metafile = {
  inputs: {},
  outputs: {
    '../../tmp/x/src/handler.mjs': {
      bytes: 10_240,
      imports: [],
      exports: [],
      entryPoint: 'src/handler.ts',
      inputs: {
        [pnpm('@aws-sdk/client-s3', 'dist-es/S3Client.js')]: { bytesInOutput: 4096 },
        [pnpm('@smithy/core', 'dist-es/index.js')]: { bytesInOutput: 2048 },
        [pnpm('zod', 'v4/core/core.js')]: { bytesInOutput: 2048 },
        [pnpm('@aws-lambda-powertools/logger', 'lib/esm/Logger.js')]: { bytesInOutput: 1024 },
        'src/handler.ts': { bytesInOutput: 512 },
        '../shared/src/config/index.ts': { bytesInOutput: 512 },
      },
    },
  },
} as unknown as Metafile;

describe('bundle composition: which modules weigh what in a Lambda bundle', () => {
  it('groups inputs by package, the workspace source as our code', () => {
    expect(groupOf(pnpm('@aws-sdk/lib-dynamodb', 'dist-es/index.js'))).toBe('@aws-sdk/*');
    expect(groupOf(pnpm('@middy/core', 'index.js'))).toBe('@middy/*');
    expect(groupOf(pnpm('mnemonist', 'lru-cache.js'))).toBe('other packages');
    expect(groupOf('../shared/src/aws/index.ts')).toBe('our code');
  });

  it('sums the bytes each group leaves in the output and names the largest packages', () => {
    const c = bundleComposition(metafile, '/tmp/x/src/handler.mjs');
    expect(c.totalBytes).toBe(10_240);
    expect(c.bytes['@aws-sdk/*']).toBe(4096);
    expect(c.bytes['our code']).toBe(1024);
    expect(sdkShareOf(c)).toBeCloseTo(0.6);
    expect(formatComposition(c)).toBe(
      '@aws-sdk/* 4 KB (40%), @smithy/* 2 KB (20%), zod 2 KB (20%), Powertools 1 KB (10%), our code 1 KB (10%); ' +
        'largest packages: @aws-sdk/client-s3 4 KB, @smithy/core 2 KB, zod 2 KB, @aws-lambda-powertools/logger 1 KB, our code 1 KB',
    );
  });

  it('names the outputs when the file is not one of them', () => {
    expect(() => bundleComposition(metafile, '/tmp/x/src/other.mjs')).toThrow(/src\/handler\.mjs/);
  });
});
