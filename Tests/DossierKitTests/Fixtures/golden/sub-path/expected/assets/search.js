/*
  Dossier search: runs entirely in the browser over search-index.json.

  The page gives the index address in a data-index attribute and has three elements:
  #search-input, #search-status (a live region) and #search-results (a list).

  Matching ignores case and accents; every word of the query must match the start of a word in
  the document. Ranking, best first: the whole title (or an alias) equals the query; the title
  starts with the query; every word is found in the title or aliases; in the summary, tags and
  other short fields; in the body text. Ties: newer date first, then title.

  Results are built with createElement and textContent only, never with markup strings.
*/
(function () {
  "use strict";

  var MAX_RESULTS = 50;
  var DEBOUNCE_MS = 100;
  var EXCERPT_LENGTH = 180;

  var KIND_LABELS = { actor: "Actor", action: "Action", page: "Page" };
  var TYPE_LABELS = {
    person: "Person", organization: "Organization", government: "Government",
    sanction: "Sanction", "counter-sanction": "Counter-sanction", statement: "Statement",
    "legal-proceeding": "Legal proceeding", diplomatic: "Diplomatic", other: "Other"
  };
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  // Ranks: lower is better.
  var RANK_EXACT = 0, RANK_NAME = 1, RANK_TITLE_PREFIX = 2, RANK_TITLE = 3, RANK_SUMMARY = 4, RANK_BODY = 5;

  var COMBINING_MARKS = /\p{M}/gu;
  var NON_WORD = /[^\p{L}\p{N}]+/u;
  var WORD_CHAR = /[\p{L}\p{N}]/u;

  /** Lower case, decomposed, combining marks removed: "Müller" -> "muller". */
  function fold(text) {
    return String(text || "").normalize("NFD").replace(COMBINING_MARKS, "").toLowerCase();
  }

  function words(text) {
    return fold(text).split(NON_WORD).filter(function (word) { return word.length > 0; });
  }

  /** Sorted unique words, so a prefix is found by binary search. */
  function wordSet(texts) {
    var seen = Object.create(null);
    var list = [];
    texts.forEach(function (text) {
      words(text).forEach(function (word) {
        if (!seen[word]) { seen[word] = true; list.push(word); }
      });
    });
    return list.sort();
  }

  function hasPrefix(sortedWords, prefix) {
    var low = 0, high = sortedWords.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (sortedWords[middle] < prefix) { low = middle + 1; } else { high = middle; }
    }
    return low < sortedWords.length && sortedWords[low].lastIndexOf(prefix, 0) === 0;
  }

  function hasWord(sortedWords, word) {
    var low = 0, high = sortedWords.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (sortedWords[middle] < word) { low = middle + 1; } else { high = middle; }
    }
    return low < sortedWords.length && sortedWords[low] === word;
  }

  function asList(value) {
    if (Array.isArray(value)) { return value; }
    return value === undefined || value === null ? [] : [value];
  }

  function prepare(doc, actorNames) {
    var titles = [doc.title].concat(asList(doc.aliases));
    // Actions can be found by the names of the actors they link.
    var actorTexts = asList(doc.actors).map(function (slug) { return actorNames[slug] || slug; });
    return {
      doc: doc,
      actorNames: actorTexts,
      foldedTitles: titles.map(function (title) { return words(title).join(" "); }),
      titleWords: wordSet(titles),
      summaryWords: wordSet([doc.summary, doc.country, doc.type, TYPE_LABELS[doc.type], doc.status]
        .concat(asList(doc.tags), asList(doc.measures), asList(doc.legal_basis), actorTexts)),
      bodyWords: wordSet([doc.text]),
      sortTitle: fold(doc.title)
    };
  }

  /** The rank of a prepared document for the query words, or -1 when some word does not match. */
  function rank(entry, queryWords, foldedQuery) {
    var worst = RANK_TITLE;
    for (var i = 0; i < queryWords.length; i++) {
      var word = queryWords[i];
      var found;
      if (hasPrefix(entry.titleWords, word)) { found = RANK_TITLE; }
      else if (hasPrefix(entry.summaryWords, word)) { found = RANK_SUMMARY; }
      else if (hasPrefix(entry.bodyWords, word)) { found = RANK_BODY; }
      else { return -1; }
      if (found > worst) { worst = found; }
    }
    if (worst === RANK_TITLE) {
      for (var j = 0; j < entry.foldedTitles.length; j++) {
        var title = entry.foldedTitles[j];
        if (title === foldedQuery) { return RANK_EXACT; }
        if (title.lastIndexOf(foldedQuery, 0) === 0) { worst = RANK_TITLE_PREFIX; }
      }
      // A reader who types a surname means the person: an actor whose name or alias has every
      // query word as a whole word comes before titles that merely start with it.
      if (entry.doc.kind === "actor" && queryWords.every(function (word) { return hasWord(entry.titleWords, word); })) {
        return RANK_NAME;
      }
    }
    return worst;
  }

  function compare(a, b) {
    if (a.rank !== b.rank) { return a.rank - b.rank; }
    var dateA = a.entry.doc.date || "", dateB = b.entry.doc.date || "";
    if (dateA !== dateB) { return dateA < dateB ? 1 : -1; }
    if (a.entry.sortTitle !== b.entry.sortTitle) { return a.entry.sortTitle < b.entry.sortTitle ? -1 : 1; }
    return a.entry.doc.url < b.entry.doc.url ? -1 : (a.entry.doc.url > b.entry.doc.url ? 1 : 0);
  }

  function search(entries, query) {
    var queryWords = words(query);
    if (queryWords.length === 0) { return []; }
    var foldedQuery = queryWords.join(" ");
    var matches = [];
    entries.forEach(function (entry) {
      var r = rank(entry, queryWords, foldedQuery);
      if (r >= 0) { matches.push({ entry: entry, rank: r }); }
    });
    return matches.sort(compare);
  }

  function dateLabel(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!parts) { return iso; }
    return Number(parts[3]) + " " + MONTHS[Number(parts[2]) - 1] + " " + parts[1];
  }

  /**
   * Folds `text` character by character, remembering where each folded character came from, so
   * a match found in folded text can be marked in the original.
   */
  function foldWithMap(text) {
    var folded = "";
    var map = [];
    var index = 0;
    for (var ch of text) {
      var f = fold(ch);
      for (var k = 0; k < f.length; k++) { map.push(index); }
      folded += f;
      index += ch.length;
    }
    map.push(text.length);
    return { folded: folded, map: map };
  }

  /** Ranges [start, end) of `text` where a query word starts a word. */
  function matchRanges(text, queryWords) {
    var info = foldWithMap(text);
    var ranges = [];
    queryWords.forEach(function (word) {
      var from = 0;
      for (;;) {
        var at = info.folded.indexOf(word, from);
        if (at < 0) { break; }
        if (at === 0 || !WORD_CHAR.test(info.folded.charAt(at - 1))) {
          ranges.push([info.map[at], info.map[at + word.length]]);
        }
        from = at + 1;
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    ranges.forEach(function (range) {
      var last = merged[merged.length - 1];
      if (last && range[0] <= last[1]) { last[1] = Math.max(last[1], range[1]); } else { merged.push(range.slice()); }
    });
    return merged;
  }

  /** Appends `text` to `parent`, with the query words in <mark>. */
  function appendMarked(parent, text, queryWords) {
    var position = 0;
    matchRanges(text, queryWords).forEach(function (range) {
      if (range[0] > position) { parent.appendChild(document.createTextNode(text.slice(position, range[0]))); }
      var mark = document.createElement("mark");
      mark.textContent = text.slice(range[0], range[1]);
      parent.appendChild(mark);
      position = range[1];
    });
    if (position < text.length) { parent.appendChild(document.createTextNode(text.slice(position))); }
  }

  /** The summary, or for a match found only in the body, the passage around the first match. */
  function excerpt(entry, queryWords, resultRank) {
    var doc = entry.doc;
    var text = String(doc.text || "").replace(/\s+/g, " ").trim();
    if (resultRank === RANK_BODY && text) {
      var ranges = matchRanges(text, queryWords);
      if (ranges.length > 0) {
        var start = Math.max(0, ranges[0][0] - 60);
        if (start > 0) {
          var space = text.indexOf(" ", start);
          start = space >= 0 && space < ranges[0][0] ? space + 1 : start;
        }
        var end = Math.min(text.length, start + EXCERPT_LENGTH);
        if (end < text.length) {
          var lastSpace = text.lastIndexOf(" ", end);
          end = lastSpace > ranges[0][1] ? lastSpace : end;
        }
        return (start > 0 ? "\u2026" : "") + text.slice(start, end) + (end < text.length ? "\u2026" : "");
      }
    }
    if (doc.summary) { return String(doc.summary); }
    if (text.length <= EXCERPT_LENGTH) { return text; }
    var cut = text.lastIndexOf(" ", EXCERPT_LENGTH);
    return text.slice(0, cut > 0 ? cut : EXCERPT_LENGTH) + "\u2026";
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function renderResult(match, queryWords) {
    var doc = match.entry.doc;
    var item = element("li", "result result-" + (doc.kind || "other"));

    var meta = element("p", "result-meta");
    meta.appendChild(element("span", "result-kind", KIND_LABELS[doc.kind] || doc.kind || ""));
    if (doc.kind === "action" && doc.date) {
      var time = element("time", "", dateLabel(doc.date));
      time.setAttribute("datetime", doc.date);
      meta.appendChild(time);
    }
    if (doc.type) { meta.appendChild(element("span", "result-type", TYPE_LABELS[doc.type] || doc.type)); }
    item.appendChild(meta);

    var title = element("p", "result-title");
    var link = element("a");
    link.setAttribute("href", doc.url);
    appendMarked(link, String(doc.title || doc.id || ""), queryWords);
    title.appendChild(link);
    item.appendChild(title);

    var aliases = asList(doc.aliases);
    if (aliases.length > 0) {
      var aka = element("p", "result-meta");
      appendMarked(aka, "Also known as " + aliases.join(", "), queryWords);
      item.appendChild(aka);
    }

    // An action found by the name of an actor it links: show the names that explain it.
    var names = match.entry.actorNames.join(", ");
    if (names && match.rank >= RANK_SUMMARY && matchRanges(names, queryWords).length > 0) {
      var who = element("p", "result-meta");
      appendMarked(who, names, queryWords);
      item.appendChild(who);
    }

    var text = excerpt(match.entry, queryWords, match.rank);
    if (text) {
      var paragraph = element("p", "result-excerpt");
      appendMarked(paragraph, text, queryWords);
      item.appendChild(paragraph);
    }
    return item;
  }

  function start() {
    var form = document.querySelector("[data-index]");
    var input = document.getElementById("search-input");
    var status = document.getElementById("search-status");
    var results = document.getElementById("search-results");
    if (!form || !input || !status || !results) { return; }

    var entries = null;
    var timer = null;
    var lastQuery = null;

    function setStatus(text) {
      if (status.textContent !== text) { status.textContent = text; }
    }

    function keepInURL(query) {
      if (!window.history || !window.history.replaceState) { return; }
      var url = new URL(window.location.href);
      if (query) { url.searchParams.set("q", query); } else { url.searchParams.delete("q"); }
      window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    }

    function run() {
      var query = input.value.trim();
      keepInURL(query);
      if (entries === null) { return; }
      if (query === lastQuery) { return; }
      lastQuery = query;
      while (results.firstChild) { results.removeChild(results.firstChild); }
      if (!query) { setStatus(""); return; }
      var queryWords = words(query);
      var matches = search(entries, query);
      var shown = matches.slice(0, MAX_RESULTS);
      shown.forEach(function (match) { results.appendChild(renderResult(match, queryWords)); });
      if (matches.length === 0) {
        setStatus("No results for \u201c" + query + "\u201d.");
      } else if (matches.length > shown.length) {
        setStatus(matches.length + " results; showing the first " + shown.length + ".");
      } else {
        setStatus(matches.length === 1 ? "1 result" : matches.length + " results");
      }
    }

    function schedule() {
      if (timer !== null) { clearTimeout(timer); }
      timer = setTimeout(function () { timer = null; run(); }, DEBOUNCE_MS);
    }

    input.addEventListener("input", schedule);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (timer !== null) { clearTimeout(timer); timer = null; }
      run();
    });

    var initial = new URLSearchParams(window.location.search).get("q");
    if (initial) { input.value = initial; }

    setStatus("Loading the search index\u2026");
    fetch(form.getAttribute("data-index"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (index) {
        var documents = asList(index && index.documents);
        var actorNames = Object.create(null);
        documents.forEach(function (doc) {
          if (doc && doc.kind === "actor") { actorNames[doc.id] = doc.title; }
        });
        entries = documents.filter(function (doc) { return doc && doc.url; })
          .map(function (doc) { return prepare(doc, actorNames); });
        setStatus("");
        run();
      })
      .catch(function () {
        setStatus("The search index could not be loaded. Browse the actors and actions instead.");
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
