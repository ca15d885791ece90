// The wait before another SMS code can be asked for: a button with data-wait (seconds) stays
// disabled until then, its label saying how long is left (data-wait-text, "{s}" the seconds).
// Without scripts the button works at once and the server refuses a code asked for too soon.
document.querySelectorAll("[data-wait]").forEach(function (button) {
  var left = parseInt(button.getAttribute("data-wait"), 10);
  var label = button.textContent;
  var text = button.getAttribute("data-wait-text");
  function tick() {
    if (!(left > 0)) {
      button.disabled = false;
      button.textContent = label;
      return;
    }
    button.disabled = true;
    button.textContent = text.replace("{s}", String(left));
    left -= 1;
    setTimeout(tick, 1000);
  }
  tick();
});
