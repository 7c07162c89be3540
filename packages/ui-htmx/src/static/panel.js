// Switchboard panel: the little behaviour htmx does not cover. No inline scripts (CSP).
(function () {
  "use strict"
  // Ctrl+Enter (or Cmd+Enter) sends; plain Enter is a new line (MSG-08).
  document.addEventListener("keydown", function (event) {
    var target = event.target
    if (!(target instanceof HTMLTextAreaElement) || !target.dataset.sendOnCtrlEnter) return
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault()
      if (target.form) target.form.requestSubmit()
    }
  })
  // A changed message (edited, deleted, a delivery status) arrives at the end of its history:
  // it takes the place of the bubble it replaces, or goes if that one is not loaded.
  function placeChanges(list) {
    list.querySelectorAll("[data-message-change]").forEach(function (node) {
      node.removeAttribute("data-message-change")
      var old = list.querySelector('[data-message-id="' + CSS.escape(node.getAttribute("data-message-id")) + '"]')
      if (old && old !== node) old.replaceWith(node)
      else node.remove()
    })
  }
  // A message can arrive twice (a re-rendered pane and the live stream): keep the first copy.
  function dedupe(list) {
    var seen = Object.create(null)
    list.querySelectorAll("[data-message-id]").forEach(function (node) {
      var id = node.getAttribute("data-message-id")
      if (seen[id]) node.remove()
      else seen[id] = true
    })
  }
  function messageIds(list) {
    var bubbles = list.querySelectorAll("[data-message-id]")
    return {
      first: bubbles.length > 0 ? bubbles[0].getAttribute("data-message-id") : "",
      last: bubbles.length > 0 ? bubbles[bubbles.length - 1].getAttribute("data-message-id") : ""
    }
  }
  function remember(list) {
    list.dataset.fromBottom = String(list.scrollHeight - list.scrollTop)
  }
  // A new last message (or a first render) scrolls to the bottom; earlier messages put above keep
  // in view what the operator was reading.
  function settle(list) {
    placeChanges(list)
    dedupe(list)
    var ids = messageIds(list)
    if (list.dataset.last !== ids.last) {
      list.scrollTop = list.scrollHeight
    } else if (list.dataset.first !== ids.first && list.dataset.fromBottom) {
      list.scrollTop = list.scrollHeight - Number(list.dataset.fromBottom)
    }
    list.dataset.first = ids.first
    list.dataset.last = ids.last
    remember(list)
  }
  new MutationObserver(function () {
    document.querySelectorAll(".messages").forEach(settle)
  }).observe(document.documentElement, { childList: true, subtree: true })
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".messages").forEach(settle)
  })
  document.addEventListener(
    "scroll",
    function (event) {
      var list = event.target
      if (list instanceof HTMLElement && list.classList.contains("messages")) remember(list)
    },
    true
  )
  // Live updates pick up where they left off. A page connects from the store position it was
  // rendered at (sse-connect="/panel/events?after=N"), and every list signal ("dialogs") carries the
  // position it brings the panel to. The browser's own reconnect sends that as Last-Event-ID; when
  // htmx has to open a new connection instead (the old one failed for good: a proxy's 502 during a
  // restart), the position goes in its URL, so what was committed while the panel was cut off still
  // reaches it.
  if (window.htmx) {
    var lastEventId = ""
    window.htmx.createEventSource = function (url) {
      var target = new URL(url, document.baseURI)
      if (lastEventId) target.searchParams.set("after", lastEventId)
      var source = new EventSource(target.pathname + target.search, { withCredentials: true })
      source.addEventListener("dialogs", function (event) {
        if (event.lastEventId) lastEventId = event.lastEventId
      })
      return source
    }
  }
  // While the live stream is down, say so (after a moment, so a quick reconnect does not flash it):
  // the list and the counters may be out of date until it is back.
  var liveDown = null
  document.addEventListener("htmx:sseError", function () {
    if (liveDown !== null) return
    liveDown = window.setTimeout(function () {
      var status = document.getElementById("live-status")
      if (status) status.hidden = false
    }, 1500)
  })
  document.addEventListener("htmx:sseOpen", function () {
    if (liveDown !== null) window.clearTimeout(liveDown)
    liveDown = null
    var status = document.getElementById("live-status")
    if (status) status.hidden = true
  })
  // Choosing a tag keeps the filters open, also when it takes the last filter away (the list it
  // brings would come with them folded); opening them loads the tag choices again.
  document.addEventListener("htmx:afterSettle", function (event) {
    var from = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt
    if (!(from instanceof HTMLElement) || !from.classList.contains("tag-chip")) return
    var filters = document.querySelector('[data-testid="filters"]')
    if (filters) filters.open = true
  })
  // The composer clears after a send; keep focus in it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var form = event.detail && event.detail.target
    if (form && form.id === "composer") {
      var text = form.querySelector("textarea")
      if (text) text.focus()
    }
  })
})()
