import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { LinkedText, linkParts } from "../src/components/LinkedText.js"
import { hostile, render, textOf } from "./helpers.js"

/** Text a client could write: pieces of markup, quotes, schemes good and bad, addresses and plain words. */
const piece = fc.oneof(
  fc.string(),
  fc.constantFrom("<", ">", "&", "\"", "'", "`", " ", "\n", ".", ")", "<script>alert(1)</script>", hostile, "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>", "vbscript:x"),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.constantFrom("http://", "https://", "HTTPS://Example.com/a?b=1&c=<2>", "https://x.com/\"onmouseover=alert(1)", "http://[::1]/", "https://a.b/javascript:alert(1)")
)
const message = fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join(""))

describe("links in messages (issue 21: clickable and safe)", () => {
  it("keeps the client's text whole: the parts joined back are the text", () => {
    fc.assert(fc.property(message, (text) => {
      expect(linkParts(text).map((part) => (part.kind === "text" ? part.text : part.href)).join("")).toBe(text)
    }))
  })

  it("renders only http(s) links that open in a new tab without opener or referrer, and no markup of the client's", async () => {
    await fc.assert(fc.asyncProperty(message, async (text) => {
      const root = await render(<p><LinkedText text={text} /></p>)
      // What a user reads is exactly what the client wrote (the parser decodes the entities back).
      expect(root.querySelector("p")!.text).toBe(text)
      // The only elements are our links; none is a script, an image or a handler.
      const elements = root.querySelectorAll("*").filter((element) => element.tagName !== "P")
      for (const link of elements) {
        expect(link.tagName).toBe("A")
        expect(Object.keys(link.attributes).sort()).toEqual(["class", "href", "rel", "target"])
        expect(link.getAttribute("href")).toMatch(/^https?:\/\/[^\s<>"]+$/i)
        expect(new URL(link.getAttribute("href")!).protocol).toMatch(/^https?:$/)
        expect(link.getAttribute("rel")).toBe("noopener noreferrer nofollow")
        expect(link.getAttribute("target")).toBe("_blank")
        expect(link.text).toBe(link.getAttribute("href"))
      }
    }))
  })

  it("links an address in a sentence, leaves its full stop outside, and never links another scheme", async () => {
    const root = await render(<p><LinkedText text={`See https://example.com/track?id=5&x=1. Not javascript:alert(1) nor data:text/html,x ${hostile}`} /></p>)
    const links = root.querySelectorAll("a")
    expect(links.map((link) => link.getAttribute("href"))).toEqual(["https://example.com/track?id=5&x=1"])
    expect(textOf(root)).toContain(hostile)
    expect(root.querySelectorAll("img")).toHaveLength(0)
  })
})
