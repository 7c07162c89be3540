import { mkdtempSync, readdirSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { Access, Attachments, ConfigStore, Dialog, DialogId, Engine, FileSettings, Settings, UserId } from "@switchboard/core"
import { afterEach, describe, expect, it } from "vitest"
import { seededCopies } from "./PanelClient.js"
import { attributedPosition } from "./support/attributed.js"

/**
 * A widget visitor's files (issue 20, CHN-03 "can send files within the limits"; MSG-06, SET-02):
 * `POST /widget/v1/files` keeps a file through the same checks as the panel's (type from the bytes,
 * the company's settings, the channel's limits) and records it as the visitor's message; the
 * operator sees it in the panel; the visitor downloads the files of their own dialog with their
 * token, and nothing else.
 */

const pngBytes = Uint8Array.from(Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64"))
/** The start of a Windows executable (the `MZ` DOS header), as a renamed `.exe` carries it. */
const exeBytes = Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, ...new Array(112).fill(0)])
const anna = new Access.UserActor({ id: UserId.make("anna"), name: "Anna", role: "operator" })

const servers: Array<{ dispose: () => Promise<void> }> = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.dispose()))
})

let sequence = 0

/** The demo company with files in a fresh folder, and a visitor of its widget channel. */
/** The demo company, seeded once for the file. */
const copy = seededCopies(async () => undefined)

/** A copy of the demo company of its own, its files kept in a fresh folder. */
const company = async () => {
  const directory = mkdtempSync(join(tmpdir(), "switchboard-widget-files-"))
  const { server } = await copy({ directory })
  servers.push(server.runtime)
  const visitor = async () => {
    const started = await server.app.request("/widget/v1/sessions", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ channelId: "website" }) })
    expect(started.status).toBe(201)
    return ((await started.json()) as { token: string }).token
  }
  const upload = (token: string | undefined, name: string, bytes: Uint8Array, fields: Record<string, string> = {}) => {
    const form = new FormData()
    form.set("file", new File([Uint8Array.from(bytes)], name))
    form.set("clientMessageId", `f${++sequence}`)
    for (const [field, value] of Object.entries(fields)) form.set(field, value)
    return server.app.request("/widget/v1/files", { method: "POST", headers: token === undefined ? {} : { Authorization: `Bearer ${token}` }, body: form })
  }
  const position = () => server.runtime.runPromise(attributedPosition)
  const run = <A, E>(program: Effect.Effect<A, E, Engine | Attachments | ConfigStore>) => server.runtime.runPromise(program as Effect.Effect<A, E, never>)
  return { server, directory, visitor, upload, position, run }
}

describe("a widget visitor's file (POST /widget/v1/files)", () => {
  it("an image within the limits becomes the visitor's message: the operator sees its preview, the visitor downloads it with nosniff", async () => {
    const { server, visitor, upload } = await company()
    const token = await visitor()
    const response = await upload(token, "photo.png", pngBytes, { text: "My order" })
    expect(response.status).toBe(202)
    const { dialogId } = (await response.json()) as { dialogId: string }
    // The operator's side: the dialog's bubble shows the image from the panel's download route.
    const supervisor = await server.signIn("sue")
    const page = await (await server.get(supervisor, `/panel/dialogs/${dialogId}`)).text()
    expect(page).toContain("My order")
    const link = /<img src="(\/panel\/files\/[A-Za-z0-9_-]+)" alt="photo.png"/.exec(page)
    expect(link).not.toBeNull()
    const fileId = link![1]!.split("/").at(-1)!
    // The visitor's side: their token downloads it (as an <img> does, in the query).
    const download = await server.app.request(`/widget/v1/files/${fileId}?token=${token}`)
    expect(download.status).toBe(200)
    expect(download.headers.get("Content-Type")).toBe("image/png")
    expect(download.headers.get("X-Content-Type-Options")).toBe("nosniff")
    expect(download.headers.get("Content-Disposition")).toBe("inline; filename=photo.png")
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(pngBytes)
    // Another visitor, or none, gets nothing.
    expect((await server.app.request(`/widget/v1/files/${fileId}?token=${await visitor()}`)).status).toBe(404)
    expect((await server.app.request(`/widget/v1/files/${fileId}`)).status).toBe(401)
  })

  it("a resent file (same clientMessageId) is stored once", async () => {
    const { visitor, directory, server } = await company()
    const token = await visitor()
    const send = () => {
      const form = new FormData()
      form.set("file", new File([pngBytes], "photo.png"))
      form.set("clientMessageId", "same-id")
      return server.app.request("/widget/v1/files", { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: form })
    }
    const first = (await (await send()).json()) as { messageId: string }
    const second = (await (await send()).json()) as { messageId: string }
    expect(second.messageId).toBe(first.messageId)
    expect(readdirSync(directory).filter((name) => !name.endsWith(".json"))).toHaveLength(1)
  })

  it("refuses a renamed .exe, an .exe, a file over the company's limit, no file or no token with a 4xx and its reason, storing nothing", async () => {
    const { visitor, upload, position, directory, run, server } = await company()
    const token = await visitor()
    await run(Effect.gen(function* () {
      const settings = yield* Effect.flatMap(ConfigStore, (config) => config.getSettings())
      yield* (yield* Engine).updateSettings(Access.system, Settings.Settings.make({ ...settings, files: FileSettings.FileSettings.make({ ...settings.files, maxBytes: 1024 }) }))
    }))
    const before = await position()
    const renamed = await upload(token, "cat.png", exeBytes)
    expect(renamed.status).toBe(422)
    expect(((await renamed.json()) as { message: string }).message).toContain("application/x-msdownload, which is not allowed")
    const exe = await upload(token, "setup.exe", exeBytes)
    expect(exe.status).toBe(422)
    expect(((await exe.json()) as { message: string }).message).toContain("Files of type .exe are not allowed")
    const big = await upload(token, "notes.txt", new Uint8Array(2048).fill(0x61))
    expect(big.status).toBe(413)
    expect(((await big.json()) as { message: string }).message).toContain("Files are accepted up to 1 KB")
    const form = new FormData()
    form.set("clientMessageId", "no-file")
    const none = await server.app.request("/widget/v1/files", { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: form })
    expect(none.status).toBe(422)
    expect(((await none.json()) as { message: string }).message).toContain("file: send exactly one file")
    expect((await upload(undefined, "photo.png", pngBytes)).status).toBe(401)
    const notForm = await server.app.request("/widget/v1/files", { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: "{}" })
    expect(notForm.status).toBe(415)
    expect(await position()).toBe(before)
    expect(readdirSync(directory)).toEqual([])
  })

  it("the visitor downloads the operator's file, never an internal note's", async () => {
    const { visitor, upload, run, server } = await company()
    const token = await visitor()
    const { dialogId } = (await (await upload(token, "photo.png", pngBytes)).json()) as { dialogId: string }
    const id = DialogId.make(dialogId)
    const sent = await run(Effect.gen(function* () {
      yield* (yield* Engine).execute(anna, new Dialog.Accept({ dialogId: id }))
      const attachments = yield* Attachments
      yield* attachments.send(anna, id, { text: "The invoice", files: [{ name: "invoice.txt", bytes: new TextEncoder().encode("total 10") }], internal: false })
      yield* attachments.send(anna, id, { text: "Note", files: [{ name: "secret.txt", bytes: new TextEncoder().encode("internal") }], internal: true })
      const page = yield* (yield* Engine).history(Access.system, { dialogId: id, limit: 10 })
      return page.items.flatMap((message) => message.attachments.map((file) => [file.name, file.fileId] as const))
    }))
    const fileOf = (name: string) => sent.find(([file]) => file === name)![1]!
    const invoice = await server.app.request(`/widget/v1/files/${fileOf("invoice.txt")}`, { headers: { Authorization: `Bearer ${token}` } })
    expect(invoice.status).toBe(200)
    expect(invoice.headers.get("Content-Disposition")).toBe("attachment; filename=invoice.txt")
    expect(await invoice.text()).toBe("total 10")
    expect((await server.app.request(`/widget/v1/files/${fileOf("secret.txt")}`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(404)
  })
})
