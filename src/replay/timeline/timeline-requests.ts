// The timeline's custom DAP requests answered by a TimelineSource: one handler per request name,
// so the adapter (and, for browsing a log, the extension host) registers them in one loop and a
// new request cannot be forgotten (the table's type lists every name). Seek belongs to whoever
// owns the debuggee, so it is passed in.

import {
  TimelineRequest, type RequestArgs, type RequestBody, type SeekArgs, type SeekBody, type TimelineRequestName,
} from '../../shared/timeline-protocol.js';
import type { TimelineSource } from './timeline-source.js';

export type TimelineHandlers = { [K in TimelineRequestName]: (args: RequestArgs<K>) => RequestBody<K> | Promise<RequestBody<K>> };

export function timelineHandlers(source: () => TimelineSource, seek: (args: SeekArgs) => SeekBody | Promise<SeekBody>): TimelineHandlers {
  return {
    [TimelineRequest.Info]: () => source().info(),
    [TimelineRequest.Window]: (args) => source().window(args),
    [TimelineRequest.Find]: (args) => source().find(args),
    [TimelineRequest.SerialText]: (args) => source().serialText(args),
    [TimelineRequest.Seek]: seek,
  };
}

/** Whether a DAP command is one of the timeline's. */
export function isTimelineRequest(command: string): command is TimelineRequestName {
  return (Object.values(TimelineRequest) as string[]).includes(command);
}

/** Answers one request by name; throws what the handler throws (a RangeError for bad arguments). */
export async function answerTimelineRequest<K extends TimelineRequestName>(handlers: TimelineHandlers, command: K, args: RequestArgs<K>): Promise<RequestBody<K>> {
  const handler = handlers[command] as (args: RequestArgs<K>) => RequestBody<K> | Promise<RequestBody<K>>;
  return handler(args);
}
