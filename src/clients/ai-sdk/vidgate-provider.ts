/**
 * `createVidgate({ baseURL, apiKey })`: an AI SDK provider for a vidgate gateway. Settings fall back
 * to the environment the AI SDK way (`VIDGATE_URL`, `VIDGATE_API_KEY`), read when a call is made.
 */
import { NoSuchModelError, type Experimental_VideoModelV4 as VideoModelV4, type ProviderV4 } from '@ai-sdk/provider';
import { loadApiKey, loadSetting, withoutTrailingSlash, withUserAgentSuffix, type FetchFunction } from '@ai-sdk/provider-utils';
import { VidgateVideoModel, type VidgateVideoModelId } from './vidgate-video-model.ts';

export interface VidgateProviderSettings {
  /** The gateway's root URL, e.g. `http://127.0.0.1:8787` (no `/v1`). Default: the `VIDGATE_URL` environment variable. */
  baseURL?: string;
  /** A gateway key (one of its `GATEWAY_API_KEYS`). Default: the `VIDGATE_API_KEY` environment variable. */
  apiKey?: string;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** A fetch implementation to use instead of the global one (middleware, tests). */
  fetch?: FetchFunction;
}

export interface VidgateProvider extends ProviderV4 {
  /** A video model: an alias of the gateway (`kling-2.5`) or a direct id (`krea/kling/kling-2.5`). */
  video(modelId: VidgateVideoModelId): VideoModelV4;
  videoModel(modelId: VidgateVideoModelId): VideoModelV4;
}

export function createVidgate(options: VidgateProviderSettings = {}): VidgateProvider {
  const baseURL = () =>
    withoutTrailingSlash(loadSetting({ settingValue: options.baseURL, environmentVariableName: 'VIDGATE_URL', settingName: 'baseURL', description: 'vidgate gateway URL' }))!;
  const headers = () =>
    withUserAgentSuffix(
      {
        Authorization: `Bearer ${loadApiKey({ apiKey: options.apiKey, environmentVariableName: 'VIDGATE_API_KEY', description: 'vidgate gateway' })}`,
        ...options.headers,
      },
      'vidgate-ai-sdk',
    );
  const video = (modelId: VidgateVideoModelId) =>
    new VidgateVideoModel(modelId, { provider: 'vidgate.video', baseURL, headers, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const noSuchModel = (modelType: 'languageModel' | 'embeddingModel' | 'imageModel') => (modelId: string): never => {
    throw new NoSuchModelError({ modelId, modelType });
  };
  return {
    specificationVersion: 'v4',
    video,
    videoModel: video,
    languageModel: noSuchModel('languageModel'),
    embeddingModel: noSuchModel('embeddingModel'),
    imageModel: noSuchModel('imageModel'),
  };
}

/** A provider configured from the environment (`VIDGATE_URL`, `VIDGATE_API_KEY`). */
export const vidgate = createVidgate();
