// Input a caller gave that cannot be used: a bad search, filter or parameter. The domain throws it
// with what to tell the person; the HTTP shell answers it as a 400 naming the parameter at fault.
export class InvalidInput extends Error {
  constructor(
    readonly title: string,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}
