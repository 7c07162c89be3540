import { csrf, routes } from "./contract.js"
import { catalogs, t } from "./i18n/index.js"
import { AdminShell } from "./components/AdminShell.js"
import type { PanelChrome } from "./views.js"

/**
 * Why the options of a list from an API could not be loaded: no answer within the time limit, no
 * connection, an HTTP error status, an answer over the size cap, not JSON, not a list of options,
 * or an address that is not http(s).
 */
export interface OptionsProblemView {
  readonly reason: "timeout" | "unreachable" | "status" | "tooLarge" | "notJson" | "notAList" | "scheme"
  /** The HTTP status, for `status`. */
  readonly status?: number
}

/** One editable profile field of the card (built-in or custom), as its input shows it. */
export interface ClientFieldView {
  /** The form field's name: `name`, `email`, `custom.size`… */
  readonly name: string
  readonly label: string
  readonly input: "text" | "textarea" | "select" | "number" | "date" | "checkbox" | "email" | "tel"
  readonly value: string
  /** A select's options; a `stale` one is the stored value a list from an API no longer offers. */
  readonly options?: ReadonlyArray<{ readonly value: string; readonly label: string; readonly stale?: boolean }>
  /** Why the options of a list from an API could not be fetched (the field is then a text box). */
  readonly optionsError?: OptionsProblemView
}

/** The latest messages of a channel's open dialog, newest last (CLI-03's preview). */
export interface PreviewMessageView {
  readonly sender: string
  readonly time: string
  readonly text: string
}

/** A channel identity of the client (CLI-03): a green dot while a dialog is open there. */
export interface ClientChannelView {
  readonly channelName: string
  readonly externalId: string
  /** How many dialogs are open in this channel (shown on hover). */
  readonly openCount: number
  /** The channel's latest dialog the viewer may open. */
  readonly dialogId?: string
  readonly preview: ReadonlyArray<PreviewMessageView>
}

/** A section of the card, in the order the company's card configuration lists it (CLI-02). */
export type ClientSectionView =
  | { readonly kind: "field"; readonly field: ClientFieldView }
  | { readonly kind: "manager" }
  | { readonly kind: "tags" }
  | { readonly kind: "blocked" }
  | { readonly kind: "channels" }
  | { readonly kind: "dialogs" }

/** The client card (CLI-01..04) for one viewer: what they see and the controls core lets them use. */
export interface ClientCardView {
  readonly id: string
  readonly name: string
  readonly sections: ReadonlyArray<ClientSectionView>
  readonly canEdit: boolean
  readonly canSetManager: boolean
  readonly canBlock: boolean
  readonly blocked: boolean
  readonly managerName?: string
  readonly managerId?: string
  readonly managers: ReadonlyArray<{ readonly id: string; readonly name: string }>
  readonly tags: ReadonlyArray<{ readonly name: string; readonly pinned: boolean }>
  readonly channels: ReadonlyArray<ClientChannelView>
  readonly dialogs: ReadonlyArray<{ readonly id: string; readonly channelName: string; readonly status: "bot" | "queued" | "active" | "closed" }>
  readonly canMerge: boolean
  /** The problem of the last submitted form, as `path: reason`. */
  readonly error?: string
}

/** The card's test ids and routes. */
export const clientCard = {
  routes: {
    card: (id: string) => `/panel/clients/${encodeURIComponent(id)}`,
    profile: (id: string) => `/panel/clients/${encodeURIComponent(id)}/profile`,
    manager: (id: string) => `/panel/clients/${encodeURIComponent(id)}/manager`,
    block: (id: string, change: "block" | "unblock") => `/panel/clients/${encodeURIComponent(id)}/${change}`,
    merge: (id: string) => `/panel/clients/${encodeURIComponent(id)}/merge`
  },
  testIds: {
    card: "client-card",
    field: "client-field",
    error: "client-card-error",
    manager: "client-manager",
    tag: "client-tag",
    channel: "client-channel",
    openDot: "client-channel-open",
    preview: "client-channel-preview",
    previewMessage: "client-preview-message",
    goToDialog: "client-go-to-dialog",
    dialog: "client-dialog",
    blocked: "client-blocked",
    merge: "client-merge",
    optionsError: "client-options-error"
  }
} as const

const Csrf = (props: { readonly token: string }) => <input type="hidden" name={csrf.field} value={props.token} />

const problemText = (problem: OptionsProblemView): string => {
  switch (problem.reason) {
    case "timeout":
      return t("clientCard.optionsTimeout")
    case "unreachable":
      return t("clientCard.optionsUnreachable")
    case "status":
      return t("clientCard.optionsStatus", { status: problem.status ?? 0 })
    case "tooLarge":
      return t("clientCard.optionsTooLarge")
    case "notJson":
      return t("clientCard.optionsNotJson")
    case "notAList":
      return t("clientCard.optionsNotAList")
    case "scheme":
      return t("clientCard.optionsScheme")
  }
}

const FieldInput = (props: { readonly field: ClientFieldView; readonly disabled: boolean }) => {
  const { field, disabled } = props
  const id = `client-field-${field.name}`
  const input = (() => {
    switch (field.input) {
      case "textarea":
        return <textarea id={id} name={field.name} disabled={disabled} rows={4}>{field.value}</textarea>
      case "select":
        return (
          <select id={id} name={field.name} disabled={disabled}>
            <option value="">—</option>
            {(field.options ?? []).map((option) => (
              <option value={option.value} selected={option.value === field.value}>{option.stale === true ? t("clientCard.staleOption", { value: option.label }) : option.label}</option>
            ))}
          </select>
        )
      case "checkbox":
        return <input id={id} type="checkbox" name={field.name} value="true" checked={field.value === "true"} disabled={disabled} />
      default:
        return <input id={id} type={field.input} name={field.name} value={field.value} disabled={disabled} step={field.input === "number" ? "any" : undefined} />
    }
  })()
  return (
    <p class="field" data-testid={clientCard.testIds.field} data-field={field.name}>
      <label for={id}>{Object.hasOwn(catalogs.en.clientCard.fields, field.name) ? t(`clientCard.fields.${field.name as keyof typeof catalogs.en.clientCard.fields}`) : field.label}</label> {input}
      {field.optionsError === undefined ? null : (
        <span class="error" data-testid={clientCard.testIds.optionsError}>{t("clientCard.optionsError", { reason: problemText(field.optionsError) })}</span>
      )}
    </p>
  )
}

const Channels = (props: { readonly channels: ReadonlyArray<ClientChannelView> }) => (
  <section class="client-channels">
    <h3>{t("clientCard.channels")}</h3>
    <ul>
      {props.channels.map((channel) => (
        <li data-testid={clientCard.testIds.channel}>
          {channel.openCount > 0 ? (
            <details data-testid={clientCard.testIds.preview}>
              <summary>
                <span class="dot dot-open" data-testid={clientCard.testIds.openDot} title={t("clientCard.openDialogs", { count: channel.openCount })} aria-label={t("clientCard.openDialogs", { count: channel.openCount })}></span>{" "}
                {channel.channelName} <span class="muted">{channel.externalId}</span>
              </summary>
              <ol class="client-preview" aria-label={t("clientCard.preview")} style="max-height: 16em; overflow-y: auto">
                {channel.preview.length === 0 ? <li class="muted">{t("clientCard.noMessages")}</li> : null}
                {channel.preview.map((message) => (
                  <li data-testid={clientCard.testIds.previewMessage}>
                    <b>{message.sender}</b> <time class="muted">{message.time}</time>
                    <div>{message.text}</div>
                  </li>
                ))}
              </ol>
              {channel.dialogId === undefined ? null : <a href={routes.dialog(channel.dialogId)} data-testid={clientCard.testIds.goToDialog}>{t("clientCard.goToDialog")}</a>}
            </details>
          ) : (
            <span>
              {channel.dialogId === undefined ? channel.channelName : <a href={routes.dialog(channel.dialogId)}>{channel.channelName}</a>} <span class="muted">{channel.externalId}</span>
            </span>
          )}
        </li>
      ))}
    </ul>
  </section>
)

/** The client card's content: the sections in the configured order, each with the controls the viewer may use. */
export const ClientCard = (props: { readonly card: ClientCardView; readonly csrfToken: string }) => {
  const { card, csrfToken } = props
  const fields = card.sections.flatMap((section) => (section.kind === "field" ? [section.field] : []))
  const others = card.sections.filter((section) => section.kind !== "field")
  return (
    <article id="client-card" class="client-card" data-testid={clientCard.testIds.card} data-client-id={card.id}>
      <h2>{card.name}</h2>
      {card.error === undefined ? null : <p class="notice error" role="alert" data-testid={clientCard.testIds.error}>{card.error}</p>}
      {fields.length === 0 ? null : (
        <form method="post" action={clientCard.routes.profile(card.id)}>
          <Csrf token={csrfToken} />
          {fields.map((field) => <FieldInput field={field} disabled={!card.canEdit} />)}
          {card.canEdit ? <button type="submit">{t("clientCard.save")}</button> : null}
        </form>
      )}
      {others.map((section) => {
        switch (section.kind) {
          case "manager":
            return (
              <section class="client-manager">
                <h3>{t("clientCard.manager")}</h3>
                {card.canSetManager ? (
                  <form method="post" action={clientCard.routes.manager(card.id)} class="inline">
                    <Csrf token={csrfToken} />
                    <select name="managerId" aria-label={t("clientCard.manager")} data-testid={clientCard.testIds.manager}>
                      <option value="">{t("clientCard.noManager")}</option>
                      {card.managers.map((manager) => <option value={manager.id} selected={manager.id === card.managerId}>{manager.name}</option>)}
                    </select>
                    <button type="submit">{t("clientCard.setManager")}</button>
                  </form>
                ) : (
                  <p data-testid={clientCard.testIds.manager}>{card.managerName ?? t("clientCard.noManager")}</p>
                )}
              </section>
            )
          case "tags":
            return (
              <section class="client-tags">
                <h3>{t("clientCard.tags")}</h3>
                {card.tags.length === 0 ? <p class="muted">{t("clientCard.noTags")}</p> : (
                  <ul>{card.tags.map((tag) => <li data-testid={clientCard.testIds.tag}>{tag.name}{tag.pinned ? <span class="muted"> ({t("clientCard.pinned")})</span> : null}</li>)}</ul>
                )}
              </section>
            )
          case "blocked":
            return (
              <section class="client-blocked">
                <p data-testid={clientCard.testIds.blocked}>{card.blocked ? t("clientCard.blocked") : t("clientCard.notBlocked")}</p>
                {card.canBlock ? (
                  <form method="post" action={clientCard.routes.block(card.id, card.blocked ? "unblock" : "block")} class="inline">
                    <Csrf token={csrfToken} />
                    <button type="submit">{card.blocked ? t("clientCard.unblock") : t("clientCard.block")}</button>
                  </form>
                ) : null}
              </section>
            )
          case "channels":
            return <Channels channels={card.channels} />
          case "dialogs":
            return (
              <section class="client-dialogs">
                <h3>{t("clientCard.dialogs")}</h3>
                {card.dialogs.length === 0 ? <p class="muted">{t("clientCard.noDialogs")}</p> : (
                  <ul>{card.dialogs.map((dialog) => <li data-testid={clientCard.testIds.dialog}><a href={routes.dialog(dialog.id)}>{dialog.channelName}</a> <span class="muted">{t(`dialogStatus.${dialog.status}`)}</span></li>)}</ul>
                )}
              </section>
            )
        }
      })}
      {card.canMerge ? (
        <section class="client-merge">
          <h3>{t("clientCard.merge")}</h3>
          <p class="muted">{t("clientCard.mergeHint")}</p>
          <form
            method="post"
            action={clientCard.routes.merge(card.id)}
            data-testid={clientCard.testIds.merge}
            hx-post={clientCard.routes.merge(card.id)}
            hx-target="#client-card"
            hx-swap="outerHTML"
            hx-confirm={t("clientCard.mergeConfirm")}
          >
            <Csrf token={csrfToken} />
            <label>{t("clientCard.mergeId")} <input name="mergedId" required maxLength={200} autocomplete="off" /></label>{" "}
            <button type="submit">{t("clientCard.mergeButton")}</button>
          </form>
        </section>
      ) : null}
    </article>
  )
}

/** The client card as its own page (`/panel/clients/:id`). */
export const ClientPage = (props: { readonly chrome: PanelChrome; readonly card: ClientCardView }) => (
  <AdminShell chrome={props.chrome} title={t("clientCard.title", { name: props.card.name })}>
    <ClientCard card={props.card} csrfToken={props.chrome.csrfToken} />
  </AdminShell>
)
