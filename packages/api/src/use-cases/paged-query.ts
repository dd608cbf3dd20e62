/**
 * The pagination every series query shares: resume from a token bound to the query's arguments, or
 * resolve the window afresh; read one page; issue the next token with the same window.
 */

import type { PageTokenCodec, TokenScope } from '../domain/page-token';
import type { Page, StartKey } from './ports';

export interface Connection<T> {
  items: T[];
  nextToken: string | null;
}

export async function pagedQuery<T, W extends Record<string, string | number>>(options: {
  tokens: PageTokenCodec;
  scope: TokenScope;
  nextToken: string | undefined;
  resolveWindow: () => W;
  read: (window: W, startKey: StartKey | undefined) => Promise<Page<T>>;
}): Promise<Connection<T>> {
  const resumed = options.nextToken === undefined ? undefined : options.tokens.decode(options.nextToken, options.scope);
  // A token is only ever issued for this scope with the window this function recorded.
  const window = (resumed?.window as W | undefined) ?? options.resolveWindow();
  const page = await options.read(window, resumed?.key);
  return {
    items: page.items,
    nextToken: page.nextKey ? options.tokens.encode(options.scope, { window, key: page.nextKey }) : null,
  };
}
