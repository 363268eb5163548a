/**
 * The routing configuration vidgate ships with. Operators override any of it with
 * `VIDGATE_CONFIG` (wrangler `[vars]`, an environment variable, or a file on Node); an alias given
 * there replaces the default of the same name, so switching providers is a one-line change.
 */
import type { RoutingConfigInput } from './schema.ts';

export const DEFAULT_ROUTING: RoutingConfigInput = {
  aliases: {
    // Krea's Kling 2.5 takes an optional first frame; AI/ML API splits text- and image-to-video
    // into two models, so both follow as fallbacks and capabilities pick the one that fits.
    'kling-2.5': {
      description: 'Kling 2.5 (pro), text or image to video.',
      targets: ['krea/kling/kling-2.5', 'aimlapi/klingai/v2.5-turbo/pro/text-to-video', 'aimlapi/klingai/v2.5-turbo/pro/image-to-video'],
    },
    'veo-3.1': { description: 'Google Veo 3.1, with optional audio and 4K.', targets: ['krea/google/veo-3.1'] },
    'veo-3.1-fast': { description: 'Google Veo 3.1 Fast.', targets: ['krea/google/veo-3.1-fast'] },
    'hailuo-2.3': { description: 'MiniMax Hailuo 2.3 (no aspect ratio control).', targets: ['krea/minimax/hailuo-2.3'] },
    'wan-2.5': { description: 'Alibaba Wan 2.5, 5–10 s with seed and audio.', targets: ['krea/alibaba/wan-2.5'] },
    'wan-14b': { description: 'Krea Wan 14B text to video (length in frames: 1.125–10.125 s).', targets: ['aimlapi/krea/krea-wan-14b/text-to-video'] },
  },
};
