import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, FastCheck as fc, Layer, Option } from "effect"
import * as ChannelAdapter from "../../src/channels/Adapter.js"
import { AdapterCapabilities, AttachmentLimit, type AttachmentKind } from "../../src/channels/Adapter.js"
import * as ChannelLimits from "../../src/channels/ChannelLimits.js"
import { Channel } from "../../src/channels/Channel.js"
import { channelLabel, configuredCapabilities } from "../../src/channels/ChannelLimits.js"
import * as AttachmentPolicy from "../../src/files/AttachmentPolicy.js"
import * as ContentType from "../../src/files/ContentType.js"
import * as FileName from "../../src/files/FileName.js"
import { defaultFileSettings, Extension, FileSettings, MB, MimePattern } from "../../src/files/FileSettings.js"
import { ChannelId } from "../../src/shared/Ids.js"

const channel = (kind: Channel["kind"]) => Channel.make({ id: ChannelId.make(kind), kind, name: `My ${kind}` })
const facts = (kind: Channel["kind"]) => ({ label: channelLabel(channel(kind)), capabilities: configuredCapabilities(channel(kind)) })
const refusal = (result: Either.Either<AttachmentKind, AttachmentPolicy.AttachmentRefused>) =>
  Either.match(result, { onLeft: (refused) => refused.message, onRight: (kind) => `accepted as ${kind}` })

describe("AttachmentPolicy", () => {
  it("names the channel's limit for the file's kind (MSG-06's table)", () => {
    const pdf = { name: "contract.pdf", mime: "application/pdf", size: 60 * MB }
    expect(refusal(AttachmentPolicy.check(pdf, defaultFileSettings, facts("telegram")))).toBe("Telegram accepts documents up to 50 MB")
    expect(refusal(AttachmentPolicy.check({ ...pdf, size: 50 * MB }, defaultFileSettings, facts("telegram")))).toBe("accepted as document")
    const photo = { name: "photo.jpg", mime: "image/jpeg", size: 6 * MB }
    expect(refusal(AttachmentPolicy.check(photo, defaultFileSettings, facts("whatsapp")))).toBe("WhatsApp accepts images up to 5 MB")
    expect(refusal(AttachmentPolicy.check(photo, defaultFileSettings, facts("telegram")))).toBe("accepted as image")
    const clip = { name: "clip.mp4", mime: "video/mp4", size: MB }
    expect(refusal(AttachmentPolicy.check(clip, defaultFileSettings, facts("messenger")))).toBe("Messenger accepts no videos")
    expect(refusal(AttachmentPolicy.check(clip, defaultFileSettings, facts("sms")))).toBe("SMS accepts no files")
    expect(refusal(AttachmentPolicy.check({ ...clip, size: 120 * MB }, defaultFileSettings, facts("widget")))).toBe("Files are accepted up to 100 MB")
  })

  it("refuses what the company's settings do not list: the extension, then the detected type", () => {
    expect(refusal(AttachmentPolicy.check({ name: "setup.exe", mime: "application/x-msdownload", size: 10 }, defaultFileSettings))).toBe("Files of type .exe are not allowed")
    expect(refusal(AttachmentPolicy.check({ name: "cat.png", mime: "application/x-msdownload", size: 10 }, defaultFileSettings))).toBe(
      "The file's content is application/x-msdownload, which is not allowed"
    )
    expect(refusal(AttachmentPolicy.check({ name: "README", mime: "text/plain", size: 10 }, defaultFileSettings))).toBe("Files without an extension are not allowed")
    expect(refusal(AttachmentPolicy.check({ name: "song.mp3", mime: "audio/mpeg", size: 10 }, defaultFileSettings))).toBe("accepted as audio")
  })

  it("an internal note passes no channel: only the company's settings apply", () => {
    expect(refusal(AttachmentPolicy.check({ name: "clip.mp4", mime: "video/mp4", size: MB }, defaultFileSettings))).toBe("accepted as video")
  })

  const kinds: ReadonlyArray<AttachmentKind> = ["image", "audio", "video", "document"]
  const mimes = ["image/png", "image/jpeg", "audio/ogg", "video/mp4", "application/pdf", "application/x-msdownload", "text/plain"]
  const extensions = ["png", "jpg", "ogg", "mp4", "pdf", "exe", "txt", ""]
  const settingsArb = fc.record({
    maxBytes: fc.integer({ min: 1, max: 100 * MB }),
    allowedExtensions: fc.subarray(extensions.filter((ext) => ext !== "")),
    allowedMimeTypes: fc.subarray([...mimes, "audio/*", "image/*"])
  }).map((settings) => FileSettings.make({
    maxBytes: settings.maxBytes,
    allowedExtensions: settings.allowedExtensions.map((ext) => Extension.make(ext)),
    allowedMimeTypes: settings.allowedMimeTypes.map((mime) => MimePattern.make(mime))
  }))
  const capabilitiesArb = fc.uniqueArray(fc.record({ kind: fc.constantFrom(...kinds), maxBytes: fc.integer({ min: 1, max: 100 * MB }) }), { selector: (limit) => limit.kind })
    .map((limits) => AdapterCapabilities.make({
      ...configuredCapabilities(channel("custom")),
      attachments: limits.map((limit) => AttachmentLimit.make(limit))
    }))
  const fileArb = fc.record({
    name: fc.constantFrom(...extensions).map((ext) => (ext === "" ? "file" : `file.${ext}`)),
    mime: fc.constantFrom(...mimes),
    size: fc.integer({ min: 0, max: 100 * MB })
  })

  it.prop("a file is accepted iff it is within the settings and the channel's limit for its kind", [fileArb, settingsArb, fc.option(capabilitiesArb, { nil: undefined })], ([file, settings, capabilities]) => {
    const extension = file.name.includes(".") ? file.name.split(".")[1]! : ""
    const family = file.mime.split("/")[0]!
    const kind = family === "image" || family === "audio" || family === "video" ? family : "document"
    const withinSettings = (settings.allowedExtensions as ReadonlyArray<string>).includes(extension) &&
      settings.allowedMimeTypes.some((allowed) => allowed === file.mime || allowed === `${family}/*`) &&
      file.size <= settings.maxBytes
    const channelLimit = capabilities?.attachments.find((limit) => limit.kind === kind)
    const withinChannel = capabilities === undefined || (channelLimit !== undefined && file.size <= channelLimit.maxBytes)
    const result = AttachmentPolicy.check(file, settings, capabilities === undefined ? undefined : { label: "Chan", capabilities })
    expect(Either.isRight(result)).toBe(withinSettings && withinChannel)
    if (Either.isRight(result)) expect(result.right).toBe(kind)
    if (Either.isLeft(result) && result.left.reason === "TooLarge") {
      expect(result.left.limitBytes).toBeLessThan(file.size)
      expect(result.left.message).toContain(AttachmentPolicy.formatSize(result.left.limitBytes!))
    }
  })

  it("formats limits as people read them", () => {
    expect([50 * MB, 1.5 * MB, 200 * 1024, 12].map(AttachmentPolicy.formatSize)).toEqual(["50 MB", "1.5 MB", "200 KB", "12 bytes"])
  })
})

describe("ContentType.resolve", () => {
  const utf8 = (text: string) => new TextEncoder().encode(text)

  it("takes the type the bytes carry, whatever the name says", () => {
    expect(ContentType.resolve(Option.some({ mime: "application/x-msdownload", ext: "exe" }), "cat.png", utf8("MZ"))).toBe("application/x-msdownload")
  })

  it("takes an unrecognised file as text only with a text extension and UTF-8 bytes without NUL", () => {
    expect(ContentType.resolve(Option.none(), "notes.txt", utf8("привіт, world"))).toBe("text/plain")
    expect(ContentType.resolve(Option.none(), "table.CSV", utf8("a,b\n1,2"))).toBe("text/csv")
    expect(ContentType.resolve(Option.none(), "notes.txt", new Uint8Array([0x68, 0x00, 0x69]))).toBe("application/octet-stream")
    expect(ContentType.resolve(Option.none(), "notes.txt", new Uint8Array([0xff, 0xfe, 0x41]))).toBe("application/octet-stream")
    expect(ContentType.resolve(Option.none(), "page.html", utf8("<script>"))).toBe("application/octet-stream")
    expect(ContentType.resolve(Option.none(), "x.constructor", utf8("text"))).toBe("application/octet-stream")
  })
})

describe("FileName.clean", () => {
  it("keeps the last path segment, drops control characters, keeps the extension when cutting", () => {
    expect(FileName.clean("C:\\fakepath\\photo.png")).toBe("photo.png")
    expect(FileName.clean("../../etc/passwd")).toBe("passwd")
    expect(FileName.clean("  a\u0000b\nc.txt ")).toBe("abc.txt")
    expect(FileName.clean("..")).toBe("file")
    expect(FileName.clean("")).toBe("file")
    const long = FileName.clean(`${"x".repeat(400)}.pdf`)
    expect(long).toHaveLength(255)
    expect(long.endsWith(".pdf")).toBe(true)
  })

  it.prop("always gives a storable name of at most 255 characters", [fc.string({ unit: "binary", maxLength: 600 })], ([name]) => {
    const cleaned = FileName.clean(name)
    expect(cleaned.length).toBeGreaterThan(0)
    expect(cleaned.length).toBeLessThanOrEqual(255)
    expect(cleaned).toBe(cleaned.trim())
    expect(/[\p{Cc}\p{Cs}/\\]/u.test(cleaned)).toBe(false)
  })
})

describe("ChannelLimits.current", () => {
  const telegramChannel = channel("telegram")
  const declared = AdapterCapabilities.make({ ...configuredCapabilities(telegramChannel), attachments: [AttachmentLimit.make({ kind: "image", maxBytes: MB })] })
  const adapter: ChannelAdapter.ChannelAdapter = {
    kind: "telegram",
    capabilities: () => declared,
    parseInbound: () => Effect.succeed([]),
    send: () => Effect.succeed({ providerMessageId: "sent" })
  }

  it.effect("answers from a provided ChannelLimits, else the adapters a server runs, else the channel's configuration", () =>
    Effect.gen(function* () {
      expect((yield* ChannelLimits.current).capabilities(telegramChannel)).toEqual(configuredCapabilities(telegramChannel))
      const fromAdapters = yield* Effect.provideService(ChannelLimits.current, ChannelAdapter.ChannelAdapters, new Map([["telegram", adapter]]))
      expect(fromAdapters.capabilities(telegramChannel)).toBe(declared)
      expect(fromAdapters.capabilities(channel("widget"))).toEqual(configuredCapabilities(channel("widget")))
      const provided = yield* Effect.provide(ChannelLimits.current, Layer.succeed(ChannelLimits.ChannelLimits, { capabilities: () => declared }))
      expect(provided.capabilities(channel("sms"))).toBe(declared)
    }))
})
