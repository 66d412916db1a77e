// Training-process side of src/protocol/playground.ts: one playground session per process,
// requests answered in order (a model runs one request at a time).
import * as l10n from '@vscode/l10n';
import { isPlaygroundRequest, type PlaygroundReply, type PlaygroundRequest } from '../protocol/playground';
import { PlaygroundSession } from './playground';
import { describeError } from './trainer';
import type { TrainerDeps } from './trainerDeps';

export class PlaygroundHandler {
  private session: Promise<PlaygroundSession> | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: TrainerDeps,
    private readonly send: (reply: PlaygroundReply) => void,
  ) {}

  /** Handles `message` when it is a playground request; returns false otherwise. */
  handle(message: unknown): boolean {
    if (!isPlaygroundRequest(message)) return false;
    this.queue = this.queue.then(() => this.answer(message)).catch(() => undefined);
    return true;
  }

  private async answer(request: PlaygroundRequest): Promise<void> {
    if (request.type === 'playground/open') {
      // Opening again (a newer checkpoint while training) replaces the session.
      const previous = this.session;
      this.session = PlaygroundSession.open(request.runDir, this.deps);
      await previous?.then((s) => s.dispose()).catch(() => undefined);
      try {
        this.send({ type: 'playground/ready', info: (await this.session).info });
      } catch (error) {
        this.session = undefined;
        this.send({ type: 'playground/failure', message: describeError(error) });
      }
      return;
    }
    const id = request.id;
    try {
      if (!this.session) throw new Error(l10n.t('no run is open in the playground'));
      const session = await this.session;
      if (request.type === 'playground/classify') {
        const started = performance.now();
        const probabilities = await session.classify(request.input);
        this.send({ type: 'playground/probabilities', id, probabilities, ms: performance.now() - started });
      } else if (request.type === 'playground/classifyText') {
        const started = performance.now();
        const probabilities = await session.classifyText(request.text);
        this.send({ type: 'playground/probabilities', id, probabilities, ms: performance.now() - started });
      } else if (request.type === 'playground/classifyTexts') {
        const started = performance.now();
        const probabilities = await session.classifyTexts(request.texts);
        this.send({ type: 'playground/probabilities', id, probabilities, ms: performance.now() - started });
      } else if (request.type === 'playground/textAttention') {
        this.send({ type: 'playground/attention', id, snapshot: await session.textAttention(request.text) });
      } else if (request.type === 'playground/recurrent') {
        const { example, text } = request;
        this.send({ type: 'playground/recurrentView', id, view: await session.recurrent({ example, text }) });
      } else if (request.type === 'playground/featureMaps') {
        this.send({
          type: 'playground/featureMapView',
          id,
          view: await session.featureMaps(request.example),
        });
      } else {
        await session.generate(
          request.prompt,
          {
            temperature: request.temperature,
            topK: request.topK,
            length: request.length,
            random: Math.random,
          },
          (text) => this.send({ type: 'playground/token', id, text }),
        );
        this.send({ type: 'playground/done', id });
      }
    } catch (error) {
      this.send({ type: 'playground/failure', id, message: describeError(error) });
    }
  }
}
