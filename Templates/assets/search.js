/*
  Dossier search: runs entirely in the browser over the sharded index in search/shards/, which
  `dossier build` writes beside search-index.json (the full export, which this page never loads).
  See Sources/DossierKit/Index/SearchShards.swift for the files.

  The page gives the site's base path in a data-base attribute and has #search-input,
  #search-status (a live region), #search-results (a list), and optional filters named kind,
  type, from and to inside the same form.

  A query is cut into words exactly as the index was (fold, words, stem below mirror
  SearchTokenizer.swift and SearchStemmer.swift). Every word must match; the last one, while it
  is being typed, matches as a prefix. Only the packs holding the query's words are fetched, and
  they carry the records of the results a query of one word, or a name, shows first; other
  records come from record chunks, and a body no pack has a window of fills its excerpt in later.

  Ranking, best first: the query is a whole name, alias or page title; an actor or page whose
  name or aliases hold every word; an action whose title starts with the first word and holds
  every word; a title holding every word; every word in the title or summary, tags, measures,
  legal basis, country, type or the names of the actors it links; in the body. Equal ranks go
  newest action first (documents are numbered that way), then actors and pages by slug.

  Results are built with createElement and textContent only, never with markup strings.
*/
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else if (root && root.document) {
    if (root.document.readyState === "loading") {
      root.document.addEventListener("DOMContentLoaded", function () { api.start(root); });
    } else {
      api.start(root);
    }
  }
})(this, function () {
  "use strict";

  var FORMAT_VERSION = 2;
  var PAGE_SIZE = 10;
  var QUIET_MS = 60;
  var SETTLE_MS = 150;
  var EXCERPT_LENGTH = 180;
  var MAX_WORD_LENGTH = 40;

  // SearchField.swift
  var FIELD_BODY = 1, FIELD_SUMMARY = 2, FIELD_NAME = 3, FIELD_NAME_START = 4;
  // Ranks, lower is better.
  var RANK_EXACT = 0, RANK_NAME = 1, RANK_TITLE_START = 2, RANK_TITLE = 3, RANK_SUMMARY = 4, RANK_BODY = 5;

  var STOP_WORDS = Object.create(null);
  ("a an and are as at be been but by for from had has have he her his in into is it its of on or " +
    "that the their they this to was were which who will with").split(" ").forEach(function (w) { STOP_WORDS[w] = true; });

  var KIND_LABELS = { actor: "Actor", action: "Action", page: "Page" };
  var TYPE_LABELS = {
    person: "Person", organization: "Organization", government: "Government",
    sanction: "Sanction", "counter-sanction": "Counter-sanction", statement: "Statement",
    "legal-proceeding": "Legal proceeding", diplomatic: "Diplomatic", other: "Other"
  };
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  var MARKS = /\p{M}/gu;
  var WORD_CHARACTER = /^[\p{L}\p{N}]$/u;
  var ASCII_LETTERS = /^[a-z]+$/;
  var POSTING_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT_VALUES = new Int8Array(128);
  for (var digit = 0; digit < POSTING_DIGITS.length; digit++) { DIGIT_VALUES[POSTING_DIGITS.charCodeAt(digit)] = digit; }

  // ---- Text rules: the same as SearchTokenizer.swift, character for character ----

  /** NFD, combining marks dropped, lowercase, final sigma as sigma: "Müller" -> "muller". */
  function fold(text) {
    return String(text == null ? "" : text).normalize("NFD").replace(MARKS, "").toLowerCase().replace(/ς/g, "σ");
  }

  function isIdeograph(code) {
    return (code >= 0x3040 && code <= 0x30FF) || (code >= 0x3400 && code <= 0x4DBF) || (code >= 0x4E00 && code <= 0x9FFF) ||
      (code >= 0xF900 && code <= 0xFAFF) || (code >= 0x20000 && code <= 0x2FFFF);
  }

  function isApostrophe(ch) { return ch === "'" || ch === "\u2019"; }

  /**
   * Calls visit(word, start, end) for each folded word of `text`, with its place in `text`
   * (UTF-16 offsets). Folds one character at a time so every word maps back to the original.
   */
  function eachWord(text, visit) {
    text = String(text == null ? "" : text);
    var word = "", length = 0, start = -1, end = -1, offset = 0;
    function flush() {
      if (length > 0 && length <= MAX_WORD_LENGTH) { visit(word, start, end); }
      word = ""; length = 0; start = -1;
    }
    for (var ch of text) {
      var here = offset;
      offset += ch.length;
      var code0 = ch.charCodeAt(0);
      // ASCII, nearly all text: a letter or digit joins the word, anything else ends it. The
      // same as the general rule below, without a normalize() call per character.
      if (code0 < 0x80) {
        if ((code0 >= 0x61 && code0 <= 0x7A) || (code0 >= 0x30 && code0 <= 0x39)) {
          if (length === 0) { start = here; }
          word += ch; length += 1; end = offset;
        } else if (code0 >= 0x41 && code0 <= 0x5A) {
          if (length === 0) { start = here; }
          word += String.fromCharCode(code0 + 0x20); length += 1; end = offset;
        } else if (code0 !== 0x27) {
          flush();
        }
        continue;
      }
      if (isApostrophe(ch)) { continue; }
      var folded = fold(ch);
      for (var f of folded) {
        var code = f.codePointAt(0);
        if (isIdeograph(code)) {
          flush();
          word = f; length = 1; start = here; end = offset;
          flush();
        } else if (WORD_CHARACTER.test(f)) {
          if (length === 0) { start = here; }
          word += f; length += 1; end = offset;
        } else {
          flush();
        }
      }
    }
    flush();
  }

  /** The folded words of `text`, not stemmed. */
  function words(text) {
    var list = [];
    eachWord(text, function (word) { list.push(word); });
    return list;
  }

  // ---- The light English stemmer: Porter's step 1, as SearchStemmer.swift ----

  function isConsonant(word, i) {
    var ch = word.charAt(i);
    if (ch === "a" || ch === "e" || ch === "i" || ch === "o" || ch === "u") { return false; }
    if (ch === "y") { return i === 0 ? true : !isConsonant(word, i - 1); }
    return true;
  }

  function measure(word, length) {
    var count = 0, i = 0;
    while (i < length && isConsonant(word, i)) { i++; }
    while (i < length) {
      while (i < length && !isConsonant(word, i)) { i++; }
      if (i >= length) { break; }
      while (i < length && isConsonant(word, i)) { i++; }
      count++;
    }
    return count;
  }

  function hasVowel(word, length) {
    for (var i = 0; i < length; i++) { if (!isConsonant(word, i)) { return true; } }
    return false;
  }

  function endsWith(word, suffix) {
    return word.length >= suffix.length && word.slice(word.length - suffix.length) === suffix;
  }

  function endsWithDoubleConsonant(word) {
    var n = word.length;
    return n >= 2 && word.charAt(n - 1) === word.charAt(n - 2) && isConsonant(word, n - 1);
  }

  function endsCVC(word) {
    var n = word.length;
    if (n < 3 || !isConsonant(word, n - 1) || isConsonant(word, n - 2) || !isConsonant(word, n - 3)) { return false; }
    var last = word.charAt(n - 1);
    return last !== "w" && last !== "x" && last !== "y";
  }

  /** Words of ASCII letters longer than two letters lose -s, -ed, -ing, -y and -e as in Porter steps 1 and 5a. */
  function stem(word) {
    if (word.length <= 2 || !ASCII_LETTERS.test(word)) { return word; }
    // Step 1a
    if (endsWith(word, "sses") || endsWith(word, "ies")) { word = word.slice(0, -2); }
    else if (endsWith(word, "ss")) { /* unchanged */ }
    else if (endsWith(word, "s")) { word = word.slice(0, -1); }
    // Step 1b
    if (endsWith(word, "eed")) {
      if (measure(word, word.length - 3) > 0) { word = word.slice(0, -1); }
    } else {
      var cut = 0;
      if (endsWith(word, "ed") && hasVowel(word, word.length - 2)) { cut = 2; }
      else if (endsWith(word, "ing") && hasVowel(word, word.length - 3)) { cut = 3; }
      if (cut > 0) {
        word = word.slice(0, -cut);
        if (endsWith(word, "at") || endsWith(word, "bl") || endsWith(word, "iz")) { word += "e"; }
        else if (endsWithDoubleConsonant(word)) {
          var last = word.charAt(word.length - 1);
          if (last !== "l" && last !== "s" && last !== "z") { word = word.slice(0, -1); }
        } else if (measure(word, word.length) === 1 && endsCVC(word)) { word += "e"; }
      }
    }
    // Step 1c
    if (endsWith(word, "y") && hasVowel(word, word.length - 1)) { word = word.slice(0, -1) + "i"; }
    // Step 5a
    if (word.length > 1 && endsWith(word, "e")) {
      var rest = word.slice(0, -1);
      var m = measure(rest, rest.length);
      if (m > 1 || (m === 1 && !endsCVC(rest))) { word = rest; }
    }
    return word;
  }

  /** The index term of a folded word. */
  function term(word) { return stem(word); }

  // ---- Index files ----

  function codePoints(text) { return Array.from(text); }

  /** The shard of a term: its first two characters, or the term itself when it is one. */
  function shardKey(text) { return codePoints(text).slice(0, 2).join(""); }

  /**
   * The JSON of an index file. The `.bin` files are zlib streams (Deflate.swift), inflated with
   * the browser's DecompressionStream; a host that inflated one already (serving it with a
   * Content-Encoding) hands over the JSON itself, which never starts with zlib's first byte, 0x78.
   */
  function parseIndexFile(buffer) {
    var bytes = new Uint8Array(buffer);
    if (bytes.length > 1 && bytes[0] === 0x78) {
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
      return new Response(stream).text().then(JSON.parse);
    }
    return JSON.parse(new TextDecoder().decode(bytes));
  }

  /** Calls visit(document, field) for each posting, documents ascending (PostingsCoder.swift). */
  function eachPosting(text, visit) {
    var value = 0, previous = -1;
    for (var i = 0; i < text.length; i++) {
      var digit = DIGIT_VALUES[text.charCodeAt(i) & 127];
      value = value * 32 + (digit & 31);
      if (digit < 32) {
        previous += Math.floor(value / 4) + 1;
        visit(previous, (value % 4) + 1);
        value = 0;
      }
    }
  }

  /** Postings as two arrays, documents ascending and their fields. */
  function decodePostings(text) {
    var documents = [], fields = [];
    eachPosting(text, function (document, field) { documents.push(document); fields.push(field); });
    return { documents: documents, fields: fields };
  }

  // ---- Queries ----

  /**
   * The words a query must match. The last word, unless a space follows it, is still being
   * typed and matches as a prefix once it has two characters. Stop words are left out unless the
   * query has nothing else, since the index keeps them only in names and titles.
   */
  function parseQuery(query) {
    query = String(query == null ? "" : query);
    var all = words(query);
    var typing = !/\s$/.test(query);
    var parts = all.map(function (word, i) {
      var length = codePoints(word).length;
      return {
        word: word, term: term(word),
        prefix: typing && i === all.length - 1 && length >= 2 && !isIdeograph(word.codePointAt(0))
      };
    });
    var required = parts.filter(function (part) { return part.prefix || !STOP_WORDS[part.word]; });
    if (required.length === 0) { required = parts; }
    return { words: required, phrase: all.join(" "), first: all[0] };
  }

  /** The texts to look up for a query word: its term, and as typed when it is a prefix. */
  function lookups(part) {
    var list = [part.term];
    if (part.prefix && part.word !== part.term) { list.push(part.word); }
    return list;
  }

  /** Index of the first string >= `text` in the sorted `list` (JS string order, as the shards). */
  function lowerBound(list, text) {
    var low = 0, high = list.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (list[middle] < text) { low = middle + 1; } else { high = middle; }
    }
    return low;
  }

  /** Does a word of a text match a query word (for highlighting)? */
  function wordMatches(word, part) {
    // A stem keeps its word's first letter: most words of a text are ruled out without stemming.
    if (word.charCodeAt(0) !== part.word.charCodeAt(0)) { return false; }
    var t = term(word);
    if (t === part.term || word === part.word) { return true; }
    return part.prefix && (word.lastIndexOf(part.word, 0) === 0 || t.lastIndexOf(part.term, 0) === 0);
  }

  /** Ranges [start, end) of `text` whose words match a query word. */
  function matchRanges(text, parts) {
    var ranges = [];
    eachWord(text, function (word, start, end) {
      for (var i = 0; i < parts.length; i++) {
        if (wordMatches(word, parts[i])) { ranges.push([start, end]); return; }
      }
    });
    return ranges;
  }

  // ---- The engine: fetches what a query needs, ranks, caches ----

  /**
   * `load(path)` returns the parsed JSON of a file below search/shards/ (or a promise of it).
   * Every file is fetched at most once; the records and body windows of every pack read are kept
   * by document, whichever query brought them.
   */
  function Engine(load) {
    this.load = load;
    this.cache = Object.create(null);
    this.loaded = Object.create(null);
    this.manifest = null;
    this.recordOf = Object.create(null);
    this.windowsOf = Object.create(null);
  }

  Engine.prototype.file = function (path) {
    var cache = this.cache, loaded = this.loaded;
    if (!cache[path]) {
      cache[path] = Promise.resolve(this.load(path)).then(function (content) {
        loaded[path] = true;
        return content;
      }, function (error) { delete cache[path]; throw error; });
    }
    return cache[path];
  };

  /** A pack (t/<n>.bin): its records and windows are filed by document the first time it arrives. */
  Engine.prototype.pack = function (path) {
    var engine = this;
    return this.file(path).then(function (pack) {
      if (!pack.filed) {
        pack.filed = true;
        var documents = decodePostings(pack.d || "").documents;
        documents.forEach(function (d, i) { engine.keep(d, pack.r[i]); });
        (pack.w || []).forEach(function (window) {
          var d = documents[window[0]];
          (engine.windowsOf[d] = engine.windowsOf[d] || []).push([window[1], window[2]]);
        });
      }
      return pack;
    });
  };

  Engine.prototype.ready = function () {
    var engine = this;
    return this.file("manifest.json").then(function (manifest) {
      if (!manifest || manifest.version !== FORMAT_VERSION) { throw new Error("unsupported search index version"); }
      if (!engine.manifest) {
        engine.manifest = manifest;
        engine.packKeys = manifest.packs.split(" ");
        engine.total = manifest.actions + manifest.actors + manifest.pages;
      }
      return manifest;
    });
  };

  /** The pack holding section `key`: the last whose first key is not after it. */
  Engine.prototype.packPath = function (key) {
    var keys = this.packKeys, low = 0, high = keys.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (keys[middle] <= key) { low = middle + 1; } else { high = middle; }
    }
    return "t/" + Math.max(0, low - 1) + ".bin";
  };

  /**
   * The section to look `text` up in: the key of its first two characters, then one character
   * more while that key is split; null when no term can match. For `names` (the query's first
   * word, whose names SearchSections.sectionKey lists there), the last key reached instead. When
   * `text` ends on a split key, the section holds the term equal to it and, for a prefix, `h`,
   * the documents where a longer term is in a name or title (`heads`): the rest would mean
   * reading every longer section.
   */
  Engine.prototype.sectionOf = function (text, names) {
    var key = shardKey(text);
    var characters = codePoints(text);
    var length = codePoints(key).length;
    var split = this.manifest.split;
    while (split[key] !== undefined && characters.length > length) {
      if (split[key].indexOf(characters[length]) < 0) {
        if (names) { break; }
        return null;
      }
      key += characters[length++];
    }
    return key ? { key: key, path: this.packPath(key), heads: split[key] !== undefined } : null;
  };

  Engine.prototype.kindOf = function (document) {
    var m = this.manifest;
    return document < m.actions ? "action" : document < m.actions + m.actors ? "actor" : "page";
  };

  /** The sections a parsed query reads, and the files that hold them. */
  Engine.prototype.plan = function (parsed, filters) {
    var engine = this;
    var needed = Object.create(null);
    var perPart = parsed.words.map(function (part) {
      return lookups(part).map(function (text) {
        var section = engine.sectionOf(text);
        if (section) { needed[section.path] = true; }
        return { text: text, section: section };
      });
    });
    var names = this.sectionOf(parsed.first, true);
    if (names) { needed[names.path] = true; }
    var paths = Object.keys(needed);
    if (filters.type || filters.from || filters.to) { paths.push("facets.json"); }
    return { perPart: perPart, names: names, paths: paths };
  };

  /** Can `query` be answered from the files read already? The page then runs it at once. */
  Engine.prototype.isCached = function (query, filters) {
    var parsed = parseQuery(query);
    if (parsed.words.length === 0) { return true; }
    if (!this.manifest) { return false; }
    var loaded = this.loaded;
    return this.plan(parsed, filters || {}).paths.every(function (path) { return loaded[path]; });
  };

  /**
   * Ranked matches of a query with filters { kind, type, from, to }: a promise of
   * { parts, matches: [{ document, rank }] }, best first.
   */
  Engine.prototype.search = function (query, filters) {
    var engine = this;
    filters = filters || {};
    var parsed = parseQuery(query);
    if (parsed.words.length === 0) { return Promise.resolve({ parts: [], matches: [], partial: false }); }
    return this.ready().then(function () {
      var plan = engine.plan(parsed, filters);
      return Promise.all(plan.paths.map(function (path) {
        return path === "facets.json" ? engine.file(path) : engine.pack(path);
      })).then(function (loaded) {
        var files = Object.create(null);
        plan.paths.forEach(function (path, i) { files[path] = loaded[i]; });
        function section(place) { return place ? files[place.path].s[place.key] || null : null; }
        var perPart = plan.perPart.map(function (lookups) {
          return lookups.map(function (lookup) {
            return { text: lookup.text, shard: section(lookup.section), heads: !!(lookup.section && lookup.section.heads) };
          });
        });
        return engine.rank(parsed, perPart, section(plan.names), files["facets.json"] || null, filters);
      });
    });
  };

  Engine.prototype.rank = function (parsed, perPart, nameShard, facets, filters) {
    var total = this.total;
    var partial = false;
    function merge(fields, encoded) {
      eachPosting(encoded, function (d, field) { if (field > fields[d]) { fields[d] = field; } });
    }
    var best = parsed.words.map(function (part, i) {
      var fields = new Uint8Array(total);
      perPart[i].forEach(function (lookup) {
        var shard = lookup.shard;
        if (!shard) { return; }
        var terms = shard.t, text = lookup.text;
        for (var j = lowerBound(terms, text); j < terms.length; j++) {
          var t = terms[j];
          if (t !== text && !(part.prefix && t.lastIndexOf(text, 0) === 0)) { break; }
          merge(fields, shard.p[j]);
        }
        if (part.prefix && lookup.heads && shard.h) {
          merge(fields, shard.h);
          partial = true;
        }
      });
      return fields;
    });

    var exact = Object.create(null);
    if (nameShard && nameShard.n) {
      var names = nameShard.n;
      var at = lowerBound(names.map(function (entry) { return entry[0]; }), parsed.phrase);
      for (; at < names.length && names[at][0] === parsed.phrase; at++) { exact[names[at][1]] = true; }
    }

    var allowed = this.filter(filters, facets);
    var actions = this.manifest.actions;
    var matches = [];
    for (var d = 0; d < total; d++) {
      var weakest = 5;
      for (var w = 0; w < best.length && weakest > 0; w++) { weakest = Math.min(weakest, best[w][d]); }
      if (weakest === 0 && !exact[d]) { continue; }
      if (allowed && !allowed(d)) { continue; }
      var rank;
      if (exact[d]) { rank = RANK_EXACT; }
      else if (weakest >= FIELD_NAME) {
        rank = d >= actions ? RANK_NAME : best[0][d] === FIELD_NAME_START ? RANK_TITLE_START : RANK_TITLE;
      } else { rank = weakest === FIELD_SUMMARY ? RANK_SUMMARY : RANK_BODY; }
      matches.push({ document: d, rank: rank });
    }
    matches.sort(function (a, b) { return a.rank - b.rank || a.document - b.document; });
    return { parts: parsed.words, matches: matches, partial: partial };
  };

  /** A test for the filters, or null when none is set. */
  Engine.prototype.filter = function (filters, facets) {
    var m = this.manifest, engine = this;
    var kind = filters.kind || "", type = filters.type || "", from = filters.from || "", to = filters.to || "";
    if (!kind && !type && !from && !to) { return null; }
    var low = 0, high = this.total;
    if (from || to) {
      var range = dateRange(facets.dates, from, to);
      low = range[0]; high = range[1];
    }
    return function (d) {
      if (d < low || d >= high) { return false; }
      if (kind && engine.kindOf(d) !== kind) { return false; }
      if (type) {
        var code = facets.types.charAt(d);
        var name = code === "-" ? "" : m.types[parseInt(code, 36)] || "";
        if (name.slice(name.indexOf(":") + 1) !== type) { return false; }
      }
      return true;
    };
  };

  function dayNumber(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return parts ? Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3])) / 86400000 : null;
  }

  /** The documents [low, high) of the actions dated from..to (either may be empty). */
  function dateRange(dates, from, to) {
    var fromDay = dayNumber(from), toDay = dayNumber(to);
    var low = -1, high = 0, document = 0, day = null;
    for (var i = 0; i < dates.length; i += 2) {
      day = i === 0 ? dates[0] : day - dates[i];
      var count = dates[i + 1];
      // Newest first: skip dates after `to`, stop before dates before `from`.
      if (toDay !== null && day > toDay) { document += count; continue; }
      if (fromDay !== null && day < fromDay) { break; }
      if (low < 0) { low = document; }
      document += count;
      high = document;
    }
    return low < 0 ? [0, 0] : [low, high];
  }

  /** Keeps a document's record, unless the one kept already has its actor names and this has not. */
  Engine.prototype.keep = function (document, record) {
    var kept = this.recordOf[document];
    if (!kept || (kept[6] === null && record[6] !== null)) { this.recordOf[document] = record; }
  };

  /**
   * Records for documents, [id, title, type index, date, summary, aliases, actor names]: from the
   * packs read, else from the record chunks that hold them.
   */
  Engine.prototype.records = function (documents) {
    if (documents.length === 0) { return Promise.resolve([]); }
    var engine = this;
    var missing = documents.filter(function (d) { return !engine.recordOf[d]; });
    return this.chunks(missing).then(function () {
      return documents.map(function (d) { return engine.recordOf[d]; });
    });
  };

  /** A document's whole record, with its actor names (from its record chunk if no pack had them). */
  Engine.prototype.fullRecord = function (document) {
    var engine = this, kept = this.recordOf[document];
    return kept && kept[6] !== null ? Promise.resolve(kept) : this.chunks([document]).then(function () { return engine.recordOf[document]; });
  };

  /** Reads the record chunks (d/<n>.bin) of documents. */
  Engine.prototype.chunks = function (documents) {
    var engine = this, size = this.manifest.docsPerChunk;
    var chunks = Object.create(null);
    documents.forEach(function (d) { chunks[Math.floor(d / size)] = true; });
    return Promise.all(Object.keys(chunks).map(function (chunk) {
      return engine.file("d/" + chunk + ".bin").then(function (records) {
        records.forEach(function (record, i) { engine.keep(Number(chunk) * size + i, record); });
      });
    }));
  };

  /** The excerpt of a body match from the windows of the packs read, the earliest that matches; or null. */
  Engine.prototype.windowExcerpt = function (document, parts) {
    var windows = (this.windowsOf[document] || []).slice().sort(function (a, b) { return a[0] - b[0]; });
    for (var i = 0; i < windows.length; i++) {
      var excerpt = excerptAround(windows[i][1], parts);
      if (excerpt) { return excerpt; }
    }
    return null;
  };

  /** The start of a document's body (x/<n>.bin), for an excerpt no window covers. */
  Engine.prototype.text = function (document) {
    var size = this.manifest.textsPerChunk;
    return this.file("x/" + Math.floor(document / size) + ".bin").then(function (chunk) { return chunk[document % size] || ""; });
  };

  // ---- Showing results ----

  function dateLabel(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!parts) { return iso; }
    return Number(parts[3]) + " " + MONTHS[Number(parts[2]) - 1] + " " + parts[1];
  }

  /** About EXCERPT_LENGTH characters around the first match, cut at spaces. */
  function excerptAround(text, parts) {
    text = String(text || "").replace(/\s+/g, " ").trim();
    var ranges = matchRanges(text, parts);
    if (ranges.length === 0) { return null; }
    var first = ranges[0];
    var start = Math.max(0, first[0] - 60);
    if (start > 0) {
      var space = text.indexOf(" ", start);
      start = space >= 0 && space < first[0] ? space + 1 : start;
    }
    var end = Math.min(text.length, start + EXCERPT_LENGTH);
    if (end < text.length) {
      var lastSpace = text.lastIndexOf(" ", end);
      end = lastSpace > first[1] ? lastSpace : end;
    }
    return (start > 0 ? "\u2026" : "") + text.slice(start, end) + (end < text.length ? "\u2026" : "");
  }

  function start(window) {
    var document = window.document;
    // A theme's older search template may have only data-index: the base path is its folder.
    var form = document.querySelector("form[data-base]") || document.querySelector("form[data-index]");
    var input = document.getElementById("search-input");
    var status = document.getElementById("search-status");
    var results = document.getElementById("search-results");
    if (!form || !input || !status || !results) { return; }
    var base = form.getAttribute("data-base") || String(form.getAttribute("data-index")).replace(/[^\/]*$/, "");
    var more = form.parentNode.querySelector(".search-more");
    var filterNames = ["kind", "type", "from", "to"];

    var engine = new Engine(function (path) {
      return window.fetch(base + "search/shards/" + path, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.arrayBuffer();
      }).then(parseIndexFile);
    });

    var sequence = 0;
    var current = null;
    var shown = 0;
    var timer = null;
    var pending = false;

    function control(name) { return form.elements.namedItem(name); }

    function filters() {
      var values = {};
      filterNames.forEach(function (name) {
        var field = control(name);
        values[name] = field ? String(field.value || "") : "";
      });
      return values;
    }

    function setStatus(text) {
      if (status.textContent !== text) { status.textContent = text; }
    }

    function element(tag, className, text) {
      var node = document.createElement(tag);
      if (className) { node.className = className; }
      if (text !== undefined) { node.textContent = text; }
      return node;
    }

    /** Appends `text` to `parent`, the matching words in <mark>. */
    function appendMarked(parent, text, parts) {
      var position = 0;
      matchRanges(text, parts).forEach(function (range) {
        if (range[0] > position) { parent.appendChild(document.createTextNode(text.slice(position, range[0]))); }
        parent.appendChild(element("mark", "", text.slice(range[0], range[1])));
        position = range[1];
      });
      if (position < text.length) { parent.appendChild(document.createTextNode(text.slice(position))); }
    }

    function urlOf(kind, id) {
      return base + (kind === "action" ? "actions/" : kind === "actor" ? "actors/" : "") + id + "/";
    }

    /** Shows `text` as the result's excerpt, the matching words in <mark>. */
    function setExcerpt(item, text, parts) {
      var paragraph = item.querySelector(".result-excerpt");
      if (!paragraph) { paragraph = item.appendChild(element("p", "result-excerpt")); }
      while (paragraph.firstChild) { paragraph.removeChild(paragraph.firstChild); }
      appendMarked(paragraph, text, parts);
    }

    function renderResult(match, record, excerpt, parts) {
      var kind = engine.kindOf(match.document);
      var typeName = record[2] === null ? "" : engine.manifest.types[record[2]] || "";
      typeName = typeName.slice(typeName.indexOf(":") + 1);
      var item = element("li", "result result-" + kind);

      var meta = element("p", "result-meta");
      meta.appendChild(element("span", "result-kind", KIND_LABELS[kind]));
      if (record[3]) {
        var time = element("time", "", dateLabel(record[3]));
        time.setAttribute("datetime", record[3]);
        meta.appendChild(time);
      }
      if (typeName) { meta.appendChild(element("span", "result-type", TYPE_LABELS[typeName] || typeName)); }
      item.appendChild(meta);

      var title = element("p", "result-title");
      var link = element("a");
      link.setAttribute("href", urlOf(kind, record[0]));
      appendMarked(link, String(record[1] || record[0]), parts);
      title.appendChild(link);
      item.appendChild(title);

      var aliases = record[5] || [];
      if (aliases.length > 0) {
        var aka = element("p", "result-meta");
        appendMarked(aka, "Also known as " + aliases.join(", "), parts);
        item.appendChild(aka);
      }
      addNames(item, match, record, parts);
      var text = excerpt || String(record[4] || "");
      if (text) { setExcerpt(item, text, parts); }
      return item;
    }

    /**
     * An action found by the name of an actor it links: the names that explain it, before the
     * excerpt. A pack may carry the record without them (null); they are then read later.
     */
    function addNames(item, match, record, parts) {
      var names = (record[6] || []).join(", ");
      if (names && match.rank >= RANK_SUMMARY && matchRanges(names, parts).length > 0) {
        var who = element("p", "result-meta");
        appendMarked(who, names, parts);
        item.insertBefore(who, item.querySelector(".result-excerpt"));
      }
    }

    /**
     * Shows the next page of the current results; `replace` clears the list first, in the same
     * task, so it never flashes empty. A result found in its body shows the window of a pack
     * around the match; when no pack had one, it shows its summary until the body arrives, read
     * once the results have stayed SETTLE_MS on screen (so are actor names a pack left out).
     */
    function showMore(run, replace) {
      var slice = current.matches.slice(shown, shown + PAGE_SIZE);
      var parts = current.parts;
      shown += slice.length;
      var documents = slice.map(function (match) { return match.document; });
      return engine.records(documents).then(function (records) {
        if (run !== sequence) { return; }
        if (replace) { while (results.firstChild) { results.removeChild(results.firstChild); } }
        var fragment = document.createDocumentFragment();
        var waiting = [];
        var unnamed = [];
        slice.forEach(function (match, i) {
          var excerpt = match.rank === RANK_BODY ? engine.windowExcerpt(match.document, parts) : null;
          var item = renderResult(match, records[i], excerpt, parts);
          fragment.appendChild(item);
          // A pack that cut windows for a document, even none (the match is past the part of the
          // body the index keeps), spares loading its body.
          if (match.rank === RANK_BODY && !excerpt && !engine.windowsOf[match.document]) { waiting.push({ document: match.document, item: item }); }
          if (match.rank >= RANK_SUMMARY && records[i][6] === null) { unnamed.push({ match: match, item: item }); }
        });
        results.appendChild(fragment);
        // For other scripts on the page (and the benchmark): the results are on screen.
        form.dispatchEvent(new CustomEvent("search-results", { detail: { query: current.query, total: current.matches.length } }));
        var total = current.matches.length;
        if (more) { more.hidden = shown >= total; }
        if (current.partial) {
          setStatus((total === 1 ? "1 name or title matches" : total + " names and titles match") + "; type more letters to search all text.");
        } else if (total === 0) {
          setStatus("No results for \u201c" + current.query + "\u201d.");
        } else if (shown < total) {
          setStatus(total + " results; showing the first " + shown + ".");
        } else {
          setStatus(total === 1 ? "1 result" : total + " results");
        }
        if (waiting.length === 0 && unnamed.length === 0) { return; }
        // Only for results that stay on screen: the words typed on the way to a query would
        // otherwise each load body chunks of a few dozen KB.
        window.setTimeout(function () {
          if (run !== sequence) { return; }
          waiting.forEach(function (wait) {
            engine.text(wait.document).then(function (body) {
              var excerpt = run === sequence && excerptAround(body, parts);
              if (excerpt) { setExcerpt(wait.item, excerpt, parts); }
            }, function () { /* the summary stays */ });
          });
          unnamed.forEach(function (wait) {
            engine.fullRecord(wait.match.document).then(function (record) {
              if (run === sequence) { addNames(wait.item, wait.match, record, parts); }
            }, function () { /* no names line */ });
          });
        }, SETTLE_MS);
      });
    }

    function stateURL() {
      var url = new URL(window.location.href);
      var query = input.value.trim();
      if (query) { url.searchParams.set("q", query); } else { url.searchParams.delete("q"); }
      var values = filters();
      filterNames.forEach(function (name) {
        if (values[name]) { url.searchParams.set(name, values[name]); } else { url.searchParams.delete(name); }
      });
      return url.pathname + url.search + url.hash;
    }

    /**
     * The address follows the search. A search that was opened from a link, submitted with Enter
     * or changed by a filter is "committed": the next change starts a new history entry, so Back
     * returns to it; keystrokes in between replace the entry rather than adding one each.
     */
    var committed = !!new URLSearchParams(window.location.search).get("q");
    function keepInURL(commit) {
      if (!window.history || !window.history.replaceState) { return; }
      var target = stateURL();
      if (target !== window.location.pathname + window.location.search + window.location.hash) {
        if (committed) { window.history.pushState(null, "", target); } else { window.history.replaceState(null, "", target); }
        committed = false;
      }
      if (commit) { committed = true; }
    }

    function run(commit) {
      keepInURL(commit);
      var query = input.value;
      var values = filters();
      var key = query.trim() + "\u0000" + JSON.stringify(values);
      if (current && current.key === key) { return Promise.resolve(); }
      var runNumber = ++sequence;
      if (!query.trim()) {
        current = { key: key, query: "", parts: [], matches: [] };
        while (results.firstChild) { results.removeChild(results.firstChild); }
        if (more) { more.hidden = true; }
        setStatus("");
        return Promise.resolve();
      }
      return engine.search(query, values).then(function (found) {
        if (runNumber !== sequence) { return; }
        current = { key: key, query: query.trim(), parts: found.parts, matches: found.matches, partial: found.partial };
        shown = 0;
        return showMore(runNumber, true);
      }).catch(function () {
        if (runNumber === sequence) { setStatus("The search index could not be loaded. Browse the actors and actions instead."); }
      });
    }

    /**
     * A query whose files are read already runs at once: it costs a few milliseconds. One that
     * must fetch runs at once when idle, then at most once per QUIET_MS while keys keep coming,
     * so a fast typist does not start a fetch per key; only those wait.
     */
    function schedule() {
      if (engine.isCached(input.value, filters())) {
        pending = false;
        run(false);
        return;
      }
      if (timer !== null) { pending = true; return; }
      run(false);
      timer = window.setTimeout(function tick() {
        if (pending) {
          pending = false;
          run(false);
          timer = window.setTimeout(tick, QUIET_MS);
        } else {
          timer = null;
        }
      }, QUIET_MS);
    }

    function readURL() {
      var params = new URLSearchParams(window.location.search);
      input.value = params.get("q") || "";
      filterNames.forEach(function (name) {
        var field = control(name);
        if (field) { field.value = params.get(name) || ""; }
      });
    }

    function links() { return Array.prototype.slice.call(results.querySelectorAll(".result-title a")); }

    input.addEventListener("input", schedule);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        var list = links();
        if (list.length > 0) { event.preventDefault(); list[0].focus(); }
      }
    });
    form.parentNode.addEventListener("keydown", function (event) {
      var list = links();
      var at = list.indexOf(event.target);
      if (at < 0) { return; }
      if (event.key === "ArrowDown" && at + 1 < list.length) { event.preventDefault(); list[at + 1].focus(); }
      else if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? list[at - 1] : input).focus(); }
      else if (event.key === "Escape") { event.preventDefault(); input.focus(); }
    });
    filterNames.forEach(function (name) {
      var field = control(name);
      if (field) { field.addEventListener("change", function () { run(true); }); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run(true);
    });
    if (more) {
      more.addEventListener("click", function () {
        if (current && shown < current.matches.length) { showMore(sequence, false); }
      });
    }
    window.addEventListener("popstate", function () {
      readURL();
      committed = true;
      run(false);
    });

    readURL();
    engine.ready().then(function () { if (input.value.trim()) { run(false); } }, function () {
      setStatus("The search index could not be loaded. Browse the actors and actions instead.");
    });
  }

  return {
    fold: fold, words: words, stem: stem, term: term, eachWord: eachWord, shardKey: shardKey,
    parseIndexFile: parseIndexFile, decodePostings: decodePostings, parseQuery: parseQuery, matchRanges: matchRanges,
    excerptAround: excerptAround,
    dateRange: dateRange, Engine: Engine, start: start,
    RANKS: { EXACT: RANK_EXACT, NAME: RANK_NAME, TITLE_START: RANK_TITLE_START, TITLE: RANK_TITLE, SUMMARY: RANK_SUMMARY, BODY: RANK_BODY }
  };
});
