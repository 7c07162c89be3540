import { composerNames, csrf, routes } from "./contract.js"
import { Document } from "./components/Layout.js"
import type { QuickReplyView } from "./views.js"
import { t } from "./i18n/index.js"

const { fields, testIds } = composerNames

/** How the variables of a quick reply's text are written (core's `QuickReply.variables`); code, not words. */
const variable = { client: "{{client_name}}", operator: "{{operator_name}}" } as const

/** What the create form was sent with, and the field message of its refusal (a 422 re-renders it). */
export interface QuickReplyFormState {
  readonly values: { readonly [field in "scope" | "category" | "title" | "text"]?: string | undefined }
  readonly error?: string | undefined
}

/**
 * The quick replies' management page (PRD-01): the replies a user may insert, by category, each
 * with Delete when they may delete it, and a form to add one. The company-wide choice is offered
 * only to those who may manage them; the variables are explained beside the text.
 */
export const QuickRepliesPage = (props: {
  readonly csrfToken: string
  readonly replies: ReadonlyArray<QuickReplyView>
  readonly mayManageCompany: boolean
  readonly form?: QuickReplyFormState | undefined
}) => {
  const values = props.form?.values ?? {}
  const categories = [...new Set(props.replies.map((reply) => reply.category))]
  return (
    <Document title={t("quickRepliesPage.title")}>
      <main class="login account quick-replies" data-testid={testIds.quickRepliesPage}>
        <p>
          <a href={routes.panel}>{t("common.backToPanel")}</a> · <a href={routes.account}>{t("quickRepliesPage.account")}</a>
        </p>
        <h1>{t("quickRepliesPage.heading")}</h1>
        {props.replies.length === 0 ? <p class="muted">{t("quickRepliesPage.none")}</p> : null}
        {categories.map((category) => (
          <section>
            <h2>{category}</h2>
            <ul class="sessions">
              {props.replies.filter((reply) => reply.category === category).map((reply) => (
                <li data-testid={testIds.quickReply} data-quick-reply={reply.id}>
                  <strong>{reply.title}</strong> <small class="muted">{reply.personal ? t("quickRepliesPage.personal") : t("quickRepliesPage.companyWide")}</small>
                  <pre class="quick-reply-template">{reply.text}</pre>
                  {reply.mayDelete ? (
                    <form method="post" action={composerNames.routes.deleteQuickReply(reply.id)} class="inline">
                      <input type="hidden" name={csrf.field} value={props.csrfToken} />
                      <button type="submit" data-testid={testIds.deleteQuickReply}>{t("quickRepliesPage.delete")}</button>
                    </form>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        ))}
        <h2>{t("quickRepliesPage.add")}</h2>
        {props.form?.error === undefined ? null : <p class="form-error" role="alert" data-testid={testIds.quickReplyError}>{props.form.error}</p>}
        <form method="post" action={composerNames.routes.quickReplies} class="login-form" data-testid={testIds.quickReplyForm}>
          <input type="hidden" name={csrf.field} value={props.csrfToken} />
          <label>
            {t("quickRepliesPage.scope")}
            <select name={fields.scope}>
              <option value="personal" selected={values.scope !== "company"}>{t("quickRepliesPage.onlyMe")}</option>
              {props.mayManageCompany ? <option value="company" selected={values.scope === "company"}>{t("quickRepliesPage.wholeCompany")}</option> : null}
            </select>
          </label>
          <label>
            {t("quickRepliesPage.category")}
            <input name={fields.category} required maxlength={200} value={values.category ?? ""} />
          </label>
          <label>
            {t("quickRepliesPage.replyTitle")}
            <input name={fields.title} required maxlength={200} value={values.title ?? ""} />
          </label>
          <label>
            {t("quickRepliesPage.text")}{" "}
            <small class="muted">
              ({t("quickRepliesPage.variables")} <code>{variable.client}</code> — {t("quickRepliesPage.clientName")}, <code>{variable.operator}</code> — {t("quickRepliesPage.operatorName")})
            </small>
            <textarea name={fields.text} rows={4} required maxlength={2000}>{values.text ?? ""}</textarea>
          </label>
          <button type="submit" class="primary">{t("quickRepliesPage.addButton")}</button>
        </form>
      </main>
    </Document>
  )
}
