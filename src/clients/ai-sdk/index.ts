/**
 * `vidgate/ai-sdk`: a vidgate gateway as a Vercel AI SDK video provider.
 *
 * ```ts
 * import { experimental_generateVideo as generateVideo } from 'ai';
 * import { createVidgate } from 'vidgate/ai-sdk';
 *
 * const vidgate = createVidgate({ baseURL: 'http://127.0.0.1:8787', apiKey: 'vidgate-sandbox-key' });
 * const { video } = await generateVideo({ model: vidgate.video('kling-2.5'), prompt: 'a red fox in snow', duration: 5 });
 * ```
 */
export { createVidgate, vidgate, type VidgateProvider, type VidgateProviderSettings } from './vidgate-provider.ts';
export { VidgateVideoModel, type VidgateVideoModelId } from './vidgate-video-model.ts';
export { vidgateVideoModelOptionsSchema, type VidgateVideoModelOptions } from './video-model-options.ts';
export { VidgateJobError } from './vidgate-job-error.ts';
