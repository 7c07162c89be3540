// Collision (issue 21): while the user types in the open dialog's composer, tell the server at most
// every 3 s (its "typing" lasts 6 s after the last report); the dialog's presence line shows who
// else is there and is kept current by the live stream.
(function () {
  var everyMs = 3000
  var last = 0
  document.addEventListener("input", function (event) {
    var target = event.target
    if (!(target instanceof HTMLTextAreaElement) || !target.closest("#composer")) return
    var line = document.querySelector("[data-presence-dialog]")
    if (!line) return
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
