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
}
