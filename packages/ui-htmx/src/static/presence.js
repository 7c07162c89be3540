// Collision (issue 21): while the user types in the open dialog's composer, tell the server at most
// every 3 s (its "typing" lasts 6 s after the last report); the dialog's presence line shows who
// else is there and is kept current by the live stream.
(function () {
  var everyMs = 3000
  var last = 0
  // A dialog that left the user's sight (the live stream's note in its head) is no longer reported:
  // its presence line stops asking.
  function gone() {
    return document.querySelector('#dialog-head[data-gone="true"]') !== null
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt
    if (!(elt instanceof Element) || !elt.hasAttribute("data-presence-dialog") || !gone()) return
    event.preventDefault()
    elt.remove()
  })
  document.addEventListener("input", function (event) {
    var target = event.target
    if (!(target instanceof HTMLTextAreaElement) || !target.closest("#composer")) return
    var line = document.querySelector("[data-presence-dialog]")
    if (!line || gone()) return
    var now = Date.now()
    if (now - last < everyMs) return
    last = now
    var token = document.body && document.body.getAttribute("hx-headers")
    var headers = { "Content-Type": "application/x-www-form-urlencoded" }
    try {
      var parsed = token ? JSON.parse(token) : {}
      for (var name in parsed) headers[name] = parsed[name]
    } catch (ignored) {}
    fetch("/panel/dialogs/" + encodeURIComponent(line.getAttribute("data-presence-dialog")) + "/presence", {
      method: "POST",
      credentials: "same-origin",
      headers: headers,
      body: "typing=true"
    }).catch(function () {})
  })
})()
