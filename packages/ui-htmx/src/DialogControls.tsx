import type { Child } from "hono/jsx"
import { t } from "./i18n/index.js"
import { csrf, ids, routes, type ListParams } from "./contract.js"
import type { DialogControlsView, DialogView, MessageControlView } from "./views.js"

/** The further dialog actions (`DialogControls`): their path under `/panel/dialogs/:id/`. */
export type ControlAction = "reassign" | "return-to-bot" | "block" | "unblock" | "priority" | "topics" | "detach" | "delete" | "close-now" | "outgoing"

/** What may be done to one message: its path under `/panel/dialogs/:id/messages/:messageId/`. */
export type MessageAction = "quote" | "edit" | "delete"

/** URLs of the further actions; the list rides along as on every dialog action. */
export const controlRoutes = {
  action: (dialogId: string, action: ControlAction, list?: ListParams) => routes.action(dialogId, action, list),
  message: (dialogId: string, messageId: string, action: MessageAction, list?: ListParams) => routes.action(dialogId, `messages/${encodeURIComponent(messageId)}/${action}`, list)
} as const

/** Form field names of the further actions. */
export const controlFields = { to: "to", priority: "priority", topic: "topic", confirm: "confirm", text: "text", id: "id", channelId: "channelId" } as const

/** `data-testid`s of the further actions. */
export const controlTestIds = {
  controls: "dialog-controls",
  reassignTo: "reassign-to",
  reassign: "reassign",
  returnToBot: "return-to-bot",
  block: "block-client",
  unblock: "unblock-client",
  blockedNotice: "blocked-notice",
  /** "Any more questions?" was asked (DLG-15): the notice and its Close now button. */
  pendingClose: "pending-close",
  closeNow: "close-now",
  /** Write to the client first in a chosen channel (DLG-13). */
  outgoing: "outgoing",
  outgoingChannel: "outgoing-channel",
  outgoingText: "outgoing-text",
  outgoingSend: "outgoing-send",
  priority: "priority",
  setPriority: "set-priority",
  topics: "topics",
  topic: (topicId: string) => `topic-${topicId}`,
  setTopics: "set-topics",
  detach: "detach-client",
  delete: "delete-dialog",
  quote: "quote-message",
  edit: "edit-message",
  deleteMessage: "delete-message",
  messageText: "message-control-text"
} as const

/** The queue as a reassignment target. */
export const toQueue = "queue"

/** A form whose answer replaces the dialog pane (htmx) or redirects back to it; `confirm` asks first (htmx). */
const PaneForm = (props: { readonly url: string; readonly csrfToken: string | undefined; readonly confirm?: string; readonly class?: string; readonly children?: Child }) => (
  <form method="post" action={props.url} hx-post={props.url} hx-target={`#${ids.dialogPane}`} hx-swap="outerHTML" hx-confirm={props.confirm} class={props.class ?? "inline"}>
    {/* None in what the live stream pushes (rendered for many sessions): htmx sends the page's token as a header. */}
    {props.csrfToken === undefined ? null : <input type="hidden" name={csrf.field} value={props.csrfToken} />}
    {props.children}
  </form>
)

/**
 * The open dialog's further actions in its header (DLG-05/08/10/12/18/23): reassign to an operator
 * or the queue, return to the bot, priority, topics, block, detach and delete, each rendered only
 * when the core allows this user it (`DialogControlsView`).
 */
export const DialogControls = (props: { readonly dialog: Pick<DialogView, "id" | "list">; readonly controls: DialogControlsView; readonly csrfToken?: string | undefined }) => {
  const { dialog, controls, csrfToken } = props
  const url = (action: ControlAction) => controlRoutes.action(dialog.id, action, dialog.list)
  const reassign = controls.reassignTo !== undefined && (controls.reassignTo.length > 0 || controls.toQueue)
  return (
    <div class="actions dialog-controls" data-testid={controlTestIds.controls}>
      {reassign ? (
        <PaneForm url={url("reassign")} csrfToken={csrfToken}>
          <select name={controlFields.to} aria-label={t("controls.reassignTo")} data-testid={controlTestIds.reassignTo}>
            {controls.toQueue ? <option value={toQueue}>{t("controls.theQueue")}</option> : null}
            {(controls.reassignTo ?? []).map((operator) => <option value={operator.id}>{operator.name}</option>)}
          </select>
          <button type="submit" data-testid={controlTestIds.reassign}>{t("controls.reassign")}</button>
        </PaneForm>
      ) : null}
      {controls.returnToBot ? (
        <PaneForm url={url("return-to-bot")} csrfToken={csrfToken}>
          <button type="submit" data-testid={controlTestIds.returnToBot}>{t("controls.returnToBot")}</button>
        </PaneForm>
      ) : null}
      {controls.priority === undefined ? null : (
        <PaneForm url={url("priority")} csrfToken={csrfToken}>
          <select name={controlFields.priority} aria-label={t("controls.priority")} data-testid={controlTestIds.priority}>
            {controls.priority.choices.map((choice) => <option value={choice.id} selected={choice.id === controls.priority?.current}>{choice.name}</option>)}
          </select>
          <button type="submit" data-testid={controlTestIds.setPriority}>{t("controls.setPriority")}</button>
        </PaneForm>
      )}
      {controls.topics === undefined ? null : (
        <details class="topics" data-testid={controlTestIds.topics} open={controls.topics.required && controls.topics.chosen.length === 0}>
          <summary>{controls.topics.required ? t("controls.topicsRequired") : t("controls.topics")}: {controls.topics.chosen.length === 0 ? t("controls.none") : controls.topics.choices.filter((topic) => controls.topics?.chosen.includes(topic.id)).map((topic) => topic.name).join(", ")}</summary>
          <PaneForm url={url("topics")} csrfToken={csrfToken} class="topics-form">
            {controls.topics.choices.map((topic) => (
              <label>
                <input type="checkbox" name={controlFields.topic} value={topic.id} checked={controls.topics?.chosen.includes(topic.id)} data-testid={controlTestIds.topic(topic.id)} /> {topic.name}
              </label>
            ))}
            <button type="submit" data-testid={controlTestIds.setTopics}>{t("controls.saveTopics")}</button>
          </PaneForm>
        </details>
      )}
      {controls.canBlock && controls.clientBlocked === false ? (
        <PaneForm url={url("block")} csrfToken={csrfToken} confirm={t("controls.blockConfirm")}>
          <button type="submit" data-testid={controlTestIds.block}>{t("controls.block")}</button>
        </PaneForm>
      ) : null}
      {controls.canDetach ? (
        <PaneForm url={url("detach")} csrfToken={csrfToken} confirm={t("controls.detachConfirm")}>
          <input type="hidden" name={controlFields.confirm} value="yes" />
          <button type="submit" data-testid={controlTestIds.detach}>{t("controls.detach")}</button>
        </PaneForm>
      ) : null}
      {controls.outgoingChannels.length === 0 ? null : (
        <details class="outgoing" data-testid={controlTestIds.outgoing}>
          <summary>{t("controls.newDialog")}</summary>
          <form method="post" action={url("outgoing")} hx-post={url("outgoing")} hx-target={`#${ids.dialogPane}`} hx-swap="outerHTML" class="message-form">
            <input type="hidden" name={csrf.field} value={csrfToken} />
            <select name={controlFields.channelId} aria-label={t("controls.channel")} data-testid={controlTestIds.outgoingChannel}>
              {controls.outgoingChannels.map((channel) => <option value={channel.id}>{channel.name}</option>)}
            </select>
            <textarea name={controlFields.text} rows={2} aria-label={t("controls.firstMessage")} data-testid={controlTestIds.outgoingText} />
            <button type="submit" data-testid={controlTestIds.outgoingSend}>{t("controls.startDialog")}</button>
          </form>
        </details>
      )}
      {controls.canDelete ? (
        <PaneForm url={url("delete")} csrfToken={csrfToken} confirm={t("controls.deleteDialogConfirm")}>
          <button type="submit" class="danger" data-testid={controlTestIds.delete}>{t("controls.delete")}</button>
        </PaneForm>
      ) : null}
    </div>
  )
}

/** While the client is asked "any more questions?" (DLG-15): their "No" closes; Close now does not wait. */
export const PendingCloseNotice = (props: { readonly dialog: DialogView; readonly controls: DialogControlsView; readonly csrfToken: string }) =>
  !props.controls.closeNow ? null : (
    <div class="notice notice-info" role="status" data-testid={controlTestIds.pendingClose}>
      {t("controls.pendingClose")}
      <PaneForm url={controlRoutes.action(props.dialog.id, "close-now", props.dialog.list)} csrfToken={props.csrfToken}>
        <button type="submit" data-testid={controlTestIds.closeNow}>{t("controls.closeNow")}</button>
      </PaneForm>
    </div>
  )

/** The composer's warning while the client is blocked (DLG-10), with Unblock for those who may. */
export const BlockedNotice = (props: { readonly dialog: DialogView; readonly controls: DialogControlsView; readonly csrfToken: string }) =>
  props.controls.clientBlocked !== true ? null : (
    <div class="notice notice-error blocked-notice" role="status" data-testid={controlTestIds.blockedNotice}>
      <strong>{t("controls.blocked")}</strong> {t("controls.blockedDetail")}
      {props.controls.canBlock ? (
        <PaneForm url={controlRoutes.action(props.dialog.id, "unblock", props.dialog.list)} csrfToken={props.csrfToken}>
          <button type="submit" data-testid={controlTestIds.unblock}>{t("controls.unblock")}</button>
        </PaneForm>
      ) : null}
    </div>
  )

/** One message's controls (MSG-03, MSG-04): reply with a quote, edit, delete; only those allowed. */
export const MessageControls = (props: { readonly dialog: DialogView; readonly messageId: string; readonly text: string; readonly control: MessageControlView | undefined; readonly csrfToken: string }) => {
  const control = props.control
  if (control === undefined || (!control.quote && !control.edit && !control.delete)) return null
  const url = (action: MessageAction) => controlRoutes.message(props.dialog.id, props.messageId, action, props.dialog.list)
  return (
    <div class="message-controls">
      {control.quote ? (
        <details>
          <summary data-testid={controlTestIds.quote}>{t("controls.reply")}</summary>
          <PaneForm url={url("quote")} csrfToken={props.csrfToken} class="message-form">
            <textarea name={controlFields.text} rows={2} aria-label={t("controls.replyQuoting")} data-testid={controlTestIds.messageText} />
            <button type="submit">{t("controls.sendReply")}</button>
          </PaneForm>
        </details>
      ) : null}
      {control.edit ? (
        <details>
          <summary data-testid={controlTestIds.edit}>{t("controls.edit")}</summary>
          <PaneForm url={url("edit")} csrfToken={props.csrfToken} class="message-form">
            <textarea name={controlFields.text} rows={2} aria-label={t("controls.newText")} data-testid={controlTestIds.messageText}>{props.text}</textarea>
            <button type="submit">{t("common.save")}</button>
          </PaneForm>
        </details>
      ) : null}
      {control.delete ? (
        <PaneForm url={url("delete")} csrfToken={props.csrfToken} confirm={t("controls.deleteMessageConfirm")}>
          <button type="submit" class="link" data-testid={controlTestIds.deleteMessage}>{t("controls.delete")}</button>
        </PaneForm>
      ) : null}
    </div>
  )
}
