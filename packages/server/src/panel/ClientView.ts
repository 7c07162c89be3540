import { Effect, Option } from "effect"
import { Access, Client, ClientCard, ConfigStore, Engine, type ClientId, type Settings } from "@switchboard/core"
import type { ClientCardView, ClientFieldView, ClientSectionView } from "@switchboard/ui-htmx"
import { directory, type Directory } from "./Directory.js"
import { ApiLists, type ApiListResult } from "./ApiLists.js"
import { authorName } from "./History.js"
import { displayTime } from "./Time.js"

/** How many of an open dialog's latest messages the card previews (CLI-03). */
const previewSize = 20

const builtInInputs: Record<string, ClientFieldView["input"]> = { name: "text", username: "text", email: "email", phone: "tel", language: "text", notes: "textarea" }

const customInput = (field: ClientCard.CustomFieldDefinition): ClientFieldView["input"] => {
  switch (field.type) {
    case "longText":
      return "textarea"
    case "list":
      return "select"
    case "number":
      return "number"
    case "date":
      return "date"
    case "checkbox":
      return "checkbox"
    default:
      return "text"
  }
}

/** A profile or custom value as its input shows it. */
const shown = (value: unknown): string => (value === undefined || value === null ? "" : typeof value === "string" ? value : String(value))

/**
 * A list from an API as its input: a select of the loaded options (the stored value kept as a
 * stale option when the list no longer has it), or a text box with why they could not be loaded.
 */
const apiListField = (field: ClientFieldView, loaded: ApiListResult | undefined): ClientFieldView => {
  if (loaded === undefined) return field
  if (loaded._tag === "Left") return { ...field, input: "text", optionsError: loaded.left }
  const options = loaded.right.map((option) => ({ value: option.value, label: option.label }))
  const stale = field.value !== "" && !options.some((option) => option.value === field.value)
  return { ...field, input: "select", options: stale ? [...options, { value: field.value, label: field.value, stale: true }] : options }
}

/** The card's sections in the company's configured order (CLI-02). */
const sectionsOf = (settings: Settings.Settings, client: Client.ClientState, apiLists: ReadonlyMap<string, ApiListResult>): ReadonlyArray<ClientSectionView> => {
  const custom = new Map(settings.clientCard.customFields.map((field) => [`custom:${field.id}`, field]))
  const values = (client.profile.customFields ?? {}) as Record<string, unknown>
  return settings.clientCard.fields.flatMap((name): ReadonlyArray<ClientSectionView> => {
    if (name === "manager" || name === "tags" || name === "blocked" || name === "channels" || name === "dialogs") return [{ kind: name }]
    const definition = custom.get(name)
    if (definition !== undefined) {
      const field: ClientFieldView = {
        name: `custom.${definition.id}`,
        label: definition.label,
        input: customInput(definition),
        value: shown(values[definition.id]),
        ...(definition.options === undefined ? {} : { options: definition.options.map((option) => ({ value: option.value, label: option.label })) })
      }
      return [{ kind: "field", field: definition.type === "apiList" ? apiListField(field, apiLists.get(definition.id)) : field }]
    }
    const profile = client.profile as Record<string, unknown>
    // A built-in field's label is the catalog's, in the reader's language (`ClientPage` looks it up by name).
    return builtInInputs[name] === undefined ? [] : [{ kind: "field", field: { name, label: name, input: builtInInputs[name], value: shown(profile[name]) } }]
  })
}

/** The listed name of a client: the profile's name, else their first identity. */
export const clientName = (client: Client.ClientState): string => client.profile.name ?? client.profile.username ?? client.identities[0]?.externalId ?? client.id

/**
 * The client card for a viewer (CLI-01..04): the configured sections, each channel identity with a
 * green dot and a preview while its dialog is open, and the controls core's `can` allows.
 */
export const clientCardView = (actor: Access.UserActor, clientId: ClientId, error?: string) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    const settings = yield* (yield* ConfigStore).getSettings()
    const client = yield* engine.clientCard(actor, clientId)
    // The options of the lists from an API the card shows, fetched (or kept) by the server (CLI-04).
    const shownCustom = settings.clientCard.fields.flatMap((name) => (name.startsWith("custom:") ? [name.slice("custom:".length)] : []))
    const apiLists = yield* (yield* ApiLists).load(settings.clientCard, shownCustom)
    const names: Directory = yield* directory
    const now = Date.now()
    const name = clientName(client)
    const channels = yield* Effect.forEach(client.identities, (identity) =>
      Effect.gen(function* () {
        const dialogId = client.dialogs[identity.channelId]
        const dialog = dialogId === undefined ? Option.none() : yield* Effect.option(engine.dialog(actor, dialogId))
        const open = Option.isSome(dialog) && dialog.value.status !== "closed"
        const page = open && dialogId !== undefined ? yield* Effect.orElseSucceed(engine.history(actor, { dialogId, limit: previewSize }), () => ({ items: [] })) : { items: [] }
        return {
          channelName: names.channelName(identity.channelId),
          externalId: identity.externalId,
          openCount: open ? 1 : 0,
          ...(Option.isSome(dialog) ? { dialogId: dialog.value.id } : {}),
          preview: [...page.items].reverse().map((message) => ({ sender: authorName(message.author, names, name), time: displayTime(message.createdAt, now), text: message.text }))
        }
      })
    )
    // Every dialog of the client: the latest per channel and those that came with merged clients (CLI-01).
    const visible = yield* Effect.forEach(Client.dialogsOf(client), (id) => Effect.option(engine.dialog(actor, id)))
    const managerId = Option.getOrUndefined(client.managerId)
    const view: ClientCardView = {
      id: client.id,
      name,
      sections: sectionsOf(settings, client, apiLists),
      canEdit: true,
      canSetManager: Access.can(actor, "clients.setManager", settings),
      canBlock: Access.can(actor, "clients.block", settings),
      canMerge: Access.can(actor, "clients.merge", settings),
      blocked: client.blocked,
      ...(managerId === undefined ? {} : { managerId, managerName: names.operatorName(managerId) }),
      managers: names.operators.map((operator) => ({ id: operator.id, name: names.operatorName(operator.id) })),
      tags: client.tags.map((tag) => ({ name: names.tag(tag.tagId).name, pinned: tag.pinned })),
      channels,
      dialogs: visible.flatMap((found) => (Option.isSome(found) ? [{ id: found.value.id, channelName: names.channelName(found.value.channelId), status: found.value.status }] : [])),
      ...(error === undefined ? {} : { error })
    }
    return { client, view }
  })
