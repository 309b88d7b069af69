// Figure cards: focus, hover or tap a figure to see who says so (templates/_fact_card.html). Each card
// is a popover, so the platform gives Escape and a tap elsewhere to close it; this script opens it
// beside its figure. A first tap opens the card, a second follows the link to the figure's entry.
// Without JavaScript, or in a browser without popovers, the figure is an ordinary link.
(() => {
  if (!HTMLElement.prototype.hasOwnProperty("popover")) return;
  const MARGIN = 8;
  let shown = null; // { link, card }
  let closing = 0;
  // Screen readers read a figure's card as its description (the page holds one card per figure).
  for (const link of document.querySelectorAll("a[data-fact]")) {
    if (document.getElementById(`card-${link.dataset.fact}`)) link.setAttribute("aria-describedby", `card-${link.dataset.fact}`);
  }

  const cardOf = (link) => document.getElementById(`card-${link.dataset.fact}`);

  function place(link, card) {
    const box = link.getBoundingClientRect();
    const width = Math.min(card.offsetWidth, innerWidth - 2 * MARGIN);
    const left = Math.max(MARGIN, Math.min(box.left, innerWidth - width - MARGIN));
    let top = box.bottom + 6;
    if (top + card.offsetHeight > innerHeight - MARGIN) top = Math.max(MARGIN, box.top - card.offsetHeight - 6);
    card.style.left = `${left}px`;
    card.style.top = `${top}px`;
  }

  function open(link) {
    const card = cardOf(link);
    if (!card) return;
    clearTimeout(closing);
    if (shown && shown.card !== card) close();
    if (!card.matches(":popover-open")) card.showPopover();
    place(link, card);
    link.setAttribute("aria-expanded", "true");
    shown = { link, card };
  }

  function close() {
    if (!shown) return;
    if (shown.card.matches(":popover-open")) shown.card.hidePopover();
    shown.link.setAttribute("aria-expanded", "false");
    shown = null;
  }

  const figure = (event) => event.target instanceof Element && event.target.closest("a[data-fact]");
  const laterClose = () => { clearTimeout(closing); closing = setTimeout(close, 300); };

  // A tap opens the card (focus comes first, so whether it was open is noted on pointerdown); a tap on
  // an open card's figure, a mouse click after hovering, or Enter follows the link.
  let openBeforePointer = false;
  document.addEventListener("pointerdown", (event) => {
    const link = figure(event);
    openBeforePointer = Boolean(link && shown && shown.link === link);
  }, true);
  document.addEventListener("click", (event) => {
    const link = figure(event);
    if (link && event.detail > 0 && !openBeforePointer) { event.preventDefault(); open(link); }
    openBeforePointer = true;
  });
  document.addEventListener("focusin", (event) => {
    const link = figure(event);
    if (link) open(link);
    else if (shown && !shown.card.contains(event.target)) close();
  });
  document.addEventListener("pointerover", (event) => {
    if (event.pointerType !== "mouse") return;
    const link = figure(event);
    if (link) open(link);
    else if (shown && shown.card.contains(event.target)) clearTimeout(closing);
  });
  document.addEventListener("pointerout", (event) => {
    if (event.pointerType === "mouse" && shown && (figure(event) === shown.link || shown.card.contains(event.target))) laterClose();
  });
  document.addEventListener("toggle", (event) => {
    if (shown && event.target === shown.card && event.newState === "closed") {
      shown.link.setAttribute("aria-expanded", "false");
      shown = null;
    }
  }, true);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && shown) { const { link } = shown; close(); link.focus(); }
  });
  addEventListener("resize", () => shown && place(shown.link, shown.card));
  addEventListener("scroll", () => shown && place(shown.link, shown.card), { passive: true });
})();
