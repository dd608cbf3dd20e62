/**
 * esbuild plugins for the Lambda bundles (each service's serverless.yml names this file under
 * custom.esbuild.plugins; serverless-esbuild require()s it, hence CommonJS).
 *
 * static-event-streams: @smithy/core's HttpProtocol loads its event-stream support with a dynamic
 * import(). esbuild then wraps that module, and every module it depends on (most of the SDK's
 * protocol and schema code), in a lazy initialiser, which the client's own static import of the
 * same module runs at load anyway: V8 then compiles those modules twice at every cold start (once
 * to pre-parse the wrapper, once when it runs). Importing it statically keeps them unwrapped
 * (docs/DEPLOY.md, "Source maps and cold starts").
 */
const { readFile } = require('node:fs/promises');

const DYNAMIC = 'await import("@smithy/core/event-streams")';

/** @type {import('esbuild').Plugin} */
const staticEventStreams = {
  name: 'static-event-streams',
  setup(build) {
    build.onLoad(
      { filter: /[\\/]@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]protocols[\\/]HttpProtocol\.js$/ },
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!source.includes(DYNAMIC)) {
          return {
            contents: source,
            warnings: [{ text: `static-event-streams: no ${DYNAMIC} in ${args.path} any more; the plugin can go` }],
          };
        }
        return {
          contents: `import * as __eventStreams from "@smithy/core/event-streams";\n${source.replaceAll(DYNAMIC, '__eventStreams')}`,
          loader: 'js',
        };
      },
    );
  },
};

module.exports = [staticEventStreams];
