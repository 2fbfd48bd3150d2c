// An error that a request caused, with what to tell the person (HTML) or the client (JSON).
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly parameter?: string, // the API parameter at fault, for 400s
    readonly location?: string, // where a browser should go instead (sign in, for a 401)
  ) {
    super(message);
  }

  /** For a 429 of one of our own limits: seconds until the asker may try again (`Retry-After`). */
  retryAfter?: number;

  /** A 429 that says when to come back. */
  static tooMany(title: string, message: string, retryAfterSeconds: number): HttpError {
    const error = new HttpError(429, title, message);
    error.retryAfter = Math.max(1, Math.ceil(retryAfterSeconds));
    return error;
  }
}
