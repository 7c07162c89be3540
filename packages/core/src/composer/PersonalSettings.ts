import { Either, ParseResult, Schema } from "effect"
import { UserId } from "../shared/Ids.js"
import { issueAnnotation, type IssueCode, type IssueParams, issuesOf } from "../shared/Issue.js"

/**
 * A user's notification switches (NTF-01, NTF-02, OPS-07): a desktop notification with the
 * client's text, and sounds while the panel's tab is hidden (a new dialog or message in New or
 * Mine, and a reminder every minute while something is unread). The browser still asks the user
 * before it shows a desktop notification; this says whether the panel asks it to.
 */
export const NotificationSwitches = Schema.Struct({
  desktop: Schema.Boolean,
  sound: Schema.Boolean
})
export type NotificationSwitches = typeof NotificationSwitches.Type

/** The longest name of a personal folder, and how many folders a user keeps. */
export const folderLimits = { name: 60, folders: 50, query: 2000 } as const

/**
 * A personal folder (DLG-02, OPS-07): a saved filter. `query` is the list's own query string (its
 * folder, search text and filters, as the panel's URLs carry them), so opening the folder opens that
 * list, and whatever the list's filters can do a folder can keep.
 */
export const PersonalFolder = Schema.Struct({
  id: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64)),
  name: Schema.Trim.pipe(
    Schema.minLength(1, { message: () => "A folder needs a name" }),
    Schema.maxLength(folderLimits.name, { message: () => `A folder's name is at most ${folderLimits.name} characters` }),
    Schema.filter((name) => !/\p{Cc}/u.test(name), { message: () => "A folder's name is one line of text", ...issueAnnotation("notStorable") })
  ),
  query: Schema.String.pipe(Schema.maxLength(folderLimits.query, { message: () => "The folder's filter is too long" }))
})
export type PersonalFolder = typeof PersonalFolder.Type

/**
 * How the user's dialog list looks (DLG-20, DLG-22): a chat list or a table of the same rows, and its
 * order: each folder's own (New by processing order, the rest by last activity), or one of the two
 * for every folder.
 */
export const ListLook = Schema.Struct({
  view: Schema.Literal("list", "table").annotations({ message: () => "Choose the list or the table" }),
  sort: Schema.Literal("auto", "lastActivity", "processingOrder").annotations({ message: () => "Choose the folder's order, last activity or processing order" })
})
export type ListLook = typeof ListLook.Type

/** A user's own settings beside the composer's: what the panel notifies them of, their folders in their order, how their list looks. */
export const PersonalSettings = Schema.Struct({
  userId: UserId,
  notifications: NotificationSwitches,
  folders: Schema.optionalWith(Schema.Array(PersonalFolder), { default: () => [] }),
  list: Schema.optionalWith(ListLook, { default: () => ({ view: "list" as const, sort: "auto" as const }) })
})
export type PersonalSettings = typeof PersonalSettings.Type

/** Before a user saves any: both on (the browser's own permission still gates desktop notifications). */
export const defaultPersonalSettings = (userId: UserId): PersonalSettings => ({ userId, notifications: { desktop: true, sound: true }, folders: [], list: { view: "list", sort: "auto" } })

/** What a change of the folders can be refused for: a bad name or filter (the form's), a folder that is not there, too many. */
export type FolderRefusal =
  | { readonly _tag: "Invalid"; readonly field: string; readonly message: string; readonly code: IssueCode; readonly params?: IssueParams }
  | { readonly _tag: "Missing" }

const decodeName = Schema.decodeUnknownEither(PersonalFolder.fields.name)

const named = (name: unknown): Either.Either<string, FolderRefusal> =>
  Either.mapLeft(decodeName(name), (error) => {
    const issue = issuesOf(error.issue, 1)[0]
    const message = ParseResult.TreeFormatter.formatErrorSync(error).split("\n").at(-1)!.trim().replace(/^└─ /, "")
    return issue?.params === undefined
      ? { _tag: "Invalid" as const, field: "name", message, code: issue?.code ?? "other" }
      : { _tag: "Invalid" as const, field: "name", message, code: issue.code, params: issue.params }
  })

/** Add a folder at the end of the user's list. */
export const addFolder = (folders: ReadonlyArray<PersonalFolder>, id: string, name: unknown, query: string): Either.Either<ReadonlyArray<PersonalFolder>, FolderRefusal> => {
  if (folders.length >= folderLimits.folders) return Either.left({ _tag: "Invalid", field: "name", message: `You keep at most ${folderLimits.folders} folders`, code: "tooMany", params: { max: folderLimits.folders } })
  if (query.length > folderLimits.query) return Either.left({ _tag: "Invalid", field: "query", message: "The folder's filter is too long", code: "tooLong", params: { max: folderLimits.query } })
  return Either.map(named(name), (trimmed) => [...folders, { id, name: trimmed, query }])
}

/** Rename one folder. */
export const renameFolder = (folders: ReadonlyArray<PersonalFolder>, id: string, name: unknown): Either.Either<ReadonlyArray<PersonalFolder>, FolderRefusal> => {
  if (!folders.some((folder) => folder.id === id)) return Either.left({ _tag: "Missing" })
  return Either.map(named(name), (trimmed) => folders.map((folder) => (folder.id === id ? { ...folder, name: trimmed } : folder)))
}

/** Move one folder a place up or down (at either end it stays). */
export const moveFolder = (folders: ReadonlyArray<PersonalFolder>, id: string, direction: "up" | "down"): Either.Either<ReadonlyArray<PersonalFolder>, FolderRefusal> => {
  const at = folders.findIndex((folder) => folder.id === id)
  if (at < 0) return Either.left({ _tag: "Missing" })
  const to = direction === "up" ? at - 1 : at + 1
  if (to < 0 || to >= folders.length) return Either.right(folders)
  const moved = [...folders]
  ;[moved[at], moved[to]] = [moved[to]!, moved[at]!]
  return Either.right(moved)
}

/** Delete one folder. */
export const removeFolder = (folders: ReadonlyArray<PersonalFolder>, id: string): Either.Either<ReadonlyArray<PersonalFolder>, FolderRefusal> =>
  folders.some((folder) => folder.id === id) ? Either.right(folders.filter((folder) => folder.id !== id)) : Either.left({ _tag: "Missing" })

/** A checkbox as a form sends it: "on" (or "true") when ticked, absent when not; anything else is a mistake. */
const Checkbox = Schema.optionalWith(
  Schema.String.pipe(Schema.filter((value) => value === "on" || value === "true" || value === "false", { message: () => "A switch is on or off", ...issueAnnotation("notOneOf", { options: "on, off" }) })),
  { default: () => "false" as const }
)

/** The notification form on the account page: two checkboxes. */
export const NotificationsForm = Schema.transform(
  Schema.Struct({ desktop: Checkbox, sound: Checkbox }),
  NotificationSwitches,
  {
    strict: true,
    decode: (form) => ({ desktop: form.desktop !== "false", sound: form.sound !== "false" }),
    encode: (switches) => ({ desktop: switches.desktop ? "on" as const : "false" as const, sound: switches.sound ? "on" as const : "false" as const })
  }
)

/** The order a folder's list is in for a user (DLG-20): their choice, or the folder's own. */
export const sortFor = (look: ListLook, folder: string): "lastActivity" | "processingOrder" =>
  look.sort !== "auto" ? look.sort : folder === "new" ? "processingOrder" : "lastActivity"
