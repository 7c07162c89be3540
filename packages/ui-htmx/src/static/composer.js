// Switchboard composer: the send key, quick replies by "/" and by button, emoji at the caret, the
// counter against the channel's limit (MSG-08, MSG-11, PRD-01). No inline scripts (CSP); the names
// it reads are contract.ts's `composerNames`.
(function () {
  "use strict"
  var pickerId = "quick-reply-picker"
  var emojiPanelId = "emoji-panel"
  var counterId = "composer-counter"
  // "/" at the start of the text or after a space, then the search (no spaces), up to the caret.
  var slashPattern = /(^|\s)\/([^\s/]*)$/

  function composerText() {
    return document.querySelector("textarea[data-send-key]")
  }
  function picker() {
    return document.getElementById(pickerId)
  }
  function pickerOpen() {
    var node = picker()
    return node !== null && node.querySelector("[data-quick-reply]") !== null
  }
  function closePicker() {
    var node = picker()
    if (node) node.innerHTML = ""
  }
  // What the server counts: characters without whitespace (Message.countedLength).
  function counted(text) {
    return text.replace(/\s/gu, "").length
  }

  function updateCounter() {
    var text = composerText()
    var counter = document.getElementById(counterId)
    if (!text || !counter || !text.form) return
    var internal = text.form.querySelector('input[name="internal"]')
    var signature = text.dataset.signature && !(internal && internal.checked) && text.value.trim() !== "" ? text.dataset.signature : ""
    var max = Number(counter.dataset.max)
    var used = counted(text.value) + counted(signature)
    counter.textContent = used + " / " + max
    var over = used > max
    counter.classList.toggle("over", over)
    if (over) text.form.dataset.over = "true"
    else delete text.form.dataset.over
    text.setAttribute("aria-invalid", over ? "true" : "false")
  }

  // Put `insert` in place of the text from `from` to the caret, and leave the caret after it.
  function insertAtCaret(text, insert, from) {
    var end = text.selectionEnd
    var start = from === undefined ? text.selectionStart : from
    text.setRangeText(insert, start, end, "end")
    text.focus()
    text.dispatchEvent(new Event("input", { bubbles: true }))
  }

  function slashBeforeCaret(text) {
    if (text.selectionStart !== text.selectionEnd) return undefined
    var match = slashPattern.exec(text.value.slice(0, text.selectionStart))
    if (!match) return undefined
    return { query: match[2], from: text.selectionStart - match[2].length - 1 }
  }

  function choose(button) {
    var text = composerText()
    if (!text) return
    var slash = slashBeforeCaret(text)
    insertAtCaret(text, button.dataset.text || "", slash ? slash.from : undefined)
    closePicker()
  }

  function choices() {
    var node = picker()
    return node ? Array.prototype.slice.call(node.querySelectorAll("[data-quick-reply]")) : []
  }
  function activate(index) {
    var all = choices()
    if (all.length === 0) return
    var next = (index + all.length) % all.length
    all.forEach(function (button, i) {
      button.setAttribute("aria-selected", i === next ? "true" : "false")
      button.classList.toggle("active", i === next)
    })
    all[next].scrollIntoView({ block: "nearest" })
  }
  function activeIndex() {
    return choices().findIndex(function (button) {
      return button.getAttribute("aria-selected") === "true"
    })
  }

  var searchTimer
  function search(query) {
    var node = picker()
    if (!node || typeof htmx === "undefined") return
    clearTimeout(searchTimer)
    searchTimer = setTimeout(function () {
      htmx.ajax("GET", node.dataset.url + "?" + node.dataset.query + "=" + encodeURIComponent(query), { target: node, swap: "innerHTML" })
    }, 120)
  }

  document.addEventListener("input", function (event) {
    var text = event.target
    if (!(text instanceof HTMLTextAreaElement) || !text.dataset.sendKey) return
    updateCounter()
    var slash = slashBeforeCaret(text)
    if (slash) search(slash.query)
    else if (pickerOpen()) closePicker()
  })

  document.addEventListener("change", function (event) {
    if (event.target instanceof HTMLInputElement && event.target.name === "internal") updateCounter()
  })

  document.addEventListener("keydown", function (event) {
    var text = event.target
    if (!(text instanceof HTMLTextAreaElement) || !text.dataset.sendKey) return
    if (pickerOpen()) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault()
        activate(activeIndex() + (event.key === "ArrowDown" ? 1 : -1))
        return
      }
      if (event.key === "Escape") {
        event.preventDefault()
        closePicker()
        return
      }
      if (event.key === "Enter" && !event.shiftKey && !event.ctrlKey && !event.metaKey && activeIndex() >= 0) {
        event.preventDefault()
        choose(choices()[activeIndex()])
        return
      }
    }
    if (event.key !== "Enter" || event.isComposing) return
    var withModifier = event.ctrlKey || event.metaKey
    // Ctrl+Enter (Cmd+Enter on a Mac) always sends; plain Enter sends only for those who chose it.
    var sends = withModifier || (text.dataset.sendKey === "enter" && !event.shiftKey && !event.altKey)
    if (!sends) return
    event.preventDefault()
    if (text.form) text.form.requestSubmit()
  })

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null
    if (!target) return
    var choice = target.closest("[data-quick-reply]")
    if (choice && choice.closest("#" + pickerId)) {
      event.preventDefault()
      choose(choice)
      return
    }
    var emojiButton = target.closest("[data-emoji-button]")
    if (emojiButton) {
      event.preventDefault()
      toggleEmoji(emojiButton)
    }
  })

  // A fresh list of choices: the first is the one Enter takes.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target
    if (target && target.id === pickerId) activate(0)
    if (target && (target.id === "composer" || target.id === "dialog-pane")) updateCounter()
  })
  document.addEventListener("htmx:load", updateCounter)

  // A draft that could never be sent is not posted (the server refuses it too).
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt
    if (elt instanceof HTMLTextAreaElement && elt.dataset.sendKey && elt.form && elt.form.dataset.over === "true") event.preventDefault()
  })

  // The emoji picker (emoji-picker-element, served from our own assets with its data): loaded on
  // the first press; an emoji goes in at the caret of the composer.
  var pickerModule
  function toggleEmoji(button) {
    var panel = document.getElementById(emojiPanelId)
    if (!panel) return
    var opening = panel.hidden
    panel.hidden = !opening
    button.setAttribute("aria-expanded", opening ? "true" : "false")
    if (!opening || panel.querySelector("emoji-picker")) return
    pickerModule = pickerModule || import("/assets/emoji-picker/picker.js")
    pickerModule.then(function () {
      if (panel.querySelector("emoji-picker")) return
      var element = document.createElement("emoji-picker")
      element.dataSource = "/assets/emoji-picker/data.json"
      element.addEventListener("emoji-click", function (event) {
        var text = composerText()
        if (text && event.detail && event.detail.unicode) insertAtCaret(text, event.detail.unicode)
      })
      panel.appendChild(element)
    })
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return
    var panel = document.getElementById(emojiPanelId)
    if (panel && !panel.hidden && panel.contains(document.activeElement)) {
      panel.hidden = true
      var text = composerText()
      if (text) text.focus()
    }
  })

  // The attach form's chosen file, named next to its button (the browser's own control, which named
  // it, is hidden: its texts are in the browser's language, not the page's). "No file chosen" is the
  // catalog's, on the name's data-empty.
  function showFileName(input) {
    var name = document.getElementById("attach-file-name")
    if (!name) return
    name.textContent = input.files && input.files.length > 0 ? input.files[0].name : name.getAttribute("data-empty") || ""
  }
  document.addEventListener("change", function (event) {
    var target = event.target
    if (target instanceof HTMLInputElement && target.id === "attach-file-input") showFileName(target)
  })

  // A file pasted into the text or dropped on the composer is sent like one chosen with the attach
  // form's button (MSG-06): one file per message, the same form, the same limits and refusals.
  function attach(files) {
    var form = document.getElementById("attach")
    var input = form && form.querySelector('input[type="file"]')
    if (!input || !files || files.length === 0) return false
    var transfer = new DataTransfer()
    transfer.items.add(files[0])
    input.files = transfer.files
    showFileName(input)
    form.requestSubmit()
    return true
  }
  function inComposer(target) {
    return target instanceof Element && target.closest("#composer") !== null
  }
  document.addEventListener("paste", function (event) {
    if (!inComposer(event.target) || !event.clipboardData) return
    if (attach(event.clipboardData.files)) event.preventDefault()
  })
  document.addEventListener("dragover", function (event) {
    if (inComposer(event.target) && event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0) event.preventDefault()
  })
  document.addEventListener("drop", function (event) {
    if (!inComposer(event.target) || !event.dataTransfer) return
    if (attach(event.dataTransfer.files)) event.preventDefault()
  })

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", updateCounter)
  else updateCounter()
})()
