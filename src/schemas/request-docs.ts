/**
 * The API document's texts for a request object, kept beside its validating schema rather than in
 * it (see create-job-docs.ts), and how the document's generator puts them back on the schema.
 */
import type { ObjectSchema, Shape } from '../validation/schema.ts';

/** Documentation keywords (`description`, `examples`, …) for one schema. */
export type SchemaDocs = { description: string; [keyword: string]: unknown };

/** The object's texts and one entry per field (`undefined`: the field's schema carries its own). */
export interface RequestDocs<S extends ObjectSchema<Shape, 'strict'>> {
  description: string;
  fields: { [K in keyof S['shape']]: SchemaDocs | undefined };
}

/** The schema with its texts merged into each field's metadata, then the object's: what the document describes. */
export function documented<S extends Shape>(schema: ObjectSchema<S, 'strict'>, docs: RequestDocs<ObjectSchema<S, 'strict'>>): ObjectSchema<S, 'strict'> {
  const shape = Object.fromEntries(Object.entries(schema.shape).map(([key, field]) => [key, docs.fields[key] ? field.meta(docs.fields[key]) : field])) as S;
  return schema.extend(shape).meta({ description: docs.description }) as unknown as ObjectSchema<S, 'strict'>;
}
