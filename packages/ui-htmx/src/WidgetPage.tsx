import { html } from "hono/html"
import { routes } from "./contract.js"
import { t, useLocale } from "./i18n/index.js"

/**
 * The web widget's pages (CHN-03): the frame a host page embeds (the loader `widget.js` puts it in
 * an iframe), and the demo host page the start command serves at `/demo/widget`. The frame is an
 * empty shell: `widget-frame.js` fills it from the widget API, writing every text with
 * `textContent`. No inline script or style anywhere, so a strict CSP holds.
 */

/** The `data-testid`s of the widget, shared by its script and the browser tests. */
export const widgetTestIds = {
  launcher: "widget-launcher",
  frame: "widget-frame",
  messages: "widget-messages",
  message: "widget-message",
  status: "widget-status",
  greeting: "widget-greeting",
  composer: "widget-composer",
  text: "widget-text",
  send: "widget-send",
  prompt: "widget-prompt",
  yes: "widget-yes",
  no: "widget-no",
  rate: (score: number) => `widget-rate-${score}`,
  notice: "widget-notice",
  file: "widget-file",
  attachment: "widget-attachment"
} as const

/**
 * The frame's page: header, message list, the buttons area, the composer, in the widget's language
 * (the render's locale). The texts the script writes later (buttons, marks, notices) ride on the
 * body's `data-t-*` attributes, so the script has no strings of its own.
 */
export const WidgetFrame = (props: { readonly channelId: string; readonly colour: string }) => (
  <>
    {html`<!DOCTYPE html>`}
    <html lang={useLocale().language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t("widget.frameTitle")}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={routes.asset("widget-frame.css")} />
        <script src={routes.asset("widget-frame.js")} defer></script>
      </head>
      <body
        data-channel={props.channelId}
        data-colour={props.colour}
        data-testid="widget-body"
        data-t-yes={t("widget.yes")}
        data-t-no={t("widget.no")}
        data-t-rate={t("widget.rate")}
        data-t-more-questions={t("widget.moreQuestions")}
        data-t-deleted={t("widget.deleted")}
        data-t-reconnecting={t("widget.reconnecting")}
        data-t-not-sent={t("widget.notSent")}
        data-t-server-error={t("widget.serverError", { status: "{{status}}" })}
      >
        <header class="widget-header">
          <span class="widget-title" data-i18n="title">{t("widget.title")}</span>
          <span class="widget-live" data-testid="widget-live" hidden></span>
        </header>
        <p class="widget-greeting" data-testid={widgetTestIds.greeting}></p>
        <ol class="widget-messages" data-testid={widgetTestIds.messages} aria-live="polite"></ol>
        <div class="widget-prompt" data-testid={widgetTestIds.prompt} hidden></div>
        <p class="widget-notice" data-testid={widgetTestIds.notice} role="alert" hidden></p>
        <form class="widget-composer" data-testid={widgetTestIds.composer}>
          <textarea name="text" rows={2} maxlength={4000} data-testid={widgetTestIds.text} aria-label={t("widget.message")} placeholder={t("widget.placeholder")} required></textarea>
          <label class="widget-attach" data-i18n="attach" title={t("widget.attach")}>
            📎<input type="file" name="file" class="widget-file" data-testid={widgetTestIds.file} />
          </label>
          <button type="submit" data-testid={widgetTestIds.send} data-i18n="send">{t("widget.send")}</button>
        </form>
      </body>
    </html>
  </>
)

/** The one tag a host page adds to embed the widget (HTML, shown as code). */
const embedTag = (channelId: string): string => `<script src="${routes.asset("widget.js")}" data-channel="${channelId}" async></script>`

/**
 * The demo host page: a made-up shop page with the widget's one script tag, where a newcomer plays
 * the client while the panel (another tab) plays the operator.
 */
export const WidgetDemoPage = (props: { readonly channelId: string; readonly loginUrl: string }) => (
  <>
    {html`<!DOCTYPE html>`}
    <html lang={useLocale().language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t("widget.demo.title")}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={routes.asset("widget-demo.css")} />
      </head>
      <body>
        <main class="demo-shop">
          <h1>{t("widget.demo.heading")}</h1>
          <p>{t("widget.demo.intro")}</p>
          <pre><code>{embedTag(props.channelId)}</code></pre>
          <p>{t("widget.demo.play")}</p>
          <p>
            <a href={props.loginUrl} target="_blank" rel="noopener">{t("widget.demo.openPanel")}</a>
          </p>
        </main>
        <script src={routes.asset("widget.js")} data-channel={props.channelId} async></script>
      </body>
    </html>
  </>
)
