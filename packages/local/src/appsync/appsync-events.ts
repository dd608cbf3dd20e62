/**
 * Builds the event AppSync sends a direct Lambda resolver, from a graphql-js resolver call.
 */
import { type FieldNode, type GraphQLResolveInfo, Kind, print, type SelectionSetNode } from 'graphql/index.js';

export interface DirectLambdaEvent {
  arguments: Record<string, unknown>;
  identity: Record<string, unknown> | null;
  source: Record<string, unknown> | null;
  request: { headers: Record<string, string>; domainName: string | null };
  prev: null;
  info: {
    parentTypeName: string;
    fieldName: string;
    variables: Record<string, unknown>;
    selectionSetList: string[];
    selectionSetGraphQL: string;
  };
  stash: Record<string, never>;
}

/** AppSync's `selectionSetList`: every selected field as a slash path, fragments expanded. */
export function selectionSetList(info: GraphQLResolveInfo): string[] {
  const out = new Set<string>();
  const walk = (set: SelectionSetNode | undefined, prefix: string) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const path = `${prefix}${selection.name.value}`;
        out.add(path);
        walk(selection.selectionSet, `${path}/`);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, prefix);
      } else {
        walk(info.fragments[selection.name.value]?.selectionSet, prefix);
      }
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet, '');
  return [...out];
}

interface Selection {
  list: string[];
  graphql: string;
}

/**
 * A field's selection, worked out once per field node: the server's parser cache hands every
 * request with the same query text the same document, and a node's selection (fragments included,
 * which come from the same document) never changes.
 */
const selections = new WeakMap<FieldNode, Selection>();

function selectionOf(info: GraphQLResolveInfo): Selection {
  const [node] = info.fieldNodes;
  const cached = info.fieldNodes.length === 1 && node ? selections.get(node) : undefined;
  if (cached) return cached;
  const selectionSet = node?.selectionSet;
  const selection = { list: selectionSetList(info), graphql: selectionSet ? print(selectionSet) : '' };
  if (info.fieldNodes.length === 1 && node) selections.set(node, selection);
  return selection;
}

export function buildDirectLambdaEvent(input: {
  args: Record<string, unknown>;
  source: unknown;
  identity: Record<string, unknown> | null;
  headers: Record<string, string>;
  info: GraphQLResolveInfo;
}): DirectLambdaEvent {
  const { info } = input;
  const selection = selectionOf(info);
  return {
    arguments: { ...input.args },
    identity: input.identity,
    source: input.source && typeof input.source === 'object' ? (input.source as Record<string, unknown>) : null,
    request: { headers: input.headers, domainName: null },
    prev: null,
    info: {
      parentTypeName: info.parentType.name,
      fieldName: info.fieldName,
      variables: { ...info.variableValues },
      // a copy: the event is the function's to keep, the cached list is not
      selectionSetList: [...selection.list],
      selectionSetGraphQL: selection.graphql,
    },
    stash: {},
  };
}
