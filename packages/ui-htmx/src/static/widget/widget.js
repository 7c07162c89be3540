/*
 * Switchboard's web widget loader (CHN-03). One tag on any page:
 *
 *   <script src="https://switchboard.example/assets/widget.js" data-channel="website" async></script>
 *
 * Optional data- attributes: data-colour (#rrggbb), data-position (right | left), data-language
 * (en | uk...; default: the page's or the browser's). It adds a chat button and the chat itself, an
 * iframe served by Switchboard: the conversation, its token and its storage live in that frame's
 * origin, so no third-party cookie is needed and the page's own scripts cannot read them.
 *
 * JS API, callable as soon as the tag ran (calls are queued until the chat is ready):
 *   Switchboard.setUser({ id, name, email, identifierHash })   // identifierHash = hex HMAC-SHA256(id, identity secret)
 *   Switchboard.setAttributes({ plan: "pro", orderId: "4411" })  // string values, shown to operators
 *   Switchboard.open(), Switchboard.close()
 *
 * CSP-compatible: no eval, no inline script, styles set through the CSSOM only. The host page's CSP
 * must allow this origin in script-src, frame-src and connect-src.
 */
(function () {
  "use strict"
  var script = document.currentScript
  if (script === null || (window.Switchboard && window.Switchboard.loaded === true)) return
  var origin = new URL(script.src, location.href).origin
  var data = script.dataset
  var channel = data.channel || ""
  var language = (data.language || document.documentElement.lang || navigator.language || "en").toLowerCase().split("-")[0]
  var queue = []
  var ready = false
  var opened = false
  var frame = null
  /** An open() or close() asked for before the launcher exists: done once it does. */
  var wanted = null
  var launcher = null
  var unread = 0
  // The launcher's names and the frame's title, in the widget's language: from the settings endpoint
  // (the catalog's widget.launcher.* and widget.frameTitle), so this script carries no interface text.
  // There is no launcher until they arrive: no text in a language the page may not speak, and no
  // button that opens a chat that cannot load. A failed read is tried again a few times.
  var labels = null
  var attempts = 0

  var colourOk = function (value) {
    return typeof value === "string" && /^#[0-9a-fA-F]{6}$/.test(value)
  }

  var post = function (message) {
    if (ready && frame !== null && frame.contentWindow !== null) frame.contentWindow.postMessage(message, origin)
    else queue.push(message)
  }

  var clip = function (text) {
    return String(text || "").slice(0, 500)
  }

  /** The closed launcher's name with `unread` replies waiting: the catalog's plural form for the count (`labels.unread`, by `labels.locale`'s rules). */
  var unreadName = function () {
    var forms = labels.unread || {}
    var category = "other"
    try {
      category = new Intl.PluralRules(labels.locale).select(unread)
    } catch (error) {
      // No plural rules for the locale: the general form.
    }
    var form = typeof forms[category] === "string" ? forms[category] : forms.other
    return typeof form === "string" ? form.split("{{count}}").join(shown()) : labels.open
  }

  /** The count as the badge shows it: past 99, "99+" (counting stops at 100). */
  var shown = function () {
    return unread > 99 ? "99+" : String(unread)
  }

  var label = function () {
    launcher.textContent = opened ? "×" : unread > 0 ? "💬 " + shown() : "💬"
    // The badge's number is in the name too: a screen reader says there are unread replies.
    launcher.setAttribute("aria-label", opened ? labels.close : unread > 0 ? unreadName() : labels.open)
    launcher.setAttribute("aria-expanded", opened ? "true" : "false")
  }

  var toggle = function (open) {
    if (frame === null) {
      wanted = open
      return
    }
    opened = open
    frame.style.display = open ? "block" : "none"
    if (open) unread = 0
    label()
    post({ type: "switchboard:visibility", open: open })
  }

  /** Fixed in the page's corner on `side`, above everything; styles through the CSSOM (a CSP allows it, unlike style attributes). */
  var place = function (element, side, styles) {
    Object.assign(element.style, { position: "fixed", zIndex: "2147483000" }, styles)
    element.style[side] = "20px"
  }

  var build = function (settings) {
    var colour = colourOk(data.colour) ? data.colour : colourOk(settings.colour) ? settings.colour : "#2563eb"
    var side = data.position === "left" || data.position === "right" ? data.position : settings.position === "left" ? "left" : "right"
    labels = settings.labels
    launcher = document.createElement("button")
    launcher.type = "button"
    launcher.setAttribute("data-testid", "widget-launcher")
    place(launcher, side, { bottom: "20px", minWidth: "56px", height: "56px", padding: "0 16px", borderRadius: "28px", border: "none", background: colour, color: "#fff", fontSize: "22px", cursor: "pointer", boxShadow: "0 4px 14px rgba(0,0,0,.25)" })
    launcher.addEventListener("click", function () {
      toggle(!opened)
    })
    frame = document.createElement("iframe")
    var query = "channel=" + encodeURIComponent(channel) + "&lang=" + encodeURIComponent(language) + "&colour=" + encodeURIComponent(colour)
    frame.src = origin + "/widget/v1/frame?" + query
    frame.title = labels.frame
    frame.setAttribute("data-testid", "widget-frame")
    place(frame, side, { bottom: "88px", width: "370px", height: "540px", maxWidth: "calc(100vw - 40px)", maxHeight: "calc(100vh - 108px)", border: "0", borderRadius: "14px", boxShadow: "0 8px 30px rgba(0,0,0,.25)", background: "#fff", display: "none" })
    label()
    document.body.appendChild(frame)
    document.body.appendChild(launcher)
    if (wanted !== null) toggle(wanted)
    wanted = null
    // The page's parameters go into the dialog as the first attributes (CHN-03).
    queue.unshift({ type: "switchboard:setAttributes", attributes: { "page.url": clip(location.href), "page.title": clip(document.title), "page.referrer": clip(document.referrer) } })
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== origin || frame === null || event.source !== frame.contentWindow) return
    var message = event.data || {}
    if (message.type === "switchboard:ready") {
      ready = true
      var pending = queue
      queue = []
      for (var i = 0; i < pending.length; i++) post(pending[i])
      post({ type: "switchboard:visibility", open: opened })
    } else if (message.type === "switchboard:unread" && !opened) {
      unread = Math.min(100, unread + 1)
      label()
    }
  })

  window.Switchboard = {
    loaded: true,
    setUser: function (user) {
      post({ type: "switchboard:setUser", user: user })
    },
    setAttributes: function (attributes) {
      post({ type: "switchboard:setAttributes", attributes: attributes })
    },
    open: function () {
      toggle(true)
    },
    close: function () {
      toggle(false)
    }
  }

  var named = function (settings) {
    var given = (settings && settings.labels) || {}
    return ["open", "close", "frame"].every(function (key) {
      return typeof given[key] === "string" && given[key] !== ""
    })
  }

  /** Read the settings again later: the network or the server failed (1 s, 2 s, 4 s… up to a minute, 8 tries). */
  var retry = function () {
    attempts += 1
    if (attempts < 8) setTimeout(start, Math.min(60000, 1000 * Math.pow(2, attempts - 1)))
  }

  var start = function () {
    fetch(origin + "/widget/v1/channels/" + encodeURIComponent(channel) + "/settings?lang=" + encodeURIComponent(language))
      .then(
        function (response) {
          if (response.ok) return response.json().catch(function () {
            return null
          })
          // An unknown channel (a mistyped tag) stays unknown: no launcher, and no asking again.
          if (response.status === 429 || response.status >= 500) retry()
          return null
        },
        function () {
          retry()
          return null
        }
      )
      .then(function (settings) {
        if (named(settings)) build(settings)
      })
  }
  if (document.body === null) document.addEventListener("DOMContentLoaded", start)
  else start()
})()
