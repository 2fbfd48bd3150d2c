// Previous and next pages of a long list, for lists and search results alike.

/** Nothing for a single page; `counted` says "of N" (search results, whose count may be capped, do not). */
export function Pager(props: { page: number; pages: number; href: (page: number) => string; counted: boolean }) {
  const { page, pages, href } = props;
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label="Pages">
      {page > 1 && (
        <a rel="prev" href={href(page - 1)}>
          ← Previous page
        </a>
      )}
      <span>
        Page {page}
        {props.counted && ` of ${pages}`}
      </span>
      {page < pages && (
        <a rel="next" href={href(page + 1)}>
          Next page →
        </a>
      )}
    </nav>
  );
}
