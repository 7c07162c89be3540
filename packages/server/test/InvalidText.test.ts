import { describe, expect, it } from "vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import { Calendar, ClientCard, InvalidInput, Issue, PersonalSettings, QuickReply, Settings, Widget } from "@switchboard/core"
import { I18n, withLocale } from "@switchboard/ui-htmx"
import { issueReason, issueText } from "../src/panel/InvalidText.js"

/**
 * Issue 22: every issue core's forms produce has a code the catalogs word in every language, and
 * its text comes out whole (no `{{placeholder}}` left unfilled), whatever the input.
 */
const forms: ReadonlyArray<readonly [string, Schema.Schema<any, any>]> = [
  ["QuickReplyForm", QuickReply.QuickReplyForm],
  ["PreferencesForm", QuickReply.PreferencesForm],
  ["NotificationsForm", PersonalSettings.NotificationsForm],
  ["Settings", Settings.Settings],
  ["VisitorMessageInput", Widget.VisitorMessageInput],
  ["Calendar", Calendar.Config],
  ["ClientCardConfig", ClientCard.ClientCardConfig]
]

/** A field's value as a form or a JSON body may send it: text (over-long, with a NUL or a `{{variable}}` too), numbers, lists, objects, nothing. */
const value = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom("", "   ", "x".repeat(201), "y".repeat(2001), "s".repeat(501), "nul\u0000", "Hi {{client_nmae}}", "{{operator_name}}", "enter", "on", "loud", "-1", "#zzzzzz"),
  fc.integer({ min: -100_000, max: 100_000 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.record({ id: fc.string({ maxLength: 3 }), name: fc.string({ maxLength: 3 }), level: fc.integer({ min: 0, max: 3 }) })), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 })
)

/** An input with some of the form's fields (and a stray one), each any `value`. */
const inputFor = (schema: Schema.Schema<any, any>) => {
  const ast = Schema.typeSchema(schema).ast
  const names = ast._tag === "TypeLiteral" ? ast.propertySignatures.map((signature) => String(signature.name)) : []
  const fields = [...names, "text", "scope", "title", "category", "signature", "sendKey", "sound", "desktop", "inactivityCloseMinutes", "tags", "mainLanguage", "clientMessageId"]
  return fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 6 })
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]!)

const codeKeys = (catalog: Record<string, unknown>, code: string) => Object.keys(catalog).filter((key) => key === code || key.startsWith(`${code}_`))

describe("the texts of core's issue codes", () => {
  it("a bound the value must pass reads as 'more than' / 'less than', not as an inclusive limit", () => {
    const say = (language: "en" | "uk", params: Issue.IssueParams) => withLocale(I18n.makeLocale(language), () => issueReason({ path: "a", code: "outOfRange", params, message: "x" }))
    expect([say("en", { above: 0 }), say("en", { below: 10 }), say("en", { min: 0 })]).toEqual(["must be more than 0", "must be less than 10", "must be 0 or more"])
    expect([say("uk", { above: 0 }), say("uk", { below: 10 })]).toEqual(["має бути більше за 0", "має бути менше за 10"])
  })

  it("a calendar's and a card's problems come out in Ukrainian with their params, not as core's English (issue 22)", () => {
    const uk = (issue: Issue.Issue) => withLocale(I18n.makeLocale("uk"), () => issueText(issue))
    const calendar = Calendar.decodeConfig({ timezone: "UTC", week: { mon: [["09:00", "13:00"], ["12:00", "18:00"]], tue: [["24:00", "06:00"], ["10:00", "10:00"]] }, holidays: [{ date: "13-01", yearly: true }] })
    const card = ClientCard.decodeConfig({ fields: ["shoe"], customFields: [{ id: "src", label: "Source", type: "apiList", url: "ftp://x" }] })
    const texts = [...(Either.isLeft(calendar) ? calendar.left.issues : []), ...(Either.isLeft(card) ? card.left : [])].map((issue) => uk({ ...issue, code: issue.code ?? "other" }))
    expect(texts).toEqual([
      "week.mon[1]: 12:00–18:00 накладається на 09:00–13:00 того самого дня",
      "week.tue[0][0]: 24:00 може лише завершувати проміжок, а не починати його",
      "week.tue[1]: проміжок починається й закінчується в той самий час (10:00)",
      "holidays[0].date: для щорічного вихідного вкажіть справжній день року у форматі ММ-ДД",
      "fields[0]: не є ні вбудованим полем (name, username, email, phone, language, manager, notes, tags, blocked, channels, dialogs), ні custom:<id>",
      "customFields[0].url: має бути веб-адресою, що починається з http:// або https://"
    ])
  })

  it("every code has its text in every language", () => {
    for (const code of Issue.IssueCode.literals) {
      for (const language of I18n.interfaceLanguages) {
        expect(codeKeys(I18n.catalogs[language].invalid as Record<string, unknown>, code), `${language}: invalid.${code}`).not.toEqual([])
      }
    }
  })

  it("every issue of a real form, whatever the input, has a code the catalogs word, rendered whole in every language (property)", () => {
    const seen = new Set<string>()
    fc.assert(
      fc.property(fc.constantFrom(...forms).chain(([name, schema]) => inputFor(schema).map((input) => [name, schema, input] as const)), fc.context(), ([name, schema, input], context) => {
        const decoded = Schema.decodeUnknownEither(schema)(input, { errors: "all", onExcessProperty: "ignore" })
        if (Either.isRight(decoded)) return
        const invalid = InvalidInput.fromParseError(decoded.left)
        expect(invalid.issues!.length).toBeGreaterThan(0)
        expect(invalid.issues!.length).toBeLessThanOrEqual(5)
        for (const issue of invalid.issues!) {
          seen.add(issue.code)
          context.log(`${name} ${issue.path} ${issue.code}`)
          expect(Issue.IssueCode.literals).toContain(issue.code)
          // A param may carry `{{…}}` itself (the variables a quick reply may use), or be shown as one
          // (the unknown variable's name, written `{{name}}` in the text).
          const echoed = Object.values(issue.params ?? {}).flatMap((param) => [String(param), ...placeholders(String(param))])
          for (const language of I18n.interfaceLanguages) {
            const text = withLocale(I18n.makeLocale(language), () => issueText(issue))
            const reason = withLocale(I18n.makeLocale(language), () => issueReason(issue))
            expect(reason.length, `${language} ${issue.code}`).toBeGreaterThan(0)
            expect(text).toContain(issue.path)
            // What is left of `{{…}}` is only what a param carries or names (a quick reply's `{{variable}}`).
            expect(placeholders(text).filter((name) => !echoed.includes(name)), `${language} ${issue.code}: ${text}`).toEqual([])
            if (language === "uk" && issue.code !== "other") expect(text).not.toMatch(/Expected|actual|is missing|characters/)
          }
        }
      }),
      { numRuns: 300 }
    )
    // The inputs reach more than one kind of problem (not one code over and over).
    expect(seen.size).toBeGreaterThan(4)
  })
})
