/**
 * A piece of a message's text: plain text, or a web address the panel turns into a link. Only
 * `http:` and `https:` addresses become links (a `javascript:` or `data:` one stays text), and both
 * kinds are rendered by hono/jsx, which escapes them: the client's text never becomes markup.
 */
export type TextPart = { readonly kind: "text"; readonly text: string } | { readonly kind: "link"; readonly href: string }

/** Where an address starts: `http://` or `https://`, in any letter case, not inside a word. */
const addressPattern = /\bhttps?:\/\/[^\s<>"'`]+/gi

/** Punctuation that ends a sentence more often than an address: left outside the link. */
const trailing = /[.,;:!?)\]}'"]+$/

/** Whether `href` parses as an http(s) URL with a host (the only links a message may hold). */
const isWebAddress = (href: string): boolean => {
  try {
    const url = new URL(href)
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0
  } catch {
    return false
  }
}

/**
 * Splits a message's text into text and http(s) links (MSG links, issue 21). Joining the parts'
 * `text` and `href` back gives the input unchanged: nothing is dropped or rewritten.
 */
export const linkParts = (text: string): ReadonlyArray<TextPart> => {
  const parts: Array<TextPart> = []
  let from = 0
  const push = (piece: string) => {
    if (piece.length === 0) return
    const last = parts.at(-1)
    if (last?.kind === "text") parts[parts.length - 1] = { kind: "text", text: last.text + piece }
    else parts.push({ kind: "text", text: piece })
  }
  for (const match of text.matchAll(addressPattern)) {
    const href = match[0].replace(trailing, "")
    if (!isWebAddress(href)) continue
    push(text.slice(from, match.index))
    parts.push({ kind: "link", href })
    from = match.index + href.length
  }
  push(text.slice(from))
  return parts
}

/** A message's text with its web addresses as links that open in a new tab, without the page's opener or referrer. */
export const LinkedText = (props: { readonly text: string }) => (
  <>
    {linkParts(props.text).map((part) =>
      part.kind === "text" ? part.text : <a href={part.href} target="_blank" rel="noopener noreferrer nofollow" class="message-link">{part.href}</a>
    )}
  </>
)
