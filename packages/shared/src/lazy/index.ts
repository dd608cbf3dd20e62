/**
 * Values built on first use instead of at import. A Lambda's cold start runs every module's top
 * level before the first invocation; zod schemas are objects whose construction costs more than
 * parsing the code that declares them, so schemas a module exports are built when first used
 * (docs/DEPLOY.md, "Source maps and cold starts").
 */

/** `build()` run on the first call and its result returned from then on. */
export function once<T>(build: () => T): () => T {
  let built = false;
  let value: T;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value;
  };
}

/**
 * A stand-in for the object `build` returns (a zod schema), built when any property of it is first
 * read: callers use it as the schema itself (`schema.safeParse(x)`, `schema.shape`, `.extend()`,
 * `z.output<typeof schema>`), `instanceof` included. Inside other schemas, nest the built schema
 * (pass `build`'s result, e.g. a `once` thunk called in the outer builder), not the stand-in, so
 * parsing never goes through the forwarding.
 */
export function lazySchema<T extends object>(build: () => T): T {
  const target = once(build);
  return new Proxy({} as T, {
    get: (_, key) => {
      const schema = target();
      return Reflect.get(schema, key, schema);
    },
    set: (_, key, value) => Reflect.set(target(), key, value),
    has: (_, key) => Reflect.has(target(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(target()),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
      // A proxy may not report a property as non-configurable unless its own target has it.
      return descriptor ? { ...descriptor, configurable: true } : undefined;
    },
  });
}
