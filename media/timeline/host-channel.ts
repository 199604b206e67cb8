// The webview's only line to its host: acquireVsCodeApi().postMessage out, window 'message' events
// in. Data requests carry an id and resolve when the matching response arrives; `configure` and
// `changed` go to the handlers the app sets.

import type {
  HostToWebview, RequestArgs, RequestBody, TimelineInfoBody, TimelineRequestName, TimelineSettings, WebviewRequest, WebviewToHost,
} from '../../src/shared/timeline-protocol.js';

/** What VS Code's webview API gives a page (and what the test harness stands in for). */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  function acquireVsCodeApi(): VsCodeApi;
}

interface Pending {
  resolve(body: unknown): void;
  reject(error: Error): void;
}

export class HostChannel {
  onConfigure: (info: TimelineInfoBody, settings: TimelineSettings) => void = () => {};
  onChanged: (info: TimelineInfoBody) => void = () => {};
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly api: VsCodeApi) {}

  /** Starts listening and tells the host the page is ready for `configure`. */
  start(target: Window): void {
    target.addEventListener('message', (event: MessageEvent) => this.receive(event.data as HostToWebview));
    this.post({ type: 'ready' });
  }

  request<K extends TimelineRequestName>(command: K, args: RequestArgs<K>): Promise<RequestBody<K>> {
    const requestId = this.nextId++;
    return new Promise<RequestBody<K>>((resolve, reject) => {
      this.pending.set(requestId, { resolve: resolve as (body: unknown) => void, reject });
      this.post({ type: 'request', requestId, command, args } as WebviewRequest);
    });
  }

  seek(icount: number, reason: 'click' | 'keyboard' | 'console'): void {
    this.post({ type: 'seek', icount, reason });
  }

  get state(): unknown {
    return this.api.getState();
  }

  set state(value: unknown) {
    this.api.setState(value);
  }

  private post(message: WebviewToHost): void {
    this.api.postMessage(message);
  }

  private receive(message: HostToWebview): void {
    switch (message?.type) {
      case 'configure':
        this.onConfigure(message.info, message.settings);
        break;
      case 'changed':
        this.onChanged(message.info);
        break;
      case 'response': {
        const waiting = this.pending.get(message.requestId);
        if (waiting === undefined) return;
        this.pending.delete(message.requestId);
        if (message.ok) waiting.resolve(message.body);
        else waiting.reject(new Error(message.message));
        break;
      }
    }
  }
}
