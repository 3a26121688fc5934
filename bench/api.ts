/**
 * The product's own API over HTTP, as the browser calls it: tRPC with the superjson transformer
 * (`{"json": input}` in, `{"result":{"data":{"json": …}}}` out) and the `aos_session` cookie.
 */
export class TrpcClient {
  /** The session cookie (`aos_session=…`) once signed in. */
  cookie = '';

  constructor(readonly baseUrl: string) {}

  async mutation<T>(path: string, input: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: JSON.stringify({ json: input }),
    });
    this.keepCookie(response);
    return this.unwrap<T>(path, response);
  }

  async query<T>(path: string, input: unknown): Promise<T> {
    const response = await this.rawQuery(path, input);
    return this.unwrap<T>(path, response);
  }

  /** The bare GET, for timing: the caller reads (and discards) the body itself. */
  rawQuery(path: string, input: unknown): Promise<Response> {
    const query = encodeURIComponent(JSON.stringify({ json: input }));
    return fetch(`${this.baseUrl}/trpc/${path}?input=${query}`, {
      headers: this.cookie ? { cookie: this.cookie } : {},
    });
  }

  private keepCookie(response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      if (pair?.startsWith('aos_session=')) this.cookie = pair;
    }
  }

  private async unwrap<T>(path: string, response: Response): Promise<T> {
    const text = await response.text();
    if (!response.ok) throw new TrpcHttpError(path, response.status, text);
    const body = JSON.parse(text) as { result: { data: { json: T } } };
    return body.result.data.json;
  }
}

export class TrpcHttpError extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${path} answered ${status}: ${body.slice(0, 300)}`);
  }
}
