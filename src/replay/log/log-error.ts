// The error a log reader throws when bytes cannot be read as a log at all (not a log, another
// format version, a corrupt header) and, inside the log code, when an event does not decode.
// Its message is one line meant for the user.

export class LogError extends Error {
  override readonly name = 'LogError';
}
