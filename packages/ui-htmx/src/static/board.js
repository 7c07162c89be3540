// Switchboard supervisor board: name the page's live stream to the server, which then pushes the
// board to it whenever an operator or a queue changes (a new stream after a reconnect is named anew).
(function () {
  "use strict"
  var named = ""
  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || ""
    } catch (error) {
      return ""
    }
  }
  function watch(stream) {
    if (!stream || stream === named) return
    named = stream
    var body = new URLSearchParams()
    body.set("stream", stream)
    fetch("/panel/board/watch", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
      body: body
    }).catch(function () {
      named = ""
    })
  }
  document.addEventListener("switchboard:live-ready", function (event) {
    watch(event.detail)
  })
  if (document.body && document.body.dataset.liveStream) watch(document.body.dataset.liveStream)
})()
