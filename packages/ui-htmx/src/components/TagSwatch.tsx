/** A tag's colour dot: an SVG fill, which the page's CSP allows where an inline style would not be. */
export const TagSwatch = (props: { readonly color: string }) => (
  <svg class="swatch" viewBox="0 0 10 10" width="10" height="10" aria-hidden="true">
    <circle cx="5" cy="5" r="5" fill={props.color} />
  </svg>
)
