import { composerNames } from "../contract.js"
import { t } from "../i18n/index.js"
import type { ComposerView, QuickReplyChoiceView } from "../views.js"

const { ids, routes, testIds, query } = composerNames

/**
 * The composer's tools under the text (MSG-08, PRD-01): the quick replies' button and picker, the
 * emoji button, and the counter against the channel's limit. composer.js does the typing side:
 * `/` opens the picker, a choice or an emoji goes in at the caret, the counter follows the text.
 */
export const ComposerTools = (props: { readonly dialogId: string; readonly composer: ComposerView }) => (
  <div class="composer-tools">
    <button
      type="button"
      class="tool"
      hx-get={routes.dialogQuickReplies(props.dialogId)}
      hx-target={`#${ids.quickReplyPicker}`}
      hx-swap="innerHTML"
      aria-controls={ids.quickReplyPicker}
      title={t("quickReplies.buttonHint")}
      data-testid={testIds.quickRepliesButton}
    >
      ⚡ {t("quickReplies.button")}
    </button>
    <button type="button" class="tool" aria-controls={ids.emojiPanel} aria-expanded="false" title={t("composer.emoji")} data-emoji-button="true" data-testid={testIds.emojiButton}>
      😊 {t("composer.emoji")}
    </button>
    <span
      id={ids.counter}
      class="composer-counter muted"
      aria-live="polite"
      data-max={String(props.composer.maxLength)}
      data-testid={testIds.counter}
      title={t("composer.counterHint")}
    >
      0 / {props.composer.maxLength}
    </span>
    <div id={ids.quickReplyPicker} class="quick-reply-picker" data-url={routes.dialogQuickReplies(props.dialogId)} data-query={query} data-testid={testIds.quickReplyPicker}></div>
    <div id={ids.emojiPanel} class="emoji-panel" hidden data-testid={testIds.emojiPanel}></div>
  </div>
)

/**
 * The picker's choices (a fragment): each a button holding the reply's text with its variables
 * filled in for the dialog, which composer.js puts in at the caret. Grouped by category.
 */
export const QuickReplyChoices = (props: { readonly choices: ReadonlyArray<QuickReplyChoiceView>; readonly q: string }) => {
  if (props.choices.length === 0) {
    return (
      <p class="muted quick-reply-empty">
        {props.q === "" ? t("quickReplies.none") : t("quickReplies.noMatch", { q: props.q })} <a href={routes.quickReplies}>{t("quickReplies.manage")}</a>
      </p>
    )
  }
  const categories = [...new Set(props.choices.map((choice) => choice.category))]
  return (
    <div class="quick-reply-choices">
      <div role="listbox" aria-label={t("quickReplies.button")}>
      {categories.map((category) => (
        <div role="group" aria-label={category}>
          {/* The group's label says it to a screen reader; a listbox holds options only. */}
          <p class="quick-reply-category muted" aria-hidden="true">{category}</p>
          {props.choices.filter((choice) => choice.category === category).map((choice) => (
            <button type="button" role="option" class="quick-reply-choice" data-quick-reply={choice.id} data-text={choice.text} data-testid={testIds.quickReplyChoice}>
              <strong>{choice.title}</strong>
              {choice.personal ? <small class="muted"> · {t("quickReplies.personal")}</small> : null}
              <span class="quick-reply-text muted">{choice.text}</span>
            </button>
          ))}
        </div>
      ))}
      </div>
      <p class="muted hint">
        {t("quickReplies.pickerHint")} · <a href={routes.quickReplies}>{t("quickReplies.manage")}</a>
      </p>
    </div>
  )
}

/**
 * "Save as quick reply" under a message (MSG-09): the management page's form, filled with the
 * message's text, to save it as a reply of one's own (or the company's, for those who may).
 */
export const SaveAsQuickReply = (props: { readonly text: string; readonly deleted: boolean }) =>
  props.deleted || props.text.trim() === "" ? null : (
    <a class="link save-as-quick-reply" href={routes.quickRepliesFrom(props.text)} data-testid={testIds.saveAsQuickReply}>
      {t("quickReplies.saveAs")}
    </a>
  )
