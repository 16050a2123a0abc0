// Reading a long list a page at a time. The first page is small so the operator sees something
// soon; later pages are as large as the API allows, so an account of thousands costs a handful
// of calls. `fetch` gets the continuation token (undefined first) and the page size to ask for.
export interface PageSizes {
  first: number;
  rest: number;
}

export async function* pagesOf<P>(fetch: (token: string | undefined, size: number) => Promise<P>, nextToken: (page: P) => string | undefined, sizes: PageSizes): AsyncGenerator<P> {
  let token: string | undefined;
  let size = sizes.first;
  do {
    const page = await fetch(token, size);
    yield page;
    token = nextToken(page);
    size = sizes.rest;
  } while (token);
}
