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
  // rendered at (sse-connect="/panel/events?after=N"), and the last event of every batch carries the
  // position it brings the panel to. The browser's own reconnect sends that as Last-Event-ID; when
  // htmx has to open a new connection instead (the old one failed for good: a proxy's 502 during a
  // restart), the position goes in its URL, so what was committed while the panel was cut off still
  // reaches it.
  var lastEventId = ""
  var streamId = ""
  function track(event) {
    if (!event.lastEventId) return
    lastEventId = event.lastEventId
    // Where the page is in the store's log (tests wait on it).
    document.body.dataset.livePosition = lastEventId
  }
  // The list as the page shows it: its folder and query (from the rows' own URL), whether the server
  // can place a pushed row in it (not with a search or a period), and where its loaded rows end.
  function listState() {
    var results = document.getElementById("dialog-results")
    if (!results) return null
    var url = new URL(results.getAttribute("hx-get") || "/panel/dialogs", document.baseURI)
    var params = url.searchParams
    var more = document.getElementById("dialog-more")
    var moreLink = more && more.querySelector("a[href]")
    var cursor = moreLink ? new URL(moreLink.getAttribute("href"), document.baseURI).searchParams.get("cursor") : null
    return {
      results: results,
      folder: params.get("folder") || "new",
      search: url.search,
      params: params,
      uncertain: Boolean(params.get("q") || params.get("from") || params.get("to")),
      // The last loaded row's sort key: rows after it are on pages not loaded yet.
      bound: cursor ? cursor.split("~") : null
    }
  }
  function sortKey(row, folder) {
    // The user's chosen order (DLG-20) when the list names one, else the folder's own.
    var results = document.getElementById("dialog-results")
    var by = results && results.getAttribute("data-sort-by")
    var processing = by ? by === "processingOrder" : folder === "new"
    var parts = (row.getAttribute(processing ? "data-sort-new" : "data-sort") || "0 0").split(" ")
    return [Number(parts[0]), Number(parts[1]), row.getAttribute("data-dialog-id") || ""]
  }
  function compare(a, b) {
    return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0)
  }
  function rowOf(results, id) {
    return results.querySelector('[data-testid="dialog-row"][data-dialog-id="' + CSS.escape(id) + '"]')
  }
  function rowsChanged(state) {
    var rows = state.results.querySelectorAll('[data-testid="dialog-row"]')
    var shown = document.getElementById("dialog-shown")
    if (shown) shown.value = String(rows.length)
    var empty = state.results.querySelector('[data-testid="list-empty"]')
    if (rows.length > 0 && empty) empty.remove()
    if (rows.length === 0 && !empty) {
      var note = document.createElement("p")
      note.className = "empty"
      note.setAttribute("data-testid", "list-empty")
      // The server's text for this list (its language, its search and filters), as it renders it empty.
      note.textContent = state.results.getAttribute("data-empty") || ""
      state.results.insertBefore(note, state.results.querySelector("ul"))
    }
  }
  var listRefresh = null
  function refreshList() {
    if (listRefresh !== null) return
    listRefresh = window.setTimeout(function () {
      listRefresh = null
      var state = listState()
      if (state && window.htmx) window.htmx.trigger(state.results, "list-changed")
    }, 0)
  }
  function removeRow(id) {
    var state = listState()
    if (!state) return
    if (state.uncertain) return refreshList()
    var old = rowOf(state.results, id)
    if (old) {
      old.remove()
      rowsChanged(state)
    }
  }
  // A pushed row: in place (by the folder's sort) if the page's folder holds it and it falls within
  // the loaded rows; out otherwise. Its link follows the page's list, as a rendered row's would.
  function placeRow(html) {
    var state = listState()
    if (!state) return
    var template = document.createElement("template")
    template.innerHTML = html.trim()
    var row = template.content.firstElementChild
    if (!row) return
    var id = row.getAttribute("data-dialog-id") || ""
    var folders = (row.getAttribute("data-folders") || "").split(" ")
    var inFolder = folders.indexOf(state.folder) >= 0
    if (state.uncertain) {
      if (inFolder || rowOf(state.results, id)) refreshList()
      return
    }
    var old = rowOf(state.results, id)
    // A focused row keeps focus in its new copy (issue 21: focus never drops to the page body).
    var focused = old !== null && old.contains(document.activeElement)
    if (old) old.remove()
    var key = sortKey(row, state.folder)
    if (!inFolder || (state.bound && compare(key, [Number(state.bound[0]), Number(state.bound[1]), state.bound.slice(2).join("~")]) > 0)) {
      if (old) rowsChanged(state)
      return
    }
    var href = "/panel/dialogs/" + encodeURIComponent(id) + state.search
    var link = row.querySelector("a")
    if (link) {
      link.setAttribute("href", href)
      link.setAttribute("hx-get", href)
    }
    var selected = document.getElementById("dialog-selected")
    if (selected && !selected.disabled && selected.value === id) row.classList.add("selected")
    var list = state.results.querySelector("ul")
    var before = null
    var rows = list.querySelectorAll('[data-testid="dialog-row"]')
    for (var i = 0; i < rows.length; i++) {
      if (compare(sortKey(rows[i], state.folder), key) > 0) {
        before = rows[i]
        break
      }
    }
    list.insertBefore(row, before || document.getElementById("dialog-more"))
    if (window.htmx) window.htmx.process(row)
    if (focused && link) link.focus()
    rowsChanged(state)
  }
  // The page tells the server what it shows: the open dialog (only its bubbles come) and its list.
  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || ""
    } catch (error) {
      return ""
    }
  }
  var focusQueued = false
  function sendFocus() {
    if (!streamId || focusQueued) return
    focusQueued = true
    // Tests wait for "sent": the server knows what the page shows.
    document.body.dataset.liveFocus = "pending"
    window.setTimeout(function () {
      focusQueued = false
      var body = new URLSearchParams()
      var state = listState()
      if (state) state.params.forEach(function (value, name) {
        if (name !== "cursor" && name !== "shown" && name !== "selected") body.set(name, value)
      })
      body.set("stream", streamId)
      var pane = document.getElementById("dialog-pane")
      var selected = document.getElementById("dialog-selected")
      if (selected && !selected.disabled && selected.value) {
        body.set("dialog", selected.value)
        var since = pane && pane.getAttribute("data-position")
        if (since) body.set("since", since)
      }
      fetch("/panel/events/focus", {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRF-Token": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
        body: body
      }).then(function () {
        if (!focusQueued) document.body.dataset.liveFocus = "sent"
      }, function () {})
    }, 0)
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target
    if (target && (target.id === "dialog-pane" || target.id === "dialog-list" || target.id === "dialog-results")) sendFocus()
  })
  if (window.htmx) {
    window.htmx.createEventSource = function (url) {
      var target = new URL(url, document.baseURI)
      if (lastEventId) target.searchParams.set("after", lastEventId)
      var source = new EventSource(target.pathname + target.search, { withCredentials: true })
      source.addEventListener("ready", function (event) {
        streamId = event.data
        sendFocus()
        // Screens with live parts of their own (the supervisor board) name the stream to the server.
        document.body.dataset.liveStream = streamId
        document.dispatchEvent(new CustomEvent("switchboard:live-ready", { detail: streamId }))
      })
      source.addEventListener("error", function () {
        // A new connection brings a new stream id; until then there is nothing to focus.
        if (source.readyState !== EventSource.OPEN) streamId = ""
      })
      source.addEventListener("row", function (event) {
        placeRow(event.data)
        track(event)
      })
      source.addEventListener("row-remove", function (event) {
        removeRow(event.data)
        track(event)
      })
      source.addEventListener("panel", track)
      // What to notify about (NTF-01/02): notify.js decides how, by the user's switches.
      source.addEventListener("notify", function (event) {
        document.dispatchEvent(new CustomEvent("switchboard:notify", { detail: event.data }))
      })
      source.addEventListener("refresh", function () {
        source.close()
        window.location.reload()
      })
      return source
    }
  }
  // The tab title carries the header's unread total, kept with it as the live counters move.
  function titleFromTotal() {
    var total = document.getElementById("unread-total")
    if (!total) return
    var count = Number(total.textContent) || 0
    document.title = (count > 0 ? "(" + count + ") " : "") + document.title.replace(/^\(\d+\) /, "")
  }
  // A client's message arriving in the dialog open in a visible tab is read there and then (as
  // opening it reads it); in a hidden tab it stays unread until the tab is looked at again.
  function readOpenDialog() {
    var pane = document.getElementById("dialog-pane")
    var selected = document.getElementById("dialog-selected")
    if (!pane || !selected || selected.disabled || !selected.value || document.visibilityState !== "visible") return
    if (pane.getAttribute("data-unread") !== "true") return
    pane.removeAttribute("data-unread")
    fetch("/panel/dialogs/" + encodeURIComponent(selected.value) + "/read", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
      body: ""
    }).catch(function () {})
  }
  document.addEventListener("htmx:sseMessage", function (event) {
    var type = event.detail && event.detail.type
    // Whatever event ends a batch carries its position.
    if (event.detail) track(event.detail)
    if (type === "panel") titleFromTotal()
    else if (typeof type === "string" && type.indexOf("messages:") === 0 && /data-author="client"/.test(String(event.detail.data || ""))) {
      var pane = document.getElementById("dialog-pane")
      if (pane) pane.setAttribute("data-unread", "true")
      readOpenDialog()
    }
  })
  document.addEventListener("visibilitychange", readOpenDialog)
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
// Focus follows the work (issue 21): a swap that takes away the focused element gives focus back
// to its new copy (a folder link, a tag chip, a row), or to where the work goes on: the composer
// after Accept, the next row after Close, the list's title after a folder opens. Opening a dialog
// from the list moves focus into it (its title), so a keyboard user reads and answers there.
;(function () {
  "use strict"
  var pending = null
  var fallback = null
  var nextRow = null
  var restoring = false
  function keyOf(element) {
    if (!(element instanceof HTMLElement) || element === document.body) return null
    if (element.id) return "#" + CSS.escape(element.id)
    var own = element.tagName.toLowerCase()
    var named = false
    ;["data-testid", "data-tag", "data-quick-reply", "name"].forEach(function (name) {
      var value = element.getAttribute(name)
      if (value) {
        own += "[" + name + '="' + CSS.escape(value) + '"]'
        named = true
      }
    })
    if (!named && element.getAttribute("href")) own += '[href="' + CSS.escape(element.getAttribute("href")) + '"]'
    var scope = element.parentElement && element.parentElement.closest("[id]")
    return (scope ? "#" + CSS.escape(scope.id) + " " : "") + own
  }
  function focus(element) {
    if (!element) return false
    restoring = true
    element.focus()
    restoring = false
    return document.activeElement === element
  }
  function lost() {
    var active = document.activeElement
    return !active || active === document.body || active === fallback || !document.contains(active)
  }
  function rowLink(dialogId) {
    return document.querySelector('[data-testid="dialog-row"][data-dialog-id="' + CSS.escape(dialogId) + '"] a')
  }
  document.addEventListener("focusin", function () {
    if (restoring) return
    pending = null
    fallback = null
  })
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target
    // A stand-in (the pane's title, focused when a live swap took the control away first) is not where the user was.
    if (!pending && document.activeElement !== fallback) pending = keyOf(document.activeElement)
    if (target && target.id === "dialog-pane") {
      // The row to go on with if this swap closes the dialog: the one after it, or the list's first.
      var open = target.getAttribute("data-dialog-id") || ""
      var selected = document.querySelector('[data-testid="dialog-row"].selected')
      var next = selected ? selected.nextElementSibling || selected.previousElementSibling : null
      if (!next) next = document.querySelector('[data-testid="dialog-row"]:not([data-dialog-id="' + CSS.escape(open) + '"])')
      nextRow = next && next.getAttribute("data-testid") === "dialog-row" ? next.getAttribute("data-dialog-id") : null
    }
  })
  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail || {}
    // An outerHTML swap names the element it replaced (no longer in the page): only its id counts.
    var target = detail.target
    var from = detail.requestConfig && detail.requestConfig.elt
    if (!(target instanceof HTMLElement)) return
    var pane = document.getElementById("dialog-pane")
    if (target.id === "dialog-pane" && from instanceof HTMLElement && from.closest('[data-testid="dialog-row"]') && pane) {
      pending = null
      focus(pane.querySelector(".pane-header h2"))
      return
    }
    if (!lost()) {
      pending = null
      return
    }
    regain(target.id)
  })
  // The live stream's swaps (the open dialog's head and compose area after Accept, say) can take the focused element too.
  document.addEventListener("htmx:sseMessage", function () {
    var active = document.activeElement
    if (!active || active === document.body) regain("dialog-pane")
  })
  function regain(targetId) {
    var pane = document.getElementById("dialog-pane")
    if (pending) {
      var again = document.querySelector(pending)
      if (again && focus(again)) {
        pending = null
        fallback = null
        return
      }
    }
    var place = null
    if (targetId === "dialog-pane" && pane) {
      var closed = pane.getAttribute("data-status") === "closed"
      if (closed && nextRow) place = rowLink(nextRow) || rowLink(pane.getAttribute("data-dialog-id") || "")
      place = place || pane.querySelector("#composer textarea") || pane.querySelector(".pane-header h2")
    } else if (targetId === "dialog-list" || targetId === "dialog-results") {
      place = document.querySelector("#dialog-list h2")
    }
    if (place && focus(place)) {
      // The next row after Close, the composer after Accept: where the work goes on, not a stand-in. What
      // was focused before is done with; a later swap (the live list redrawing that row) keeps this instead.
      if (place.closest('[data-testid="dialog-row"]') || place.matches("#composer textarea")) {
        pending = null
        fallback = null
      } else fallback = place
    }
  }
})()
// Select all (DLG-12): checks or clears every row's checkbox of the bulk-delete form.
document.addEventListener("change", function (event) {
  var box = event.target
  if (!(box instanceof HTMLInputElement) || !box.dataset.selectAll) return
  document.querySelectorAll('input[type="checkbox"][form="' + CSS.escape(box.dataset.selectAll) + '"]').forEach(function (row) {
    row.checked = box.checked
  })
})
