/**
 * Entry of an image reader thread (dist/image-reader.js; imageReaders.ts starts them): reads each
 * image it is sent and sends back its pixels, their buffer moved rather than copied.
 */
import { parentPort } from 'node:worker_threads';
import { readImageJob, type ImageJob } from './imageJob';

const port = parentPort;
port?.on('message', (job: ImageJob) => {
  void readImageJob(job).then((outcome) =>
    port.postMessage(outcome, 'pixels' in outcome ? [outcome.pixels.buffer as ArrayBuffer] : []),
  );
});
