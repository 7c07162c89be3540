import { mkdtempSync, readdirSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { Access, ConfigStore, DialogId, Engine, FileSettings, Settings } from "@switchboard/core"
import { afterEach, describe, expect, it } from "vitest"
import { rowIds, seededCopies, type Session, unescapeHtml } from "./PanelClient.js"
import { attributedPosition } from "./support/attributed.js"

/**
 * Attachments in the panel (MSG-06, SET-02, issue 20 acceptance 5): an operator sends a file into
 * their dialog; it is refused with the limit when the channel or the company does not take it, or
 * when its content is not what its name says; it is downloaded only by those who may see the dialog.
 */

const pngBytes = Uint8Array.from(Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64"))
/** The start of a Windows executable (the `MZ` DOS header), as a renamed `.exe` carries it. */
const exeBytes = Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, ...new Array(112).fill(0)])
const MB = 1024 * 1024

const servers: Array<{ dispose: () => Promise<void> }> = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.dispose()))
})

/** The demo company with Anna signed in and her dialogs, seeded once for the file. */
const copy = seededCopies(async (seeding) => {
  const anna = await seeding.signIn("anna")
  const mine = rowIds(await (await seeding.get(anna, "/panel/dialogs?folder=mine")).text())
  const channels = await seeding.runtime.runPromise(Effect.forEach(mine, (id) => Effect.flatMap(Engine, (engine) => engine.dialog(Access.system, DialogId.make(id)))))
  return { anna, channels }
})

/** A copy of the demo company, files kept in a fresh folder, Anna signed in, and one of her dialogs in `channelId`. */
const company = async (channelId: "telegram" | "website" = "telegram") => {
  const directory = mkdtempSync(join(tmpdir(), "switchboard-files-test-"))
  // Seeded once for the file; each test on a copy, its files in a folder of its own.
  const { server, value: { anna, channels } } = await copy({ directory })
  servers.push(server.runtime)
  const dialogId = channels.find((dialog) => dialog.channelId === channelId)!.id
  const upload = (session: Session, name: string, bytes: Uint8Array, fields: Record<string, string> = {}, htmx = true, query = "") => {
    const form = new FormData()
    form.set("_csrf", session.csrf)
    form.set("file", new File([Uint8Array.from(bytes)], name))
    for (const [field, value] of Object.entries(fields)) form.set(field, value)
    return server.app.request(`/panel/dialogs/${dialogId}/files${query}`, {
      method: "POST",
      headers: { Origin: "http://localhost", Cookie: session.cookie, ...(htmx ? { "HX-Request": "true" } : {}) },
      body: form
    })
  }
  const position = () => server.runtime.runPromise(attributedPosition)
  /** The download links of the dialog's bubbles, newest last. */
  const fileLinks = async (session: Session) => {
    const page = await (await server.get(session, `/panel/dialogs/${dialogId}`)).text()
    return [...page.matchAll(/href="(\/panel\/files\/[^"]+)"/g)].map((match) => unescapeHtml(match[1]!))
  }
  return { server, directory, anna, dialogId, upload, position, fileLinks }
}

describe("sending a file (POST /panel/dialogs/:id/files)", () => {
  it("an image within the limits becomes a message with a preview that downloads with its type, name and nosniff", async () => {
    const { server, anna, upload, fileLinks } = await company()
    const response = await upload(anna, "pixel.png", pngBytes, { text: "Here is the photo" })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('data-testid="attach"')
    const [link] = await fileLinks(anna)
    expect(link).toMatch(/^\/panel\/files\/[A-Za-z0-9_-]{22}$/)
    const download = await server.get(anna, link!)
    expect(download.status).toBe(200)
    expect(download.headers.get("Content-Type")).toBe("image/png")
    expect(download.headers.get("Content-Disposition")).toBe("inline; filename=pixel.png")
    expect(download.headers.get("X-Content-Type-Options")).toBe("nosniff")
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(pngBytes)
  })

  it("the bubble shows the image as a preview and a text file as a download link, with the caption", async () => {
    const { server, anna, dialogId, upload } = await company()
    expect((await upload(anna, "pixel.png", pngBytes, { text: "Here is the photo" })).status).toBe(200)
    expect((await upload(anna, "notes.txt", new TextEncoder().encode("привіт"))).status).toBe(200)
    const page = await (await server.get(anna, `/panel/dialogs/${dialogId}`)).text()
    expect(page).toContain("Here is the photo")
    expect(page).toMatch(/<img src="\/panel\/files\/[A-Za-z0-9_-]{22}" alt="pixel.png"/)
    expect(page).toMatch(/<a href="\/panel\/files\/[A-Za-z0-9_-]{22}" download="notes.txt" class="attachment-link">/)
  })

  it("a text file is recognised only as UTF-8 text and is downloaded, never shown in place", async () => {
    const { server, anna, upload, fileLinks } = await company()
    expect((await upload(anna, "отчёт.txt", new TextEncoder().encode("hello"))).status).toBe(200)
    const download = await server.get(anna, (await fileLinks(anna)).at(-1)!)
    expect(download.headers.get("Content-Type")).toBe("text/plain; charset=utf-8")
    expect(download.headers.get("Content-Disposition")).toBe(`attachment; filename="?????.txt"; filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82.txt`)
  })

  it("a file over the channel's limit for its kind is refused with 413 naming the limit, and nothing is stored", async () => {
    const { anna, directory, upload, position } = await company("telegram")
    const before = await position()
    const big = new Uint8Array(11 * MB)
    big.set(pngBytes)
    const response = await upload(anna, "big.png", big)
    expect(response.status).toBe(413)
    expect(await response.text()).toContain("Telegram accepts images up to 10 MB")
    expect(await position()).toBe(before)
    expect(readdirSync(directory)).toEqual([])
  })

  it("a file over the company's limit is refused with the company's limit", async () => {
    const { server, anna, upload } = await company("website")
    await server.runtime.runPromise(Effect.gen(function* () {
      const engine = yield* Engine
      const settings = yield* Effect.flatMap(ConfigStore, (config) => config.getSettings())
      yield* engine.updateSettings(Access.system, Settings.Settings.make({ ...settings, files: FileSettings.FileSettings.make({ ...settings.files, maxBytes: 1024 }) }))
    }))
    const response = await upload(anna, "notes.txt", new Uint8Array(2048).fill(0x61))
    expect(response.status).toBe(413)
    expect(await response.text()).toContain("Files are accepted up to 1 KB")
  })

  it("an .exe renamed .png is refused (422) by its content, and nothing is stored", async () => {
    const { anna, directory, upload, position } = await company()
    const before = await position()
    const response = await upload(anna, "cat.png", exeBytes)
    expect(response.status).toBe(422)
    expect(await response.text()).toContain("application/x-msdownload, which is not allowed")
    expect(await position()).toBe(before)
    expect(readdirSync(directory)).toEqual([])
  })

  it("binary bytes named .txt are not text, and an .exe is refused by its extension", async () => {
    const { anna, upload } = await company()
    const binary = await upload(anna, "notes.txt", Uint8Array.from([0x00, 0x01, 0x02, 0xff]))
    expect(binary.status).toBe(422)
    expect(await binary.text()).toContain("application/octet-stream, which is not allowed")
    const exe = await upload(anna, "setup.exe", exeBytes)
    expect(exe.status).toBe(422)
    expect(await exe.text()).toContain("Files of type .exe are not allowed")
  })

  it("a form without a file is a 422; without JavaScript a sent file redirects back to the dialog", async () => {
    const { server, anna, dialogId, upload } = await company()
    const form = new FormData()
    form.set("_csrf", anna.csrf)
    const empty = await server.app.request(`/panel/dialogs/${dialogId}/files`, { method: "POST", headers: { Origin: "http://localhost", Cookie: anna.cookie }, body: form })
    expect(empty.status).toBe(422)
    expect(await empty.text()).toContain("choose a file to send")
    const plain = await upload(anna, "pixel.png", pngBytes, {}, false)
    expect(plain.status).toBe(303)
    // No list in the URL is the default one (New), as for every dialog action.
    expect(plain.headers.get("Location")).toBe(`/panel/dialogs/${dialogId}?folder=new`)
  })

  it("answers beside the list the dialog was opened from: the redirect keeps its folder, search and filters, the new form posts with them", async () => {
    const { anna, dialogId, upload } = await company()
    const list = "?folder=mine&q=invoice&channel=telegram&tag=vip"
    const plain = await upload(anna, "pixel.png", pngBytes, {}, false, list)
    expect(plain.status).toBe(303)
    expect(plain.headers.get("Location")).toBe(`/panel/dialogs/${dialogId}${list}`)
    // With htmx the form replaces itself: the next file is sent with the same list.
    const form = await (await upload(anna, "pixel.png", pngBytes, {}, true, list)).text()
    expect(form).toContain(`action="/panel/dialogs/${dialogId}/files${list.replace(/&/g, "&amp;")}"`)
    // A list the panel does not know is a 400 naming it, before anything is sent.
    expect((await upload(anna, "pixel.png", pngBytes, {}, false, "?folder=nope")).status).toBe(400)
  })

  it("a message the engine refuses after the file was checked (a caption over the text limit) leaves no file behind", async () => {
    const { anna, directory, upload, position } = await company()
    const before = await position()
    const response = await upload(anna, "pixel.png", pngBytes, { text: "a".repeat(2001) })
    expect(response.status).toBe(409)
    expect(await response.text()).toContain("the limit is 2000")
    expect(await position()).toBe(before)
    expect(readdirSync(directory)).toEqual([])
  })

  it("an operator who may not see the dialog cannot send into it (404), and nothing is stored", async () => {
    const { server, directory, upload, position } = await company()
    const boris = await server.signIn("boris")
    const before = await position()
    expect((await upload(boris, "pixel.png", pngBytes)).status).toBe(404)
    expect(await position()).toBe(before)
    expect(readdirSync(directory)).toEqual([])
  })
})

describe("downloading a file (GET /panel/files/:id)", () => {
  it("is for those who may see the dialog: the supervisor yes, another operator 404, unknown and malformed ids 404", async () => {
    const { server, anna, upload, fileLinks } = await company()
    await upload(anna, "pixel.png", pngBytes)
    const [link] = await fileLinks(anna)
    const sue = await server.signIn("sue")
    expect((await server.get(sue, link!)).status).toBe(200)
    const boris = await server.signIn("boris")
    const refused = await server.get(boris, link!)
    expect(refused.status).toBe(404)
    expect(refused.headers.get("Content-Disposition")).toBeNull()
    expect((await server.get(anna, "/panel/files/AAAAAAAAAAAAAAAAAAAAAA")).status).toBe(404)
    expect((await server.get(anna, "/panel/files/..%2F..%2Fetc%2Fpasswd")).status).toBe(404)
  })
})
