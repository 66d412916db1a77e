/**
 * The conversation every inside view (CNN, LSTM/GRU) holds with its host, over a channel shaped
 * as protocol/insidePanel.ts says: the run's name goes into the title and the panel's saved
 * state; `playground/ready` names the checkpoint and, the weights being fresh, asks for the
 * current input again; the view reply is drawn if it answers the request awaited
 * (webview/shared/latestRequest.ts); `playground/failure` is shown in the view's error line.
 * A view supplies only what differs: its channel's guard, its request, how its inputs compare,
 * what its saved state holds and how it draws an answer.
 */
import * as l10n from '@vscode/l10n';
import type { InsideReply, InsideRunMessage } from '../../src/protocol/insidePanel';
import type { PanelRun, SingleRunPanelState } from '../../src/protocol/panelRuns';
import type { PlaygroundReply } from '../../src/protocol/playground';
import { connectToHost, type HostChannel } from './hostChannel';
import { showCheckpoint, type InsideHeader } from './insideView';
import { LatestRequest } from './latestRequest';

/** The inference process's reply that carries a view (`playground/featureMapView`, …). */
type ViewReply = Extract<PlaygroundReply, { view: unknown }>;

export interface InsideViewParts<Input, Reply extends ViewReply, Request, State extends SingleRunPanelState> {
  /** The channel's guard of what the host posts (its `isHostToWebview`). */
  readonly isHostToWebview: (value: unknown) => value is InsideRunMessage<string> | InsideReply<Reply>;
  /** The view's title, checkpoint line and error line (`insideHeader`). */
  readonly header: InsideHeader;
  /** The request asking for `input`'s view. */
  request(id: number, input: Input): Request;
  /** Whether two inputs ask for the same view (default: `Object.is`). */
  readonly same?: (a: Input, b: Input) => boolean;
  /** The input a restored panel's state names, or the first one when there is none. */
  restore(state: State | undefined): Input;
  /** What the panel's state keeps of `input` for `run` (the host reopens `runDir`). */
  save(run: PanelRun, input: Input): State;
  /** Draws an answered view (the error line is already hidden). */
  show(view: Reply['view']): void;
}

export class InsideConversation<Input, Reply extends ViewReply, Request, State extends SingleRunPanelState> {
  private run: PanelRun | undefined;
  private current: Input;
  private readonly channel: HostChannel<Request, State>;
  private readonly requests: LatestRequest<Input>;

  constructor(private readonly parts: InsideViewParts<Input, Reply, Request, State>) {
    this.channel = connectToHost<InsideRunMessage<string> | InsideReply<Reply>, Request, State>(
      parts.isHostToWebview,
      (message) => this.onMessage(message),
    );
    this.requests = new LatestRequest<Input>(
      (id, input) => this.channel.post(parts.request(id, input)),
      parts.same,
    );
    this.current = parts.restore(this.channel.getState());
  }

  /** The input shown, or asked for. */
  get input(): Input {
    return this.current;
  }

  /** Shows `input` from now on: kept in the panel's state and asked for (now, or after the answer awaited). */
  ask(input: Input): void {
    this.current = input;
    this.saveState();
    this.requests.ask(input);
  }

  private onMessage(message: InsideRunMessage<string> | InsideReply<Reply>): void {
    const { title, status, failure } = this.parts.header;
    if ('run' in message) {
      this.run = message.run;
      title.textContent = l10n.t('Look Inside — {0}', message.run.label);
      this.saveState();
    } else if ('view' in message) {
      this.requests.answered(message.id, () => {
        failure.hidden = true;
        this.parts.show(message.view);
      });
    } else if (message.type === 'playground/ready') {
      showCheckpoint(status, message.info);
      // Fresh weights: what is shown is stale, ask again.
      this.requests.restart(this.current);
    } else {
      this.requests.failed(message.id, () => {
        failure.textContent = message.message;
        failure.hidden = false;
      });
    }
  }

  private saveState(): void {
    if (this.run) this.channel.setState(this.parts.save(this.run, this.current));
  }
}
