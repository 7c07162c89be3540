/*
 * The web widget's frame (CHN-03): the visitor's side of a dialog. It keeps the session token in
 * this origin's localStorage, talks to /widget/v1 with it as a bearer token, and follows the dialog
 * over SSE (resuming after the last event id it took: nothing lost, nothing twice). Every text is
 * written with textContent; no eval, no inline styles (only CSSOM properties), so a strict CSP holds.
 */
(function () {
  "use strict"
  var body = document.body
  var params = new URLSearchParams(location.search)
  var channel = body.dataset.channel || ""
  // The texts come from the server's catalogs in the widget's language (the page's <html lang> and
  // the body's data-t-* attributes); the marks are symbols.
  var language = document.documentElement.lang || "en"
  var words = body.dataset
  var t = {
    yes: words.tYes || "",
    no: words.tNo || "",
    rate: words.tRate || "",
    moreQuestions: words.tMoreQuestions || "",
    sent: "✓",
    read: "✓✓",
    queued: "…",
    delivered: "✓✓",
    failed: "!",
    deleted: words.tDeleted || "",
    reconnecting: words.tReconnecting || "",
    failedToSend: (words.tNotSent || "!") + " ",
    // A refusal without a message of its own: the status, in the page's language.
    serverError: function (status) {
      return (words.tServerError || "{{status}}").split("{{status}}").join(String(status))
    }
  }
  var colour = params.get("colour")
  if (colour === null || !/^#[0-9a-fA-F]{6}$/.test(colour)) colour = body.dataset.colour || "#2563eb"
  document.documentElement.style.setProperty("--accent", colour)

  var list = document.querySelector("[data-testid=widget-messages]")
  var prompt = document.querySelector("[data-testid=widget-prompt]")
  var notice = document.querySelector("[data-testid=widget-notice]")
  var greeting = document.querySelector("[data-testid=widget-greeting]")
  var liveMark = document.querySelector("[data-testid=widget-live]")
  var form = document.querySelector("[data-testid=widget-composer]")
  var input = form.querySelector("textarea")
  var sendButton = form.querySelector("button")
  var fileInput = form.querySelector("input[type=file]")

  var storageKey = "switchboard.widget." + channel
  var token = null
  var lastId = null
  var source = null
  var visible = window.parent === window
  var waiting = []
  var rows = new Map()
  var readSeq = 0
  var readTimer = null

  var storage = {
    get: function () {
      try {
        return window.localStorage.getItem(storageKey)
      } catch (error) {
        return null
      }
    },
    set: function (value) {
      try {
        window.localStorage.setItem(storageKey, value)
      } catch (error) {
        // Storage refused (private mode): the session lasts as long as the frame.
      }
    }
  }

  var show = function (text) {
    notice.textContent = text
    notice.hidden = text === ""
  }

  var call = function (method, path, payload) {
    // The server answers refusals in the widget's language, not the browser's.
    var headers = { "Content-Type": "application/json", "Accept-Language": language }
    if (token !== null) headers.Authorization = "Bearer " + token
    return fetch("/widget/v1" + path, { method: method, headers: headers, body: payload === undefined ? undefined : JSON.stringify(payload) }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {}
        })
        .then(function (json) {
          if (response.ok) return json
          var error = new Error(json.message || t.serverError(response.status))
          error.status = response.status
          throw error
        })
    })
  }

  var newId = function () {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID()
    var bytes = new Uint8Array(16)
    window.crypto.getRandomValues(bytes)
    return Array.prototype.map.call(bytes, function (byte) { return (byte + 256).toString(16).slice(1) }).join("")
  }

  var statusText = function (status) {
    return t[status] || status
  }

  var render = function (message) {
    var row = rows.get(message.id)
    if (row === undefined) {
      var item = document.createElement("li")
      item.className = "widget-message widget-" + message.author
      item.setAttribute("data-testid", "widget-message")
      item.setAttribute("data-author", message.author)
      item.setAttribute("data-message-id", message.id)
      var text = document.createElement("span")
      text.className = "widget-text"
      var meta = document.createElement("span")
      meta.className = "widget-meta"
      var time = document.createElement("time")
      var status = document.createElement("span")
      status.className = "widget-status"
      status.setAttribute("data-testid", "widget-status")
      meta.appendChild(time)
      meta.appendChild(status)
      item.appendChild(text)
      ;(message.attachments || []).forEach(function (file) {
        item.appendChild(attachmentOf(file))
      })
      item.appendChild(meta)
      row = { item: item, text: text, time: time, status: status, message: message }
      rows.set(message.id, row)
      // In order of seq, whatever order the events came in.
      var after = null
      rows.forEach(function (other) {
        if (other !== row && other.message.seq < message.seq && (after === null || other.message.seq > after.message.seq)) after = other
      })
      if (after === null) list.insertBefore(item, list.firstChild)
      else after.item.after(item)
      if (message.author !== "visitor") {
        try {
          window.parent.postMessage({ type: "switchboard:unread" }, "*")
        } catch (error) {
          // A parent that cannot be told is fine.
        }
      }
    }
    row.message = message
    row.text.textContent = message.text === "" ? t.deleted : message.text
    row.time.textContent = new Date(message.at).toLocaleTimeString(language, { hour: "2-digit", minute: "2-digit" })
    setStatus(row, message.status)
    list.scrollTop = list.scrollHeight
  }

  /** A file of a message: a preview for the images a browser shows, a download link otherwise; the session's token authorises it. */
  var attachmentOf = function (file) {
    var element
    if (file.fileId === undefined) {
      element = document.createElement("span")
      element.textContent = file.name
    } else {
      var url = "/widget/v1/files/" + encodeURIComponent(file.fileId) + "?token=" + encodeURIComponent(token)
      element = document.createElement("a")
      element.href = url
      element.target = "_blank"
      element.rel = "noopener"
      if (/^image\/(png|jpeg|gif|webp)$/.test(file.mime)) {
        var image = document.createElement("img")
        image.src = url
        image.alt = file.name
        element.appendChild(image)
      } else {
        element.textContent = file.name
        element.setAttribute("download", file.name)
      }
    }
    element.className = "widget-attachment"
    element.setAttribute("data-testid", "widget-attachment")
    return element
  }

  /** Send a file (the type is checked from its bytes by the server, with the company's limits): a refusal shows its reason. */
  var upload = function (file) {
    if (token === null) return
    var data = new FormData()
    data.append("file", file, file.name || "pasted")
    data.append("clientMessageId", newId())
    return fetch("/widget/v1/files", { method: "POST", headers: { Authorization: "Bearer " + token, "Accept-Language": language }, body: data }).then(function (response) {
      return response.json().catch(function () { return {} }).then(function (json) {
        if (!response.ok) throw new Error(json.message || t.serverError(response.status))
        show("")
      })
    }).catch(function (error) {
      show(t.failedToSend + error.message)
    })
  }

  var setStatus = function (row, status) {
    row.message.status = status
    row.item.setAttribute("data-status", status)
    // Marks are the visitor's own messages' (sent, read by us); ours carry theirs for the page's record only.
    row.status.textContent = row.message.author === "visitor" ? statusText(status) : ""
    row.status.setAttribute("data-status", status)
  }

  var showPrompt = function (kind) {
    while (prompt.firstChild) prompt.removeChild(prompt.firstChild)
    prompt.hidden = kind === "none"
    if (kind === "none") return
    var caption = document.createElement("span")
    caption.textContent = kind === "moreQuestions" ? t.moreQuestions : t.rate
    prompt.appendChild(caption)
    var button = function (label, testId, text, payload) {
      var element = document.createElement("button")
      element.type = "button"
      element.textContent = label
      element.setAttribute("data-testid", testId)
      element.addEventListener("click", function () {
        // The stream says what to show next (the rating after "No"); until then the buttons wait.
        var buttons = prompt.querySelectorAll("button")
        buttons.forEach(function (other) { other.disabled = true })
        send(text, payload).catch(function () {
          buttons.forEach(function (other) { other.disabled = false })
        })
      })
      prompt.appendChild(element)
    }
    if (kind === "moreQuestions") {
      button(t.yes, "widget-yes", t.yes, "yes")
      button(t.no, "widget-no", t.no, "no")
    } else {
      for (var score = 1; score <= 5; score++) button(String(score) + " ★", "widget-rate-" + score, "★".repeat(score), "rate:" + score)
    }
  }

  /** Our messages up to the newest one shown count as read while the chat is open and the page visible. */
  var markRead = function () {
    if (!visible || document.visibilityState !== "visible" || token === null) return
    var newest = 0
    rows.forEach(function (row) {
      if (row.message.author !== "visitor" && row.message.status !== "read" && row.message.seq > newest) newest = row.message.seq
    })
    if (newest <= readSeq) return
    if (readTimer !== null) return
    readTimer = setTimeout(function () {
      readTimer = null
      var upTo = newest
      call("POST", "/read", { seq: upTo }).then(function () {
        readSeq = Math.max(readSeq, upTo)
      }, function () {})
    }, 300)
  }

  var handle = function (event) {
    switch (event._tag) {
      case "message":
        render(event.message)
        break
      case "status":
        event.ids.forEach(function (id) {
          var row = rows.get(id)
          if (row !== undefined) setStatus(row, event.status)
        })
        break
      case "edited": {
        var edited = rows.get(event.id)
        if (edited !== undefined) edited.text.textContent = event.text
        break
      }
      case "deleted": {
        var deleted = rows.get(event.id)
        if (deleted !== undefined) deleted.text.textContent = t.deleted
        break
      }
      case "prompt":
        showPrompt(event.kind)
        break
    }
    markRead()
  }

  var live = function (on) {
    liveMark.hidden = on
    liveMark.textContent = on ? "" : t.reconnecting
  }

  var connect = function () {
    if (source !== null) source.close()
    var url = "/widget/v1/stream?token=" + encodeURIComponent(token) + (lastId === null ? "" : "&after=" + encodeURIComponent(lastId))
    var current = new EventSource(url)
    source = current
    ;["message", "status", "edited", "deleted", "prompt"].forEach(function (type) {
      current.addEventListener(type, function (event) {
        if (event.lastEventId) lastId = event.lastEventId
        handle(JSON.parse(event.data))
      })
    })
    current.addEventListener("ready", function () {
      live(true)
    })
    current.onerror = function () {
      live(false)
      // The browser retries on its own (sending Last-Event-ID); a stream that failed for good is reopened here.
      if (current.readyState === EventSource.CLOSED && source === current) {
        setTimeout(function () {
          if (source === current) ensureSession().then(connect, function () {})
        }, 1000)
      }
    }
  }

  var send = function (text, payload) {
    var body = { text: text, clientMessageId: newId() }
    if (payload !== undefined) body.payload = payload
    return call("POST", "/messages", body).then(
      function () {
        show("")
      },
      function (error) {
        show(t.failedToSend + error.message)
        throw error
      }
    )
  }

  var ensureSession = function () {
    if (token === null) token = storage.get()
    var check = token === null
      ? Promise.resolve(false)
      : call("GET", "/session").then(
        function () { return true },
        function (error) {
          if (error.status === 401) return false
          throw error
        }
      )
    return check.then(function (valid) {
      if (valid) return undefined
      token = null
      lastId = null
      return call("POST", "/sessions", { channelId: channel, language: language }).then(function (started) {
        token = started.token
        storage.set(token)
      })
    })
  }

  /** What the page asked before the session was ready, in order. */
  var run = function (message) {
    if (message.type === "switchboard:setAttributes" && message.attributes && typeof message.attributes === "object") {
      return call("POST", "/attributes", message.attributes).catch(function (error) {
        show(error.message)
      })
    }
    if (message.type === "switchboard:setUser" && message.user && typeof message.user === "object") {
      var user = message.user
      var payload = { id: String(user.id) }
      if (user.name) payload.name = String(user.name)
      if (user.email) payload.email = String(user.email)
      if (user.identifierHash) payload.identifierHash = String(user.identifierHash)
      return call("POST", "/user", payload).then(function (identified) {
        if (identified.visitorChanged) {
          // Now the user's own conversation: start over from its beginning.
          rows.forEach(function (row) { row.item.remove() })
          rows.clear()
          lastId = null
          readSeq = 0
          connect()
        }
      }, function (error) {
        show(error.message)
      })
    }
    if (message.type === "switchboard:visibility") {
      visible = message.open === true
      markRead()
    }
    return Promise.resolve()
  }

  var chain = Promise.resolve()
  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || window.parent === window) return
    var message = event.data || {}
    if (typeof message.type !== "string" || message.type.indexOf("switchboard:") !== 0) return
    if (token === null) waiting.push(message)
    else chain = chain.then(function () { return run(message) })
  })

  document.addEventListener("visibilitychange", markRead)

  form.addEventListener("submit", function (event) {
    event.preventDefault()
    var text = input.value.trim()
    if (text === "") return
    sendButton.disabled = true
    send(text).then(function () {
      input.value = ""
    }, function () {}).then(function () {
      sendButton.disabled = false
      input.focus()
    })
  })
  fileInput.addEventListener("change", function () {
    var file = fileInput.files && fileInput.files[0]
    if (file) upload(file).then(function () { fileInput.value = "" })
  })
  // A file pasted into the text or dropped on the composer goes the same way.
  input.addEventListener("paste", function (event) {
    var file = event.clipboardData && event.clipboardData.files && event.clipboardData.files[0]
    if (file) {
      event.preventDefault()
      upload(file)
    }
  })
  form.addEventListener("dragover", function (event) {
    event.preventDefault()
  })
  form.addEventListener("drop", function (event) {
    var file = event.dataTransfer && event.dataTransfer.files && event.dataTransfer.files[0]
    if (file) {
      event.preventDefault()
      upload(file)
    }
  })
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault()
      form.requestSubmit()
    }
  })

  ensureSession().then(function () {
    return call("GET", "/channels/" + encodeURIComponent(channel) + "/settings")
  }).then(function (settings) {
    var greetings = settings.greetings || {}
    greeting.textContent = greetings[language] || greetings[settings.language] || ""
    greeting.hidden = greeting.textContent === ""
    connect()
    var pending = waiting
    waiting = []
    pending.forEach(function (message) {
      chain = chain.then(function () { return run(message) })
    })
  }, function (error) {
    show(error.message)
  })

  if (window.parent !== window) window.parent.postMessage({ type: "switchboard:ready" }, "*")
})()
