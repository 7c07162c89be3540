import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { Channel } from "../../src/channels/Channel.js"
import { channelLabel, configuredCapabilities } from "../../src/channels/ChannelLimits.js"
import * as Dialog from "../../src/dialogs/Dialog.js"
import { FileSettings, MB } from "../../src/files/FileSettings.js"
import { Attachment, MessageInput } from "../../src/messages/Message.js"
import { ChannelId } from "../../src/shared/Ids.js"
import { annas, ctx, dialogId, spec } from "./helpers.js"

const messenger = Channel.make({ id: ChannelId.make("fb"), kind: "messenger", name: "Facebook page" })
const messengerFiles = { label: channelLabel(messenger), capabilities: configuredCapabilities(messenger) }
const file = (name: string, mime: string, size: number) => Attachment.make({ name, mime, size })
const withFiles = (...attachments: ReadonlyArray<Attachment>) => MessageInput.make({ text: "", attachments })

/** The refusal's message of a decided command, after checking it is an `AttachmentRefused`. */
const refusal = (decided: { readonly result: Either.Either<unknown, Dialog.DialogRejected>; readonly thenRejects: (reason: "AttachmentRefused") => void }) => {
  decided.thenRejects("AttachmentRefused")
  return Either.isLeft(decided.result) ? decided.result.left.message : ""
}

const send = (input: MessageInput, context = ctx({ files: messengerFiles }), internal = false) =>
  spec.given(annas()).when(new Dialog.SendMessage({ dialogId, input, internal }), context)

describe("attachments of a staff message (MSG-06, SET-02)", () => {
  it("are checked against the channel's limit for their kind, with the limit in the message", () => {
    expect(refusal(send(withFiles(file("a.pdf", "application/pdf", 26 * MB))))).toBe("Messenger accepts documents up to 25 MB")
    expect(refusal(send(withFiles(file("clip.mp4", "video/mp4", MB))))).toBe("Messenger accepts no videos")
    send(withFiles(file("a.pdf", "application/pdf", 25 * MB))).then((events) => expect(events.map((event) => event._tag)).toEqual(["StaffMessageSent"]))
  })

  it("an internal note leaves through no channel: only the company's file settings apply", () => {
    send(withFiles(file("clip.mp4", "video/mp4", MB)), ctx({ files: messengerFiles }), true).then((events) => expect(events.map((event) => event._tag)).toEqual(["StaffMessageSent"]))
    expect(refusal(send(withFiles(file("tool.exe", "application/x-msdownload", 10)), ctx(), true))).toBe("Files of type .exe are not allowed")
  })

  it("a message carries one file or up to 10 images", () => {
    const image = file("p.png", "image/png", 10)
    send(withFiles(...Array.from({ length: 10 }, () => image)), ctx()).then((events) => expect(events.length).toBe(1))
    expect(refusal(send(withFiles(image, file("a.pdf", "application/pdf", 10)), ctx()))).toBe("A message carries one file or up to 10 images")
    const large = file("p.png", "image/png", 90 * MB)
    const generous = ctx({ settings: { files: FileSettings.make({ maxBytes: 100 * MB }) } })
    expect(refusal(send(withFiles(...Array.from({ length: 6 }, () => large)), generous))).toBe("A message's files are accepted up to 500 MB in all")
  })
})
