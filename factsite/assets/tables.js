// Progressive enhancement for tables marked data-findable (a chart's data table when its spec says
// usermeta: {findable: ...}, or a Markdown table inside <div data-findable markdown="1">): a search box
// above the table keeps the rows that hold what the reader types, and a button in each column head
// sorts by that column. Without JavaScript the table stays as it is, complete.
//
// Words come from this script's data attributes, which base.html fills in the page's language; a
// table may name its search box (data-findable="Find your region") and its count (data-findable-shown).
(function () {
  "use strict";
  var script = document.currentScript;
  var words = script ? script.dataset : {};
  var language = document.documentElement.lang || "en";
  var collator = new Intl.Collator(language, { numeric: true, sensitivity: "base" });
  var separators = {};
  new Intl.NumberFormat(language).formatToParts(12345.6).forEach(function (part) {
    separators[part.type] = part.value;
  });

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  // A cell's number as the page's language writes it ("1 090,5", "1,090.5"), or NaN.
  function number(text) {
    var cleaned = text.replace(/[\s\u00a0\u202f]/g, "").split(separators.group || ",").join("")
      .split(separators.decimal || ".").join(".").replace(/\u2212/g, "-").replace(/%$/, "");
    return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned) ? Number(cleaned) : NaN;
  }

  // Text as typed and as found compare without case or accents (ё is е).
  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/ё/g, "е").trim();
  }

  var count = 0;

  // The search box goes above the table, and outside a closed <details> holding it, so readers meet
  // the box before they open the table.
  function placeBox(box, table, marker) {
    var details = table.closest("details");
    if (details) details.parentNode.insertBefore(box, details);
    else if (marker !== table) marker.insertBefore(box, marker.firstChild);
    else {
      var outer = table.closest(".table-scroll") || table;
      outer.parentNode.insertBefore(box, outer);
    }
  }

  function enhance(table, marker) {
    var body = table.tBodies[0];
    var heads = table.tHead && table.tHead.rows.length ? Array.prototype.slice.call(table.tHead.rows[0].cells) : [];
    if (!body || !heads.length || table.hasAttribute("data-findable-ready")) return;
    table.setAttribute("data-findable-ready", "");
    count += 1;
    table.id = table.id || "findable-table-" + count;
    var names = heads.map(function (head) { return head.textContent.trim(); });
    var rows = Array.prototype.slice.call(body.rows);
    var texts = rows.map(function (row) {
      return folded(Array.prototype.map.call(row.cells, function (cell) { return cell.textContent; }).join("\n"));
    });
    var sorted = null; // {column, descending} once the reader has sorted
    var details = table.closest("details");

    var box = document.createElement("div");
    var label = document.createElement("label");
    var input = document.createElement("input");
    var status = document.createElement("p");
    box.className = "table-find";
    input.type = "search";
    input.id = table.id + "-find";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("aria-controls", table.id);
    label.htmlFor = input.id;
    var named = marker.getAttribute("data-findable");
    label.textContent = named && named !== "data-findable" ? named : words.find || "Find in the table";
    status.className = "table-find-status";
    status.setAttribute("role", "status"); // a polite live region: read out when its text changes
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(status);
    placeBox(box, table, marker);

    function say() {
      var shown = rows.filter(function (row) { return !row.hidden; }).length;
      var template = marker.getAttribute("data-findable-shown") || words.shown || "{shown} of {total} rows shown";
      var parts = [fill(template, { shown: shown, total: rows.length })];
      if (sorted) {
        var order = sorted.descending ? words.descending || "Sorted by {column}, descending" : words.ascending || "Sorted by {column}, ascending";
        parts.push(fill(order, { column: names[sorted.column] }));
      }
      status.textContent = parts.join(". ");
    }

    var timer = null;
    input.addEventListener("input", function () {
      var query = folded(input.value);
      rows.forEach(function (row, index) { row.hidden = query !== "" && texts[index].indexOf(query) < 0; });
      if (details && query) details.open = true;
      if (marks) marks.found(query !== "");
      clearTimeout(timer);
      timer = setTimeout(say, 300); // one announcement when typing pauses, not one for every key
    });

    function sortBy(column) {
      var descending = sorted !== null && sorted.column === column && !sorted.descending;
      var cells = rows.map(function (row) { return row.cells[column] ? row.cells[column].textContent.trim() : ""; });
      var numbers = cells.map(number);
      var numeric = cells.every(function (text, index) { return text === "" || !isNaN(numbers[index]); });
      var order = rows.map(function (row, index) { return index; });
      order.sort(function (a, b) {
        if (cells[a] === "" || cells[b] === "") return (cells[a] === "") - (cells[b] === "") || a - b; // empty cells last
        var difference = numeric ? numbers[a] - numbers[b] : collator.compare(cells[a], cells[b]);
        return (descending ? -difference : difference) || a - b;
      });
      rows = order.map(function (index) { return rows[index]; });
      texts = order.map(function (index) { return texts[index]; });
      rows.forEach(function (row) { body.appendChild(row); });
      sorted = { column: column, descending: descending };
      heads.forEach(function (head, index) {
        if (index === column) head.setAttribute("aria-sort", descending ? "descending" : "ascending");
        else head.removeAttribute("aria-sort");
        head.querySelector(".sort-mark").textContent = index !== column ? "↕" : descending ? "↓" : "↑";
      });
      clearTimeout(timer);
      say();
    }

    heads.forEach(function (head, index) {
      var button = document.createElement("button");
      var mark = document.createElement("span");
      button.type = "button";
      button.className = "sort";
      while (head.firstChild) button.appendChild(head.firstChild);
      mark.className = "sort-mark";
      mark.setAttribute("aria-hidden", "true"); // the state is aria-sort on the column head
      mark.textContent = "↕";
      button.appendChild(document.createTextNode("\u00a0")); // the mark stays with the last word: no line of its own
      button.appendChild(mark);
      head.appendChild(button);
      button.addEventListener("click", function () { sortBy(index); });
    });
    var marks = linkMarks(table, rows, input, details);
    say();
  }

  // A chart whose marks are named (Vega-Lite's description channel: the tiles of the regions map) is
  // linked with its table, where a row's first cell is a mark's name. Finding rows in the table outlines
  // their marks; choosing a mark (a click, or Enter or Space on it) shows its row, opening the table,
  // clearing a search that hides the row, and moving focus to it. The marks take focus one at a time,
  // the arrow keys moving between them, so the picture is one stop on the way through the page; with
  // them as buttons the picture is a group named by its description. Both the build-time picture and the
  // interactive view (which charts.js swaps in, telling this script with a "chartinteractive" event).
  function linkMarks(table, rows, input, details) {
    var figure = table.closest("figure.chart");
    var byName = {}; // rows by their first cell's words, spaces of any kind (the typography's) as one
    function key(text) { return String(text).replace(/[\s\u00a0\u202f\u2060]+/g, " ").trim(); }
    rows.forEach(function (row) { if (row.cells[0]) byName[key(row.cells[0].textContent)] = row; });
    function linked(svg) { // the first mark of each name (a tile, not the outline drawn over it)
      var seen = {};
      return svg ? Array.prototype.filter.call(svg.querySelectorAll("[data-name]"), function (mark) {
        var name = key(mark.getAttribute("data-name"));
        var first = name in byName && !(name in seen);
        seen[name] = true;
        return first;
      }) : [];
    }
    function prepare(svg) {
      var found = linked(svg);
      if (!found.length || svg.hasAttribute("data-linked")) return found.length > 0;
      svg.setAttribute("data-linked", "");
      svg.setAttribute("role", "group");
      svg.removeAttribute("focusable");
      found.forEach(function (mark, index) {
        mark.setAttribute("role", "button");
        mark.setAttribute("aria-label", mark.getAttribute("data-name"));
        mark.setAttribute("tabindex", index === 0 ? "0" : "-1");
      });
      return true;
    }
    if (!figure || !Array.prototype.map.call(figure.querySelectorAll("svg"), prepare).some(Boolean)) return null;

    function shown() { // the marks of the picture the reader sees
      var interactive = figure.classList.contains("is-interactive");
      return linked(figure.querySelector(interactive ? ".chart-interactive svg" : ".chart-static svg:not([hidden])"))
        .filter(function (mark) { return mark.getBoundingClientRect().width > 0; });
    }
    function found(searching) {
      Array.prototype.forEach.call(figure.querySelectorAll("svg [data-name]"), function (mark) {
        var row = byName[key(mark.getAttribute("data-name"))];
        mark.classList.toggle("is-found", Boolean(searching && row && !row.hidden));
      });
    }
    function showRow(name) {
      var row = byName[key(name)];
      if (!row) return;
      if (row.hidden) {
        input.value = "";
        input.dispatchEvent(new Event("input"));
      }
      if (details) details.open = true;
      rows.forEach(function (each) { each.classList.toggle("is-chosen", each === row); });
      row.tabIndex = -1;
      row.scrollIntoView({ block: "center" });
      row.focus({ preventScroll: true });
    }
    function moveFocus(from, key) {
      var marks = shown();
      var index = marks.indexOf(from);
      if (index < 0) return;
      var next = null;
      if (key === "ArrowRight" || key === "ArrowLeft") next = marks[index + (key === "ArrowRight" ? 1 : -1)];
      else { // the nearest mark above or below, preferring the same column
        var here = from.getBoundingClientRect(), best = Infinity;
        marks.forEach(function (mark) {
          var there = mark.getBoundingClientRect();
          var down = there.top - here.top;
          if (key === "ArrowDown" ? down <= 1 : down >= -1) return;
          var distance = Math.abs(down) + 3 * Math.abs(there.left - here.left);
          if (distance < best) { best = distance; next = mark; }
        });
      }
      if (!next) return;
      marks.forEach(function (mark) { mark.setAttribute("tabindex", mark === next ? "0" : "-1"); });
      next.focus();
    }
    figure.addEventListener("click", function (event) {
      var mark = event.target.closest && event.target.closest("svg[data-linked] [data-name]");
      if (mark) showRow(mark.getAttribute("data-name"));
    });
    figure.addEventListener("keydown", function (event) {
      var mark = event.target.closest && event.target.closest("svg[data-linked] [data-name]");
      if (!mark) return;
      if (event.key === "Enter" || event.key === " ") showRow(mark.getAttribute("data-name"));
      else if (/^Arrow(Up|Down|Left|Right)$/.test(event.key)) moveFocus(mark, event.key);
      else return;
      event.preventDefault();
    });
    figure.addEventListener("chartinteractive", function () {
      var focused = figure.querySelector(".chart-static [data-name]:focus") || document.activeElement;
      var name = focused && focused.getAttribute && focused.getAttribute("data-name");
      prepare(figure.querySelector(".chart-interactive svg"));
      found(input.value.trim() !== "");
      if (!name) return;
      var same = shown().filter(function (mark) { return mark.getAttribute("data-name") === name; })[0];
      if (same) {
        shown().forEach(function (mark) { mark.setAttribute("tabindex", mark === same ? "0" : "-1"); });
        same.focus();
      }
    });
    return { found: found };
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-findable]"), function (marker) {
    var tables = marker.tagName === "TABLE" ? [marker] : marker.querySelectorAll("table");
    Array.prototype.forEach.call(tables, function (table) { enhance(table, marker); });
  });
})();
