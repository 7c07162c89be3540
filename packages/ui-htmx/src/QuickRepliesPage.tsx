import { composerNames, csrf, routes } from "./contract.js"
import { Document } from "./components/Layout.js"
import type { QuickReplyView } from "./views.js"

const { fields, testIds } = composerNames

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
    <Document title="Quick replies — Switchboard">
      <main class="login account quick-replies" data-testid={testIds.quickRepliesPage}>
        <p>
          <a href={routes.panel}>← Back to the panel</a> · <a href={routes.account}>Account</a>
        </p>
        <h1>Quick replies</h1>
        {props.replies.length === 0 ? <p class="muted">No quick replies yet.</p> : null}
        {categories.map((category) => (
          <section>
            <h2>{category}</h2>
            <ul class="sessions">
              {props.replies.filter((reply) => reply.category === category).map((reply) => (
                <li data-testid={testIds.quickReply} data-quick-reply={reply.id}>
                  <strong>{reply.title}</strong> <small class="muted">{reply.personal ? "personal" : "company-wide"}</small>
                  <pre class="quick-reply-template">{reply.text}</pre>
                  {reply.mayDelete ? (
                    <form method="post" action={composerNames.routes.deleteQuickReply(reply.id)} class="inline">
                      <input type="hidden" name={csrf.field} value={props.csrfToken} />
                      <button type="submit" data-testid={testIds.deleteQuickReply}>Delete</button>
                    </form>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        ))}
        <h2>Add a quick reply</h2>
        {props.form?.error === undefined ? null : <p class="form-error" role="alert" data-testid={testIds.quickReplyError}>{props.form.error}</p>}
        <form method="post" action={composerNames.routes.quickReplies} class="login-form" data-testid={testIds.quickReplyForm}>
          <input type="hidden" name={csrf.field} value={props.csrfToken} />
          <label>
            For
            <select name={fields.scope}>
              <option value="personal" selected={values.scope !== "company"}>Only me</option>
              {props.mayManageCompany ? <option value="company" selected={values.scope === "company"}>The whole company</option> : null}
            </select>
          </label>
          <label>
            Category
            <input name={fields.category} required maxlength={200} value={values.category ?? ""} />
          </label>
          <label>
            Title
            <input name={fields.title} required maxlength={200} value={values.title ?? ""} />
          </label>
          <label>
            Text <small class="muted">(variables: <code>{"{{client_name}}"}</code> the client's name, <code>{"{{operator_name}}"}</code> yours; filled in when inserted)</small>
            <textarea name={fields.text} rows={4} required maxlength={2000}>{values.text ?? ""}</textarea>
          </label>
          <button type="submit" class="primary">Add</button>
        </form>
      </main>
    </Document>
  )
}
