import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { Access, DialogId, Engine } from "@switchboard/core"
import { afterEach, describe, expect, it } from "vitest"
import { seedIfEmpty } from "../src/Demo.js"
import { memoryStorage } from "../src/testing.js"
import { panelApp, rowIds, type Session } from "./PanelClient.js"
import { attributedPosition } from "./support/attributed.js"

/**
 * A dialog's attachments gallery (MSG-10): its images and its other files on two tabs, for whoever
 * may see the dialog; a bad tab is a 422, an unknown or unseen dialog a 404, nothing stored; in
 * the user's language and time zone.
 */
const pngBytes = Uint8Array.from(Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64"))

const servers: Array<{ dispose: () => Promise<void> }> = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.dispose()))
})

describe("the attachments gallery (GET /panel/dialogs/:id/gallery)", () => {
  it("shows the dialog's image on the images tab and its text file on the files tab; Boris, a bad tab and an unknown dialog are refused", async () => {
    const server = panelApp(memoryStorage.layer, { files: { directory: mkdtempSync(join(tmpdir(), "switchboard-gallery-test-")) } })
    servers.push(server.runtime)
    await server.runtime.runPromise(seedIfEmpty)
    const [anna, boris] = await Promise.all([server.signIn("anna"), server.signIn("boris")])
    const mine = rowIds(await (await server.get(anna!, "/panel/dialogs?folder=mine")).text())
    const states = await server.runtime.runPromise(Effect.forEach(mine, (id) => Effect.flatMap(Engine, (engine) => engine.dialog(Access.system, DialogId.make(id)))))
    const dialogId = states.find((dialog) => dialog.channelId === "telegram")!.id
    const upload = (session: Session, name: string, bytes: Uint8Array) => {
      const form = new FormData()
      form.set("_csrf", session.csrf)
      form.set("file", new File([Uint8Array.from(bytes)], name))
      return server.app.request(`/panel/dialogs/${dialogId}/files`, { method: "POST", headers: { Origin: "http://localhost", Cookie: session.cookie, "HX-Request": "true" }, body: form })
    }
    const gallery = async (session: Session, tab: string) => server.get(session, `/panel/dialogs/${dialogId}/gallery?tab=${tab}`, true)
    const items = (html: string) => html.split('data-testid="gallery-item"').length - 1

    expect(await (await gallery(anna!, "images")).text()).toContain("No images in this dialog.")
    expect((await upload(anna!, "pixel.png", pngBytes)).status).toBe(200)
    expect((await upload(anna!, "notes.txt", new TextEncoder().encode("order notes"))).status).toBe(200)

    const images = await (await gallery(anna!, "images")).text()
    expect(items(images)).toBe(1)
    expect(images).toContain('alt="pixel.png"')
    expect(images).toContain("Images (1)")
    expect(images).toContain("Files (1)")
    const files = await (await gallery(anna!, "files")).text()
    expect(items(files)).toBe(1)
    expect(files).toContain("notes.txt")
    expect(files).not.toContain("pixel.png")

    // "Nothing stored": the newest event a request wrote stays put (the engine works on in the background).
    const position = () => server.runtime.runPromise(attributedPosition)
    const before = await position()
    expect((await gallery(boris!, "images")).status).toBe(404)
    const badTab = await gallery(anna!, "videos")
    expect(badTab.status).toBe(422)
    expect(await badTab.text()).toContain("choose images or files")
    expect((await server.get(anna!, "/panel/dialogs/no-such-dialog/gallery?tab=images", true)).status).toBe(404)
    expect(await position()).toBe(before)
    // In Ukrainian, for a user who chose it: tabs, refusal, and the time in their zone (Tokyo, UTC+9).
    expect((await server.post(anna!, "/panel/account/locale", { language: "uk", timeZone: "Asia/Tokyo" })).status).toBe(303)
    const ukrainian = await (await gallery(anna!, "images")).text()
    expect(ukrainian).toContain("Зображення (1)")
    expect(ukrainian).toContain("Файли (1)")
    const [, iso, shown] = /<time datetime="([^"]+)">([^<]*)<\/time>/.exec(ukrainian) ?? []
    const tokyo = new Date(Date.parse(iso!) + 9 * 3_600_000)
    expect(shown).toBe(`${String(tokyo.getUTCHours()).padStart(2, "0")}:${String(tokyo.getUTCMinutes()).padStart(2, "0")}`)
    expect(await (await gallery(anna!, "videos")).text()).toContain("виберіть зображення або файли")
    // The pane offers it, folded: opening it loads the images tab.
    expect(await (await server.get(anna!, `/panel/dialogs/${dialogId}`)).text()).toContain(`/panel/dialogs/${dialogId}/gallery?tab=images`)
  })
})
