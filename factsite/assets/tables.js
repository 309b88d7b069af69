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
    say();
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-findable]"), function (marker) {
    var tables = marker.tagName === "TABLE" ? [marker] : marker.querySelectorAll("table");
    Array.prototype.forEach.call(tables, function (table) { enhance(table, marker); });
  });
})();
