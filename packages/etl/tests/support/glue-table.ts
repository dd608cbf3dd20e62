/**
 * The curated Glue table as serverless.yml declares it, and every way it differs from what the
 * ETL writes: the Parquet writer's columns (names, Glue types, order) and the partition
 * directories of the curated keys.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CURATED_PREFIX, curatedObjectKey } from '@opendata-pulse/shared/keys';
import { parse, type YAMLSeq } from 'yaml';
import type { GlueColumn } from '../../src/domain/curated-parquet';

export const SERVERLESS_YML_PATH = fileURLToPath(new URL('../../serverless.yml', import.meta.url));
export const CURATED_TABLE = 'nsw_air_quality_hourly';

export function serverlessYmlText(): string {
  return readFileSync(SERVERLESS_YML_PATH, 'utf8');
}

/** CloudFormation's short forms, kept as their long forms so the file parses as plain YAML. */
const cfnTags = ['Ref', 'Sub', 'GetAtt', 'Join', 'Select', 'If', 'Equals', 'Not'].flatMap((name) => {
  const fn = name === 'Ref' ? 'Ref' : `Fn::${name}`;
  return [
    { tag: `!${name}`, resolve: (value: string) => ({ [fn]: value }) },
    { tag: `!${name}`, collection: 'seq' as const, resolve: (value: YAMLSeq) => ({ [fn]: value.toJSON() }) },
  ];
});

export interface DeclaredGlueTable {
  columns: GlueColumn[];
  partitionKeys: GlueColumn[];
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function glueColumns(value: unknown, where: string): GlueColumn[] {
  if (!Array.isArray(value)) throw new Error(`${where} is not a list of { Name, Type }`);
  return value.map((column, i) => {
    if (!isObject(column) || typeof column.Name !== 'string' || typeof column.Type !== 'string') {
      throw new Error(`${where}[${i}] is not { Name: <string>, Type: <string> }: ${JSON.stringify(column)}`);
    }
    return { Name: column.Name, Type: column.Type };
  });
}

/** `${self:custom.names.glueTable}` → the value at that path of the same file. */
function resolveSelf(doc: Json, value: unknown): unknown {
  const m = typeof value === 'string' ? /^\$\{self:([\w.]+)\}$/.exec(value) : null;
  if (!m) return value;
  return (m[1] ?? '').split('.').reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), doc);
}

/** The columns and partition keys of the Glue table named `table` in a serverless.yml's resources. */
export function declaredGlueTable(serverlessYml: string, table: string = CURATED_TABLE): DeclaredGlueTable {
  const doc: unknown = parse(serverlessYml, { customTags: cfnTags });
  const resources = isObject(doc) && isObject(doc.resources) ? doc.resources.Resources : undefined;
  if (!isObject(doc) || !isObject(resources)) throw new Error('serverless.yml has no resources.Resources');
  const tables = Object.entries(resources).filter(([, r]) => isObject(r) && r.Type === 'AWS::Glue::Table');
  const named = tables.map(([id, r]) => {
    const input = isObject(r) && isObject(r.Properties) ? r.Properties.TableInput : undefined;
    return { id, input, name: isObject(input) ? resolveSelf(doc, input.Name) : undefined };
  });
  const found = named.find((t) => t.name === table);
  if (!found || !isObject(found.input)) {
    const seen = named.map((t) => `${t.id} (${String(t.name)})`).join(', ') || 'none';
    throw new Error(`serverless.yml declares no AWS::Glue::Table named ${table} (found: ${seen})`);
  }
  const storage = found.input.StorageDescriptor;
  const where = `${found.id}.Properties.TableInput`;
  return {
    columns: glueColumns(isObject(storage) ? storage.Columns : undefined, `${where}.StorageDescriptor.Columns`),
    partitionKeys: glueColumns(found.input.PartitionKeys, `${where}.PartitionKeys`),
  };
}

/**
 * The partition columns the curated keys imply: each `name=value` directory between the curated
 * prefix and the file. Hive reads a partition value out of the path, so its Glue type is string.
 */
export function curatedPartitionKeys(): GlueColumn[] {
  const key = curatedObjectKey('2026-11-20T13:00:00Z');
  return key
    .slice(CURATED_PREFIX.length)
    .split('/')
    .slice(0, -1)
    .map((directory) => {
      const [name, value] = directory.split('=');
      if (!name || value === undefined) throw new Error(`curated key ${key}: "${directory}" is not name=value`);
      return { Name: name, Type: 'string' };
    });
}

const describeColumn = (c: GlueColumn) => `${c.Name} ${c.Type}`;

/**
 * Each difference between the Glue table's `list` ('Columns' or 'PartitionKeys') and what the ETL
 * writes, as a sentence naming the column; [] when they agree in names, types and order.
 */
export function glueDrift(
  list: 'Columns' | 'PartitionKeys',
  declared: readonly GlueColumn[],
  written: readonly GlueColumn[],
): string[] {
  const source = list === 'Columns' ? "the Parquet writer's schema" : 'the curated keys';
  const where = `${CURATED_TABLE} ${list}`;
  const problems: string[] = [];
  for (const w of written) {
    const d = declared.find((c) => c.Name === w.Name);
    if (!d) problems.push(`${where}: ${w.Name} (${w.Type}) is in ${source} but not in the Glue table`);
    else if (d.Type !== w.Type) {
      problems.push(`${where}: ${w.Name} is ${d.Type} in the Glue table but ${w.Type} in ${source}`);
    }
  }
  for (const d of declared) {
    if (!written.some((c) => c.Name === d.Name)) {
      problems.push(`${where}: ${d.Name} (${d.Type}) is in the Glue table but not in ${source}`);
    }
  }
  const order = (columns: readonly GlueColumn[]) => columns.map(describeColumn).join(', ');
  if (problems.length === 0 && order(declared) !== order(written)) {
    problems.push(`${where}: order differs from ${source}: expected ${order(written)}; found ${order(declared)}`);
  }
  return problems;
}
