// Label colours: the page's policy forbids inline style attributes, so the colour travels
// in data-color and is applied here (style changes made by script are allowed).
export function paintSwatches() {
  for (const el of document.querySelectorAll(".swatch[data-color]")) {
    if (/^#[0-9a-fA-F]{6}$/.test(el.dataset.color)) el.style.backgroundColor = el.dataset.color;
  }
}
