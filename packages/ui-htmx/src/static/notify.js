// Notifications (NTF-01, NTF-02): the live stream says what is new in New or Mine (the `notify`
// event, which panel.js hands on as `switchboard:notify`); this script plays the sound while the
// tab is hidden and shows a desktop notification with the client's text, each by the user's own
// switches (the body's data-notify-* attributes), and reminds every minute while something is unread.
(function () {
  var reminderMs = 60000
  var audio = null
  function switchedOn(name) {
    return document.body !== null && document.body.getAttribute(name) === "true"
  }
  function hidden() {
    return document.visibilityState === "hidden"
  }
  function playSound() {
    if (!switchedOn("data-notify-sound") || !hidden()) return
    if (audio === null) audio = new Audio("/assets/notify.wav")
    try {
      audio.currentTime = 0
    } catch (ignored) {}
    var playing = audio.play()
    // A browser may refuse to play before the user has interacted with the page: nothing to do then.
    if (playing && typeof playing.catch === "function") playing.catch(function () {})
  }
  function showDesktop(note) {
    if (!switchedOn("data-notify-desktop") || !("Notification" in window) || Notification.permission !== "granted") return
    if (!hidden() && document.hasFocus()) return
    var shown = new Notification(note.title || "Switchboard", { body: note.text || "", tag: "switchboard-" + note.dialogId })
    shown.onclick = function () {
      window.focus()
      window.location.href = "/panel/dialogs/" + encodeURIComponent(note.dialogId) + "?folder=" + encodeURIComponent(note.folder)
    }
  }
  document.addEventListener("switchboard:notify", function (event) {
    var note
    try {
      note = JSON.parse(event.detail)
    } catch (ignored) {
      return
    }
    playSound()
    showDesktop(note)
  })
  window.setInterval(function () {
    var total = document.getElementById("unread-total")
    if (total && (Number(total.textContent) || 0) > 0) playSound()
  }, reminderMs)
  // The browser asks for permission only in answer to a click.
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-notify-allow]") : null
    if (!target || !("Notification" in window)) return
    Notification.requestPermission().then(function (answer) {
      // The texts come from the page (the user's language).
      target.textContent = target.getAttribute(answer === "granted" ? "data-allowed" : "data-refused") || answer
    })
  })
})()
