// Keyboard: j/k move, Enter open, r reply, n note, e resolve, a assign to me, / search, ? help.
function typing(target) {
  return target.closest("input, textarea, select, [contenteditable]") !== null;
}

function rows() { return [...document.querySelectorAll("#conversation-list li.row")]; }

function move(step) {
  const list = rows();
  if (list.length === 0) return;
  const current = list.findIndex((li) => li.classList.contains("selected"));
  const next = Math.min(list.length - 1, Math.max(0, current + step));
  list.forEach((li) => li.classList.remove("selected"));
  list[next].classList.add("selected");
  list[next].querySelector("a").focus();
}

export function installKeys() {
  if (location.hash === "#search") document.getElementById("search")?.focus();
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const click = (id) => document.getElementById(id)?.click();
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "Enter": {
        const selected = document.querySelector("#conversation-list li.selected a");
        if (!selected) return;
        selected.click();
        break;
      }
      case "r": click("tab-reply"); document.getElementById("composer-text")?.focus(); break;
      case "n": click("tab-note"); document.getElementById("composer-text")?.focus(); break;
      case "e": click("resolve"); break;
      case "a": click("assign-me"); break;
      case "/": {
        const search = document.getElementById("search");
        if (search) search.focus(); else location.href = "/#search";
        break;
      }
      case "?": document.getElementById("help")?.showModal(); break;
      default: return;
    }
    event.preventDefault();
  });
}
