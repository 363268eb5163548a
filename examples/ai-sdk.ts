// Generates a video through a vidgate gateway with the Vercel AI SDK and saves it as video.mp4.
// VIDGATE_URL=http://127.0.0.1:8787 VIDGATE_API_KEY=vidgate-sandbox-key node ai-sdk.ts
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { experimental_generateVideo as generateVideo } from 'ai';
import { createVidgate } from 'vidgate/ai-sdk';

const vidgate = createVidgate({ baseURL: process.env.VIDGATE_URL, apiKey: process.env.VIDGATE_API_KEY });

const { video } = await generateVideo({
  model: vidgate.video('kling-2.5'),
  prompt: 'a red fox running through snow',
  duration: 5,
  aspectRatio: '16:9',
  providerOptions: { vidgate: { metadata: { order: '42' } } },
});

const path = resolve('video.mp4');
await writeFile(path, video.uint8Array);
console.log(path);
