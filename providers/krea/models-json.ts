/**
 * Krea's derived models (catalog.ts) as JSON and back: how the Worker gets them, from a file
 * scripts/worker-assets.ts writes into its static assets, so its bundle carries neither the route
 * table nor the derivation. JSON has no sets: a wire's `properties` travels as an array.
 */
import type { ModelDescriptor } from '../types.ts';
import type { KreaWire } from './catalog.ts';

type KreaModel = ModelDescriptor<KreaWire>;

export function kreaModelsToJson(models: readonly KreaModel[]): string {
  return JSON.stringify(models, (_key, value: unknown) => (value instanceof Set ? [...value] : value));
}

export function kreaModelsFromJson(text: string): KreaModel[] {
  const models = JSON.parse(text) as (Omit<KreaModel, 'wire'> & { wire: Omit<KreaWire, 'properties'> & { properties: string[] } })[];
  return models.map((model) => ({ ...model, wire: { ...model.wire, properties: new Set(model.wire.properties) } }));
}
