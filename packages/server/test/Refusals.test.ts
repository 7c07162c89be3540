import { describe, expect, it } from "vitest"
import { AttachmentPolicy, Dialog, DialogId, Forbidden, NotFound } from "@switchboard/core"
import { I18n, withLocale } from "@switchboard/ui-htmx"
import { refusalText } from "../src/panel/Refusals.js"

/**
 * Core's refusals in the user's language (issue 22, languages): keyed by tag and reason, with the
 * details core's message carries (a file's type, a limit, a text's length) said again in the
 * language; core's English only for what the catalogs do not know.
 */
const inUkrainian = <A>(body: () => A): A => withLocale(I18n.makeLocale("uk"), body)
const inEnglish = <A>(body: () => A): A => withLocale(I18n.makeLocale("en"), body)
const dialogId = DialogId.make("d-1")

describe("refusalText", () => {
  it("says a dialog's refusal in Ukrainian by its reason, and the numbers of a too-long text", () => {
    expect(inUkrainian(() => refusalText(new Dialog.DialogRejected({ dialogId, reason: "NotYours", message: "The dialog is not yours" })))).toBe(I18n.catalogs.uk.refusals.dialog.NotYours)
    expect(inUkrainian(() => refusalText(new Dialog.DialogRejected({ dialogId, reason: "TooLong", message: "The text has 2100 characters without spaces; the limit is 2000", params: { length: 2100, limit: 2000 } })))).toBe(
      "У тексті 2100 символів без пробілів; ліміт — 2000."
    )
  })

  it("re-says a file's refusal with its details: the extension, the detected type, the limit in the language's units", () => {
    const settings = { maxBytes: 1536, allowedExtensions: ["png", "txt"], allowedMimeTypes: ["image/png", "text/plain"] } as unknown as Parameters<typeof AttachmentPolicy.check>[1]
    const refused = (name: string, mime: string, size: number) => {
      const result = AttachmentPolicy.check({ name, mime, size }, settings)
      if (result._tag === "Right") throw new Error("expected a refusal")
      return result.left
    }
    expect(inUkrainian(() => refusalText(refused("setup.exe", "application/x-msdownload", 10)))).toBe("Файли типу .exe не дозволені.")
    expect(inUkrainian(() => refusalText(refused("cat.png", "application/x-msdownload", 10)))).toBe("Вміст файлу має тип application/x-msdownload, а він не дозволений.")
    expect(inUkrainian(() => refusalText(refused("notes.txt", "text/plain", 4096)))).toBe("Приймаються файли до 1,5 КБ.")
    expect(inEnglish(() => refusalText(refused("notes.txt", "text/plain", 4096)))).toBe("Files are accepted up to 1.5 KB.")
  })

  it("names what was not found, and who may do what was forbidden", () => {
    expect(inUkrainian(() => refusalText(new NotFound({ entity: "client", id: "c-1" })))).toBe(I18n.catalogs.uk.refusals.notFound.client)
    expect(inUkrainian(() => refusalText(new Forbidden({ action: "quickReplies.manage", message: "Only admins and supervisors manage the company's quick replies" })))).toBe(
      I18n.catalogs.uk.refusals.forbidden.quickRepliesManage
    )
    // The engine's own refusals of settings and SLA changes (a role taken away between the page and the save).
    expect(inUkrainian(() => refusalText(new Forbidden({ action: "settings.manage", message: "You may not change company settings" })))).toBe("Вам не можна змінювати налаштування компанії.")
    expect(inUkrainian(() => refusalText(new Forbidden({ action: "settings.manage", message: "You may not change SLA settings" })))).toBe("Вам не можна змінювати налаштування SLA.")
  })

  it("falls back to core's English only for what the catalogs do not know", () => {
    expect(inUkrainian(() => refusalText(new Forbidden({ action: "x.y", message: "A rule added later" })))).toBe("A rule added later")
    expect(inUkrainian(() => refusalText({ _tag: "SomethingNew", message: "New refusal" }))).toBeUndefined()
  })
})
