import { csrf, ids, listQuery, personal } from "../contract.js"
import { t } from "../i18n/index.js"
import type { DialogListView, PersonalFolderView } from "../views.js"

/** The user's personal folders in the sidebar (DLG-02): each opens the list it saved. */
export const PersonalFolderLinks = (props: { readonly folders: ReadonlyArray<PersonalFolderView> | undefined }) =>
  props.folders === undefined || props.folders.length === 0 ? null : (
    <>
      <h3 class="sidebar-heading">{t("personalFolders.heading")}</h3>
      <ul>
        {props.folders.map((folder) => (
          <li>
            <a href={folder.href} class="folder" data-testid={personal.testIds.personalFolder} data-folder-id={folder.id}>
              <span>{folder.name}</span>
            </a>
          </li>
        ))}
      </ul>
      <a class="link" href={personal.routes.manageFolders}>{t("personalFolders.manage")}</a>
    </>
  )

/**
 * Save the list as it is searched and filtered now as a personal folder: the search form's fields
 * ride along (`hx-include`), and the answer takes the page to the new folder.
 */
export const SaveFolderForm = (props: { readonly list: Pick<DialogListView, "folder">; readonly csrfToken?: string | undefined }) => (
  <form method="post" action={personal.routes.folders} hx-post={personal.routes.folders} hx-include={`#${ids.dialogSearch}`} hx-swap="none" class="save-folder" data-testid={personal.testIds.saveFolder}>
    {props.csrfToken === undefined ? null : <input type="hidden" name={csrf.field} value={props.csrfToken} />}
    <input type="hidden" name={listQuery.folder} value={props.list.folder} />
    <input type="text" name={personal.fields.name} required maxlength={60} placeholder={t("personalFolders.name")} aria-label={t("personalFolders.name")} data-testid={personal.testIds.folderName} />
    <button type="submit">{t("personalFolders.save")}</button>
  </form>
)

const Hidden = (props: { readonly token: string }) => <input type="hidden" name={csrf.field} value={props.token} />

/** The user's folders on the Account page: rename, move up or down, delete (DLG-02). */
export const ManageFolders = (props: { readonly folders: ReadonlyArray<PersonalFolderView>; readonly csrfToken: string }) => (
  <section id="folders">
    <h2>{t("personalFolders.heading")}</h2>
    {props.folders.length === 0 ? <p class="muted">{t("personalFolders.none")}</p> : null}
    <ol class="folders">
      {props.folders.map((folder, index) => (
        <li data-testid={personal.testIds.folderRow} data-folder-id={folder.id}>
          <a href={folder.href}>{folder.name}</a>
          <form method="post" action={personal.routes.folder(folder.id, "rename")} class="inline">
            <Hidden token={props.csrfToken} />
            <input type="text" name={personal.fields.name} value={folder.name} required maxlength={60} aria-label={`${t("personalFolders.name")}: ${folder.name}`} />
            <button type="submit" data-testid={personal.testIds.renameFolder}>{t("personalFolders.rename")}</button>
          </form>
          {index === 0 ? null : (
            <form method="post" action={personal.routes.folder(folder.id, "move")} class="inline">
              <Hidden token={props.csrfToken} />
              <button type="submit" name={personal.fields.direction} value="up" data-testid={personal.testIds.moveUp}>{t("personalFolders.up")}</button>
            </form>
          )}
          {index === props.folders.length - 1 ? null : (
            <form method="post" action={personal.routes.folder(folder.id, "move")} class="inline">
              <Hidden token={props.csrfToken} />
              <button type="submit" name={personal.fields.direction} value="down" data-testid={personal.testIds.moveDown}>{t("personalFolders.down")}</button>
            </form>
          )}
          <form method="post" action={personal.routes.folder(folder.id, "delete")} class="inline">
            <Hidden token={props.csrfToken} />
            <button type="submit" data-testid={personal.testIds.deleteFolder}>{t("personalFolders.delete")}</button>
          </form>
        </li>
      ))}
    </ol>
  </section>
)
