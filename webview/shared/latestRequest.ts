/**
 * One request in flight at a time, the latest wins: how the inside views ask the run's model
 * for a view. An input picked while an answer is awaited is only remembered; when the answer
 * (or its failure) comes, the last input picked is asked for if it is not the one just answered.
 * Answers to requests no longer awaited (the model was reloaded meanwhile) are ignored. Nothing
 * is asked before the model is ready.
 */
export class LatestRequest<Input> {
  private nextId = 1;
  private ready = false;
  /** The id of the request awaited, if one is. */
  private pending: number | undefined;
  /** The input last sent, and the one last picked. */
  private sent: Input | undefined;
  private wanted: Input | undefined;

  constructor(
    private readonly send: (id: number, input: Input) => void,
    private readonly same: (a: Input, b: Input) => boolean = Object.is,
  ) {}

  /** The model is (re)loaded: any awaited answer is stale, so `input` is asked for afresh. */
  restart(input: Input): void {
    this.ready = true;
    this.pending = undefined;
    this.ask(input);
  }

  /** Asks for `input` now, or once the awaited answer comes. */
  ask(input: Input): void {
    this.wanted = input;
    if (this.pending !== undefined || !this.ready) return;
    this.pending = this.nextId++;
    this.sent = input;
    this.send(this.pending, input);
  }

  /** The answer to request `id` came: `draw` it if it is the one awaited, then ask for what was picked meanwhile. */
  answered(id: number, draw: () => void): void {
    if (id !== this.pending) return;
    this.pending = undefined;
    draw();
    this.askPickedMeanwhile();
  }

  /**
   * A failure came, for request `id` or (no id) for the model as a whole: `report` it unless it
   * is for a request no longer awaited; after a request's failure, ask for what was picked meanwhile.
   */
  failed(id: number | undefined, report: () => void): void {
    if (id !== undefined && id !== this.pending) return;
    this.pending = undefined;
    report();
    if (id !== undefined) this.askPickedMeanwhile();
  }

  private askPickedMeanwhile(): void {
    const { wanted, sent } = this;
    if (wanted !== undefined && (sent === undefined || !this.same(wanted, sent))) this.ask(wanted);
  }
}
