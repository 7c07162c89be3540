import { csrf, ids, layout, listQuery, routes, sse, testIds, type ListParams } from "./contract.js"
import { catalogs, t, useLocale } from "./i18n/index.js"
import { LocalTime } from "./components/LocalTime.js"
import type { Child } from "hono/jsx"
import { ComposerTools, SaveAsQuickReply } from "./components/ComposerTools.js"
import { TagSwatch } from "./components/TagSwatch.js"
import { LinkedText } from "./components/LinkedText.js"
import { PresenceLine } from "./components/Presence.js"
import { GalleryToggle } from "./components/Gallery.js"
import { BlockedNotice, DialogControls, MessageControls, PendingCloseNotice } from "./DialogControls.js"
import type { AttachmentView, ClientTagView, ComposerView, ComposeView, DialogHeadView, SlaMetricView, DialogView, HistoryView, MessageView } from "./views.js"

/**
 * The CSRF field of a form. Fragments the live stream pushes are rendered once for many sessions,
 * so they carry none: htmx sends the page's token as a header (`hx-headers` on the body).
 */
const CsrfField = (props: { readonly token: string | undefined }) => (props.token === undefined ? null : <input type="hidden" name={csrf.field} value={props.token} />)

/** Whether a delivery status has its own mark and words in the catalogs (a channel may report others). */
const isDeliveryStatus = (status: string): status is keyof typeof catalogs.en.dialog.delivery => Object.hasOwn(catalogs.en.dialog.delivery, status)

/**
 * One message bubble: author side, internal-note styling, delivery status, edited/deleted marks
 * (MSG-01/02/04). A `change` is a new version of a bubble: it arrives at the end of the history and
 * takes the old one's place (panel.js), or goes if the old one is not loaded.
 */
export const MessageBubble = (props: { readonly message: MessageView; readonly change?: boolean; readonly children?: Child }) => {
  const message = props.message
  const classes = ["bubble", `from-${message.author}`]
  if (message.internal) classes.push("internal")
  if (message.deleted) classes.push("deleted")
  if (message.rejected) classes.push("rejected")
  return (
    <article
      id={ids.message(message.id)}
      class={classes.join(" ")}
      data-testid={testIds.message}
      data-message-id={message.id}
      data-author={message.author}
      data-internal={message.internal ? "true" : undefined}
      data-message-change={props.change === true ? "true" : undefined}
    >
      <header>
        <span class="author">{message.authorName}</span>
        {message.internal ? <span class="tag-internal">{t("dialog.internalNote")}</span> : null}
        <LocalTime iso={message.timeIso} fallback={message.time} />
      </header>
      {message.quote === undefined || message.deleted ? null : (
        <blockquote class="quote" data-testid="message-quote">
          {message.quote.text === undefined ? t("dialog.replyingToEarlier") : <><span class="author">{message.quote.authorName}</span> {message.quote.text.length > 200 ? `${message.quote.text.slice(0, 200)}…` : message.quote.text}</>}
        </blockquote>
      )}
      {message.deleted ? <p class="text muted">{t("dialog.messageDeleted")}</p> : <p class="text"><LinkedText text={message.text} /></p>}
      {message.deleted || message.attachments === undefined || message.attachments.length === 0 ? null : <Attachments files={message.attachments} />}
      <footer>
        {message.edited && !message.deleted ? <span class="edited">{t("dialog.edited")}</span> : null}
        {message.rejected ? <span class="rejected-mark">{t("dialog.notDeliveredBlocked")}</span> : null}
        {message.delivery === undefined ? null : (
          <span class={`delivery delivery-${message.delivery.status}`} title={message.delivery.reason ?? (isDeliveryStatus(message.delivery.status) ? t(`dialog.delivery.${message.delivery.status}`) : message.delivery.status)} data-delivery={message.delivery.status}>
            {isDeliveryStatus(message.delivery.status) ? t(`dialog.deliveryMarks.${message.delivery.status}`) : message.delivery.status}
            {message.delivery.reason === undefined ? null : ` (${message.delivery.reason})`}
          </span>
        )}
      </footer>
      {props.children}
    </article>
  )
}

/** A message's files (MSG-06): images as clickable previews, other files as download links, each with its size. */
const Attachments = (props: { readonly files: ReadonlyArray<AttachmentView> }) => (
  <ul class="attachments">
    {props.files.map((file) => (
      <li data-testid={testIds.attachment}>
        {file.url === undefined ? (
          <span class="attachment-name">{file.name}</span>
        ) : file.preview ? (
          <a href={file.url} target="_blank" rel="noopener">
            <img src={file.url} alt={file.name} loading="lazy" class="attachment-preview" />
          </a>
        ) : (
          <a href={file.url} download={file.name} class="attachment-link">📎 {file.name}</a>
        )}
        <span class="muted"> {file.size}</span>
      </li>
    ))}
  </ul>
)

/** A new bubble for an open dialog's history: the live stream's `sse.dialog` event, appended where it listens. */
export const MessageAppend = (props: { readonly message: MessageView }) => <MessageBubble message={props.message} />

/** A changed bubble (edited, deleted, delivery) for an open dialog's history, by the same event. */
export const MessageReplace = (props: { readonly message: MessageView }) => <MessageBubble message={props.message} change />

/**
 * "Show earlier messages" at the top of a history (MSG-07): a link to the page before, which with
 * htmx replaces itself with the older bubbles and, if there are more, a new link.
 */
export const EarlierMessages = (props: { readonly dialogId: string; readonly list: ListParams; readonly before: string | undefined }) => {
  if (props.before === undefined) return null
  const url = routes.dialog(props.dialogId, props.list, { before: props.before })
  return (
    <p id={ids.earlier(props.dialogId)} class="history-link">
      {/* MSG-07: scrolling up to it loads the page (the history opens scrolled to the bottom, so it is out of sight until then). */}
      <a class="button" href={url} hx-get={url} hx-trigger="click, intersect once" hx-target={`#${ids.earlier(props.dialogId)}`} hx-swap="outerHTML" data-testid={testIds.showEarlier}>
        {t("dialog.showEarlier")}
      </a>
    </p>
  )
}

/** An earlier page of history for htmx: the link to the page before it (if any), then its bubbles. */
export const HistoryPage = (props: { readonly history: HistoryView }) => (
  <>
    <EarlierMessages dialogId={props.history.dialogId} list={props.history.list} before={props.history.earlier} />
    {props.history.messages.map((message) => (
      <MessageBubble message={message} />
    ))}
  </>
)

const defaultComposer: ComposerView = { sendKey: "ctrlEnter", signature: "", maxLength: 2000 }

/**
 * Composer: text, internal-note switch, the user's send key (MSG-08), quick replies, emoji and the
 * counter (`ComposerTools`); the draft is saved as you type (DLG-11).
 */
export const Composer = (props: { readonly dialog: Pick<DialogView, "id" | "list" | "draft" | "composer">; readonly csrfToken?: string | undefined; readonly text?: string; readonly error?: string }) => {
  const composer = props.dialog.composer ?? defaultComposer
  return (
  <form
    id={ids.composer}
    class="composer"
    method="post"
    action={routes.action(props.dialog.id, "messages", props.dialog.list)}
    hx-post={routes.action(props.dialog.id, "messages", props.dialog.list)}
    hx-target={`#${ids.composer}`}
    hx-swap="outerHTML"
    data-testid={testIds.composer}
  >
    <CsrfField token={props.csrfToken} />
    {props.error === undefined ? null : <p class="form-error" role="alert">{props.error}</p>}
    <textarea
      name="text"
      rows={3}
      placeholder={composer.sendKey === "enter" ? t("composer.placeholderEnter") : t("composer.placeholderCtrlEnter")}
      aria-label={t("composer.reply")}
      data-testid={testIds.composerText}
      data-send-key={composer.sendKey}
      data-signature={composer.signature === "" ? undefined : composer.signature}
      hx-post={routes.action(props.dialog.id, "draft")}
      hx-trigger="input changed delay:800ms"
      hx-swap="none"
    >
      {props.text ?? props.dialog.draft}
    </textarea>
    <ComposerTools dialogId={props.dialog.id} composer={composer} />
    <div class="composer-bar">
      <label>
        <input type="checkbox" name="internal" value="true" data-testid={testIds.composerInternal} /> {t("composer.internalNote")}
      </label>
      <button type="submit" class="primary" data-testid={testIds.send}>{t("composer.send")}</button>
    </div>
  </form>
  )
}

/**
 * The composer's attach button (MSG-06): one file with an optional caption, sent as a message.
 * A real multipart form (works without JavaScript); with htmx it replaces itself, and the new
 * message arrives in the history like any other. A refusal names the limit (the notice area).
 *
 * The file input is visually hidden (still in the tab order, and what paste and drop fill in):
 * its label is the button the user sees, in the page's language, where the browser's own control
 * would show the browser's ("Choose File"). The chosen file's name is shown next to it
 * (composer.js), and read with the input as its description.
 */
export const AttachForm = (props: { readonly dialogId: string; readonly list?: ListParams | undefined; readonly csrfToken?: string | undefined }) => {
  const url = routes.action(props.dialogId, "files", props.list)
  return (
    <form id={ids.attach} class="attach" method="post" action={url} enctype="multipart/form-data" hx-post={url} hx-encoding="multipart/form-data" hx-target="this" hx-swap="outerHTML" data-testid={testIds.attach}>
      <CsrfField token={props.csrfToken} />
      <input type="file" id={ids.attachFile} class="visually-hidden file-input" name="file" required data-testid={testIds.attachFile} aria-describedby={ids.attachFileName} />
      <label for={ids.attachFile} class="button file-choose" data-testid={testIds.attachChoose}>
        <span aria-hidden="true">📎 </span>{t("composer.chooseFile")}
      </label>
      <span id={ids.attachFileName} class="muted file-name" data-testid={testIds.attachFileName} data-empty={t("composer.noFileChosen")}>{t("composer.noFileChosen")}</span>
      <input type="text" name="text" placeholder={t("composer.captionOptional")} aria-label={t("composer.caption")} />
      <label>
        <input type="checkbox" name="internal" value="true" /> {t("composer.internalNote")}
      </label>
      <button type="submit" data-testid={testIds.attachSend}>{t("composer.sendFile")}</button>
    </form>
  )
}

const ActionForm = (props: { readonly dialog: Pick<DialogView, "id" | "list">; readonly action: "accept" | "leave" | "unread" | "reopen"; readonly label: string; readonly testId: string; readonly csrfToken: string | undefined; readonly primary?: boolean }) => {
  const url = routes.action(props.dialog.id, props.action, props.dialog.list)
  return (
    <form method="post" action={url} hx-post={url} hx-target={`#${ids.dialogPane}`} hx-swap="outerHTML" class="inline">
      <CsrfField token={props.csrfToken} />
      <button type="submit" class={props.primary === true ? "primary" : ""} data-testid={props.testId}>{props.label}</button>
    </form>
  )
}

/** Accept, leave, close with a reason, mark unread (DLG-03/04/06/09); shown only when they apply. */
export const DialogActions = (props: { readonly dialog: DialogHeadView; readonly csrfToken?: string | undefined }) => {
  const dialog = props.dialog
  const close = routes.action(dialog.id, "close", dialog.list)
  return (
    <div class="actions">
      {dialog.canAccept ? <ActionForm dialog={dialog} action="accept" label={t("dialog.accept")} testId={testIds.accept} csrfToken={props.csrfToken} primary /> : null}
      {dialog.canLeave ? <ActionForm dialog={dialog} action="leave" label={t("dialog.leave")} testId={testIds.leave} csrfToken={props.csrfToken} /> : null}
      {dialog.canReopen === true ? <ActionForm dialog={dialog} action="reopen" label={t("phone.reopen")} testId={layout.testIds.reopen} csrfToken={props.csrfToken} primary /> : null}
      {dialog.canClose ? (
        <form method="post" action={close} hx-post={close} hx-target={`#${ids.dialogPane}`} hx-swap="outerHTML" class="inline">
          <CsrfField token={props.csrfToken} />
          <select name="reasonId" data-testid={testIds.closeReason} aria-label={t("dialog.closeReason")}>
            <option value="">{t("dialog.noReason")}</option>
            {dialog.closeReasons.map((reason) => (
              <option value={reason.id}>{reason.name}</option>
            ))}
          </select>
          <button type="submit" data-testid={testIds.close}>{t("dialog.close")}</button>
        </form>
      ) : null}
      <ActionForm dialog={dialog} action="unread" label={t("dialog.markUnread")} testId={testIds.markUnread} csrfToken={props.csrfToken} />
    </div>
  )
}

/**
 * The client's tags (DLG-21, CLI-01): the ones they carry, pinned first, and folded under them a
 * form to set them from the company's catalog, each with whether it is pinned (shown in the list).
 */
const ClientTags = (props: { readonly dialog: DialogView; readonly tags: ReadonlyArray<ClientTagView>; readonly csrfToken: string }) => {
  const url = routes.action(props.dialog.id, "client-tags", props.dialog.list)
  const carried = props.tags.filter((tag) => tag.on).sort((a, b) => Number(b.pinned) - Number(a.pinned))
  return (
    <details class="client-tags" data-testid={testIds.clientTags}>
      <summary>
        {carried.length === 0 ? <span class="muted">{t("dialog.noTags")}</span> : carried.map((tag) => (
          <span class={tag.pinned ? "row-tag pinned" : "row-tag"} data-tag={tag.id} title={tag.pinned ? t("dialog.pinnedHint") : undefined}>
            <TagSwatch color={tag.color} />
            {tag.name}
          </span>
        ))}
        <span class="muted"> · {t("dialog.editTags")}</span>
      </summary>
      {props.tags.length === 0 ? (
        <p class="muted hint">{t("dialog.noCompanyTags")}</p>
      ) : (
        <form method="post" action={url} hx-post={url} hx-target={`#${ids.dialogPane}`} hx-swap="outerHTML" class="client-tags-form">
          <CsrfField token={props.csrfToken} />
          {props.tags.map((tag) => (
            <div class="client-tag-choice">
              <label>
                <input type="checkbox" name="tag" value={tag.id} checked={tag.on} data-testid={testIds.clientTag(tag.id)} /> {tag.name}
              </label>
              <label class="muted">
                <input type="checkbox" name="pinned" value={tag.id} checked={tag.pinned} data-testid={testIds.clientTagPinned(tag.id)} /> {t("dialog.pinned")}
              </label>
            </div>
          ))}
          <button type="submit" data-testid={testIds.saveClientTags}>{t("dialog.saveTags")}</button>
        </form>
      )}
    </details>
  )
}

/** The open dialog: who and where, actions, history (oldest first), composer. */
export const DialogPane = (props: { readonly dialog: DialogView; readonly csrfToken: string }) => {
  const dialog = props.dialog
  return (
    <section id={ids.dialogPane} class="pane" data-testid={testIds.dialogView} data-dialog-id={dialog.id} data-status={dialog.status} data-position={dialog.position === undefined ? undefined : String(dialog.position)}>
      <input type="hidden" id={ids.dialogSelected} name={listQuery.selected} value={dialog.id} />
      {/* Opening reads the dialog: a POST once the pane is in (the page's hx-headers carry the CSRF token). */}
      {dialog.markRead === true ? <span hidden hx-post={routes.action(dialog.id, "read")} hx-trigger="load" hx-swap="none" data-testid={testIds.markRead} /> : null}
      {/* The head and the compose area follow what others do to the dialog: the live stream replaces them out of band. */}
      <div hidden sse-swap={sse.dialogHead(dialog.id)} hx-swap="none"></div>
      <DialogHead dialog={dialog} csrfToken={props.csrfToken} />
      {dialog.clientTags === undefined ? null : <ClientTags dialog={dialog} tags={dialog.clientTags} csrfToken={props.csrfToken} />}
      <GalleryToggle dialogId={dialog.id} />
      {/* Live messages append to the newest page only; an older page (a link without JavaScript) links back to it. */}
      <div
        id={ids.messages(dialog.id)}
        class="messages"
        data-testid="messages"
        sse-swap={dialog.latest ? sse.dialog(dialog.id) : undefined}
        hx-swap={dialog.latest ? "beforeend" : undefined}
      >
        <EarlierMessages dialogId={dialog.id} list={dialog.list} before={dialog.earlier} />
        {dialog.messages.map((message) => (
          <MessageBubble message={message}>
            <MessageControls dialog={dialog} messageId={message.id} text={message.text} control={dialog.controls?.messages[message.id]} csrfToken={props.csrfToken} />
            <SaveAsQuickReply text={message.text} deleted={message.deleted} />
          </MessageBubble>
        ))}
        {dialog.latest ? null : (
          <p class="history-link">
            <a class="button" href={routes.dialog(dialog.id, dialog.list, { newest: true })} data-testid={testIds.latestMessages}>{t("dialog.latestMessages")}</a>
          </p>
        )}
      </div>
      <PresenceLine dialogId={dialog.id} />
      {dialog.controls === undefined ? null : (
        <>
          <PendingCloseNotice dialog={dialog} controls={dialog.controls} csrfToken={props.csrfToken} />
          <BlockedNotice dialog={dialog} controls={dialog.controls} csrfToken={props.csrfToken} />
        </>
      )}
      <ComposeArea dialog={dialog} csrfToken={props.csrfToken} />
    </section>
  )
}

/**
 * The open dialog's head: who and where, its status and operator, the actions the user may take,
 * the SLA pane. `oob` renders it for the live stream's out-of-band swap.
 */
export const DialogHead = (props: { readonly dialog: DialogHeadView; readonly csrfToken?: string | undefined; readonly oob?: boolean }) => {
  const dialog = props.dialog
  return (
    <div id={ids.dialogHead} class="dialog-head" data-testid={testIds.dialogHead} data-status={dialog.status} hx-swap-oob={props.oob === true ? "true" : undefined}>
      <header class="pane-header">
        <div>
          {/* On a phone the list and the dialog are two screens: this leads back to the list (hidden on wider screens). */}
          <a class="back-link" href={routes.list(dialog.list)} data-testid={layout.testIds.backToList}>{t("phone.backToList")}</a>
          <h2 tabindex={-1}>{dialog.clientName}</h2>
          {dialog.clientId === undefined ? null : <a href={`/panel/clients/${encodeURIComponent(dialog.clientId)}`} data-testid="client-card-link">{t("dialog.clientCard")}</a>}
          <p class="muted">
            {dialog.channelName} · <span data-testid="dialog-status">{t(`dialogStatus.${dialog.status}`)}</span>
            {dialog.assigneeName === undefined ? null : ` · ${dialog.assigneeName}`}
          </p>
        </div>
        <DialogActions dialog={dialog} csrfToken={props.csrfToken} />
        {dialog.controls === undefined ? null : <DialogControls dialog={dialog} controls={dialog.controls} csrfToken={props.csrfToken} />}
      </header>
      {dialog.sla.length === 0 ? null : <SlaPanel policy={dialog.slaPolicy} metrics={dialog.sla} />}
    </div>
  )
}

/** The head once the dialog left the user's sight (taken by someone else, deleted): no actions, no composer. */
export const DialogHeadGone = () => (
  <>
    <div id={ids.dialogHead} class="dialog-head" data-testid={testIds.dialogHead} data-gone="true" hx-swap-oob="true">
      <p class="notice notice-info" role="status">{t("dialog.gone")}</p>
    </div>
    <div id={ids.dialogCompose} hx-swap-oob="true"></div>
  </>
)

/**
 * Where the user writes: the composer and the attach form while they may write and the dialog is
 * open (a closed dialog has none, and keeps no draft); otherwise what they can do instead.
 * `oob` renders it for the live stream's out-of-band swap.
 */
export const ComposeArea = (props: { readonly dialog: ComposeView; readonly csrfToken?: string | undefined; readonly oob?: boolean }) => {
  const dialog = props.dialog
  const kind = composeKind(dialog)
  return (
    <div id={ids.dialogCompose} class="compose-area" data-compose={kind} hx-swap-oob={props.oob === true ? "true" : undefined}>
      {kind === "write" ? (
        <>
          <Composer dialog={dialog} csrfToken={props.csrfToken} />
          <AttachForm dialogId={dialog.id} list={dialog.list} csrfToken={props.csrfToken} />
        </>
      ) : (
        <p class="muted composer-off">{kind === "closed" ? t("dialog.closedNoReply") : kind === "accept" ? t("dialog.acceptToReply") : t("dialog.notYoursToReply")}</p>
      )}
    </div>
  )
}

/** Which compose area a dialog gets: the live stream swaps it only when this changes, so typing is never lost to a push. */
export const composeKind = (dialog: Pick<ComposeView, "status" | "canWrite" | "canAccept">): "write" | "closed" | "accept" | "none" =>
  dialog.status === "closed" ? "closed" : dialog.canWrite ? "write" : dialog.canAccept ? "accept" : "none"


/** The dialog's SLA metrics (SLA-05): target, due, elapsed and remaining working time, status. */
export const SlaPanel = (props: { readonly policy: string | undefined; readonly metrics: ReadonlyArray<SlaMetricView> }) => (
  <div class="sla-panel" data-testid="sla-panel">
    <span class="muted">SLA{props.policy === undefined ? "" : ` · ${props.policy}`}</span>
    {props.metrics.map((metric) => (
      <span class={`sla-metric sla-metric-${metric.status}`} data-testid="sla-metric" data-status={metric.status}>
        {metric.metric === undefined ? metric.label : t(`sla.${metric.metric}`)}: {t(`sla.${metric.status}`)}
        {metric.due === undefined ? "" : ` · ${t("sla.due", { due: metric.dueIso === undefined ? metric.due : useLocale().due(Date.parse(metric.dueIso), Date.now()) })}`}
        {` · ${t("sla.minutes", { elapsed: metric.elapsedMinutes, target: metric.targetMinutes })}`}
      </span>
    ))}
  </div>
)

/** The pane when no dialog is open. */
export const EmptyPane = () => (
  <section id={ids.dialogPane} class="pane empty-pane" data-testid={testIds.dialogView}>
    {/* No dialog to name: disabled, so list requests send nothing, yet their hx-include finds it. */}
    <input type="hidden" id={ids.dialogSelected} name={listQuery.selected} disabled />
    <p class="muted">{t("dialog.choose")}</p>
  </section>
)

/**
 * A rejection or error shown in the notice area: the engine's reason in words.
 * The server retargets 4xx fragments here (`HX-Retarget`).
 */
export const Notice = (props: { readonly kind: "error" | "info"; readonly title: string; readonly message: string }) => (
  <div class={`notice notice-${props.kind}`} role="alert" data-testid="notice-message">
    <strong>{props.title}</strong> {props.message}
  </div>
)
