// Finding one item in a list of hundreds: what is typed narrows the list, like fzf or the AWS
// console's search boxes. Pure functions; the widget in filter-list.tsx draws and drives them.

export interface Searchable {
  value: string;
  label: string;
  /** More text the filter looks in: ids, tags ('team=web'), a description. */
  search?: string;
}

/** Every space-separated word of the query appears (case-insensitive) in the label, value or search text. */
export function matchesQuery(item: Searchable, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = `${item.label}\n${item.value}\n${item.search ?? ''}`.toLowerCase();
  return words.every((word) => haystack.includes(word));
}

export function filterItems<T extends Searchable>(items: readonly T[], query: string): T[] {
  return query.trim() ? items.filter((item) => matchesQuery(item, query)) : [...items];
}

/** The options shown for a query: pinned ones ("type an id…") first, then the items that match. */
export function shownOptions<T extends Searchable & {pinned?: boolean}>(options: readonly T[], query: string): T[] {
  return [
    ...options.filter((option) => option.pinned),
    ...filterItems(
      options.filter((option) => !option.pinned),
      query,
    ),
  ];
}

/** "212 roles", "3 of 212 roles", with "loading more" while pages still arrive. */
export function countLine(shown: number, total: number, noun: string, loadingMore: boolean): string {
  const count = shown === total ? `${total} ${noun}` : `${shown} of ${total} ${noun}`;
  return loadingMore ? `${count} so far, loading more…` : count;
}

export interface FilterState {
  query: string;
}

export type FilterAction = {type: 'type'; text: string} | {type: 'erase'; count?: number} | {type: 'clear'};

export function filterReducer(state: FilterState, action: FilterAction): FilterState {
  switch (action.type) {
    case 'type': {
      // '/' opens the search box (like less, vim and fzf); the box is already open, so a
      // leading slash adds nothing.
      const text = state.query === '' ? action.text.replace(/^\/+/, '') : action.text;
      return {query: state.query + text.replace(/[\r\n\t]/g, '')};
    }
    case 'erase':
      return {query: [...state.query].slice(0, -(action.count ?? 1)).join('')};
    case 'clear':
      return {query: ''};
  }
}
