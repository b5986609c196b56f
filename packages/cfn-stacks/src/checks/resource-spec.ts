import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";

/** A property or element type, as the AWS service specification writes it. */
export type SpecType =
  | { type: "string" | "number" | "integer" | "boolean" | "json" | "tag" | "date-time" | "null" }
  | { type: "array" | "map"; element: SpecType }
  | { type: "ref"; reference: { $ref: string } }
  | { type: "union"; types: SpecType[] };

export interface PropertySpec {
  /** The current type and any earlier ones CloudFormation still accepts. */
  types: SpecType[];
  required: boolean;
}

export interface ResourceSpec {
  /** Where the specification came from, for messages: package name and version. */
  source: string;
  hasResourceType(type: string): boolean;
  attributes(type: string): Set<string> | undefined;
  /** The attributes of a type whose value is a list (Fn::GetAtt returns a list). */
  listAttributes(type: string): Set<string>;
  /** Whether the specification marks the type as holding data. */
  isStateful(type: string): boolean;
  properties(type: string): Map<string, PropertySpec> | undefined;
  typeDefinition(id: string): { name: string; properties: Map<string, PropertySpec> } | undefined;
}

interface RawProperty {
  type: SpecType;
  previousTypes?: SpecType[];
  required?: boolean;
}

interface RawEntity {
  $id: string;
  name: string;
  cloudFormationType?: string;
  properties?: Record<string, RawProperty>;
  attributes?: Record<string, { type?: SpecType }>;
  isStateful?: boolean;
}

interface RawDatabase {
  schema: {
    resource: { entities: RawEntity[] };
    typeDefinition: { entities: RawEntity[] };
  };
}

const SPEC_PACKAGE = "@aws-cdk/aws-service-spec";

function toProperties(raw: Record<string, RawProperty> | undefined): Map<string, PropertySpec> {
  return new Map(
    Object.entries(raw ?? {}).map(([name, p]) => [
      name,
      { types: [p.type, ...(p.previousTypes ?? [])], required: p.required === true },
    ]),
  );
}

/** Builds the lookup structure from the specification database's JSON. */
export function indexResourceSpec(db: RawDatabase, source: string): ResourceSpec {
  const resources = new Map(
    db.schema.resource.entities
      .filter((e) => e.cloudFormationType)
      .map((e) => [e.cloudFormationType as string, e]),
  );
  const definitions = new Map(db.schema.typeDefinition.entities.map((e) => [e.$id, e]));
  const propertyCache = new Map<string, Map<string, PropertySpec>>();
  const propertiesOf = (entity: RawEntity) => {
    let cached = propertyCache.get(entity.$id);
    if (!cached) {
      cached = toProperties(entity.properties);
      propertyCache.set(entity.$id, cached);
    }
    return cached;
  };
  return {
    source,
    hasResourceType: (type) => resources.has(type),
    attributes: (type) => {
      const entity = resources.get(type);
      return entity ? new Set(Object.keys(entity.attributes ?? {})) : undefined;
    },
    listAttributes: (type) => {
      const entity = resources.get(type);
      return new Set(
        Object.entries(entity?.attributes ?? {})
          .filter(([, a]) => a.type?.type === "array")
          .map(([name]) => name),
      );
    },
    isStateful: (type) => resources.get(type)?.isStateful === true,
    properties: (type) => {
      const entity = resources.get(type);
      return entity ? propertiesOf(entity) : undefined;
    },
    typeDefinition: (id) => {
      const entity = definitions.get(id);
      return entity ? { name: entity.name, properties: propertiesOf(entity) } : undefined;
    },
  };
}

let loading: Promise<ResourceSpec> | undefined;

/**
 * Loads the CloudFormation resource specification shipped by the maintained
 * `@aws-cdk/aws-service-spec` package (the registry schemas of every resource
 * type, kept current by the AWS CDK team). Loaded once per process.
 */
export function loadResourceSpec(): Promise<ResourceSpec> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    const manifest = require.resolve(`${SPEC_PACKAGE}/package.json`);
    const { version } = JSON.parse(await readFile(manifest, "utf8")) as { version: string };
    const gz = await readFile(join(dirname(manifest), "db.json.gz"));
    const db = JSON.parse(gunzipSync(gz).toString("utf8")) as RawDatabase;
    return indexResourceSpec(db, `${SPEC_PACKAGE}@${version}`);
  })();
  return loading;
}
