import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { lazySchema, once } from '../../src/lazy';

describe('once', () => {
  it('builds on the first call and returns the same value after', () => {
    let builds = 0;
    const value = once(() => {
      builds += 1;
      return { n: builds };
    });
    expect(builds).toBe(0);
    const first = value();
    expect(value()).toBe(first);
    expect(builds).toBe(1);
  });

  it('keeps an undefined result instead of building again', () => {
    let builds = 0;
    const value = once(() => {
      builds += 1;
      return undefined;
    });
    value();
    value();
    expect(builds).toBe(1);
  });
});

describe('lazySchema', () => {
  it('builds the schema at first use, once, and parses as the schema itself', () => {
    let builds = 0;
    const schema = lazySchema(() => {
      builds += 1;
      return z.object({ name: z.string().min(1), count: z.coerce.number().int().default(1) });
    });
    expect(builds).toBe(0);
    expect(schema.parse({ name: 'a' })).toEqual({ name: 'a', count: 1 });
    const failed = schema.safeParse({ name: '' });
    expect(failed.success).toBe(false);
    expect(failed.error?.issues[0]?.path).toEqual(['name']);
    expect(builds).toBe(1);
  });

  it('is a zod schema to callers: instanceof, shape, extend, and nesting in other schemas', () => {
    const base = lazySchema(() => z.object({ a: z.string() }));
    expect(base).toBeInstanceOf(z.ZodObject);
    expect(base.shape.a.parse('x')).toBe('x');
    const extended = base.extend({ b: z.number() });
    expect(extended.parse({ a: 'x', b: 2 })).toEqual({ a: 'x', b: 2 });
    const outer = z.object({ inner: base });
    expect(outer.parse({ inner: { a: 'y' } })).toEqual({ inner: { a: 'y' } });
    expect(outer.safeParse({ inner: { a: 1 } }).error?.issues[0]?.path).toEqual(['inner', 'a']);
    expect(Object.keys({ ...base })).toEqual(Object.keys(base));
  });
});
