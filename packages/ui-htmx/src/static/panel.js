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
  // A message can arrive twice (the action's response and the live stream): keep the first copy.
  function dedupe(root) {
    var seen = Object.create(null)
    root.querySelectorAll("[data-message-id]").forEach(function (node) {
      var id = node.getAttribute("data-message-id")
      if (seen[id]) node.remove()
      else seen[id] = true
    })
  }
  function scrollDown(root) {
    root.scrollTop = root.scrollHeight
  }
  new MutationObserver(function () {
    document.querySelectorAll(".messages").forEach(function (list) {
      dedupe(list)
      if (list.dataset.count !== String(list.children.length)) {
        list.dataset.count = String(list.children.length)
        scrollDown(list)
      }
    })
  }).observe(document.documentElement, { childList: true, subtree: true })
  // The composer clears after a send; keep focus in it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var form = event.detail && event.detail.target
    if (form && form.id === "composer") {
      var text = form.querySelector("textarea")
      if (text) text.focus()
    }
  })
})()
