import { layout } from "../contract.js"
import type { AttachmentView } from "../views.js"
import { t } from "../i18n/index.js"
import { LocalTime } from "./LocalTime.js"

/** Which of a dialog's files a gallery tab shows (MSG-10). */
export type GalleryTab = "images" | "files"

/** One file of a dialog's gallery: the file as a bubble shows it, who sent it and when. */
export interface GalleryItemView extends AttachmentView {
  readonly authorName: string
  readonly time: string
  readonly timeIso: string
}

/** A dialog's attachments gallery (MSG-10): the chosen tab's files, newest first, and how many each tab has. */
export interface GalleryView {
  readonly dialogId: string
  readonly tab: GalleryTab
  readonly items: ReadonlyArray<GalleryItemView>
  readonly counts: Readonly<Record<GalleryTab, number>>
}

/**
 * The gallery's body: two tabs (links that, with htmx, swap the gallery for the other tab), then
 * the images as previews or the other files as download links.
 */
export const Gallery = (props: { readonly gallery: GalleryView }) => {
  const { gallery } = props
  return (
    <section class="gallery" data-testid={layout.testIds.gallery} data-tab={gallery.tab}>
      <nav class="gallery-tabs" aria-label={t("phone.attachments")}>
        {(["images", "files"] as const).map((tab) => {
          const url = layout.routes.gallery(gallery.dialogId, tab)
          return (
            <a
              href={url}
              hx-get={url}
              hx-target="closest .gallery"
              hx-swap="outerHTML"
              class={tab === gallery.tab ? "gallery-tab current" : "gallery-tab"}
              aria-current={tab === gallery.tab ? "page" : undefined}
              data-testid={layout.testIds.galleryTab(tab)}
            >
              {tab === "images" ? t("phone.tabImages", { count: gallery.counts.images }) : t("phone.tabFiles", { count: gallery.counts.files })}
            </a>
          )
        })}
      </nav>
      {gallery.items.length === 0 ? (
        <p class="muted">{gallery.tab === "images" ? t("phone.noImages") : t("phone.noFiles")}</p>
      ) : (
        <ul class={`gallery-items gallery-${gallery.tab}`}>
          {gallery.items.map((item) => (
            <li data-testid={layout.testIds.galleryItem}>
              {item.url === undefined ? (
                <span>{item.name}</span>
              ) : gallery.tab === "images" ? (
                <a href={item.url} target="_blank" rel="noopener">
                  <img src={item.url} alt={item.name} loading="lazy" class="gallery-thumb" />
                </a>
              ) : (
                <a href={item.url} download={item.name}>📎 {item.name}</a>
              )}
              <small class="muted">
                {" "}{t("phone.itemFacts", { size: item.size, author: item.authorName })}<LocalTime iso={item.timeIso} fallback={item.time} />
              </small>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

/** The pane's folded gallery: opening it loads the images tab. */
export const GalleryToggle = (props: { readonly dialogId: string }) => (
  <details class="gallery-box">
    <summary>{t("phone.attachments")}</summary>
    <div hx-get={layout.routes.gallery(props.dialogId, "images")} hx-trigger="toggle from:closest details once" hx-target="this" hx-swap="innerHTML">
      <a href={layout.routes.gallery(props.dialogId, "images")}>{t("phone.showFiles")}</a>
    </div>
  </details>
)
