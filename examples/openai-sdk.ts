// Generates a video through a vidgate gateway with the official openai SDK and saves it as video.mp4.
// VIDGATE_URL=http://127.0.0.1:8787 VIDGATE_API_KEY=vidgate-sandbox-key node openai-sdk.ts
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: `${process.env.VIDGATE_URL}/v1`, apiKey: process.env.VIDGATE_API_KEY });

let video = await client.videos.create({ model: 'veo-3.1', prompt: 'a red fox running through snow', seconds: '8', size: '1280x720' });
while (video.status === 'queued' || video.status === 'in_progress') {
  await new Promise((done) => setTimeout(done, 2000));
  video = await client.videos.retrieve(video.id);
}
if (video.status === 'failed') throw new Error(`${video.error?.code}: ${video.error?.message}`);

const content = await client.videos.downloadContent(video.id);
const path = resolve('video.mp4');
await writeFile(path, Buffer.from(await content.arrayBuffer()));
console.log(path);
