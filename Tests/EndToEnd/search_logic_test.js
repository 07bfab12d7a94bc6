#!/usr/bin/env node
/*
  search.js's pure parts under Node, against a site dossier built: the normalization table shared
  with the Swift tests, postings decoding, and ranking and filters on a fixed briefing (the
  "ranking" briefing of search_page_test.py) with the expected order of every result.

  Usage: search_logic_test.js SEARCH_JS NORMALIZATION_TSV RANKING_SITE_DIR
*/
"use strict";
const assert = require("assert");
const fs = require("fs");
const path = require("path");

const [searchJS, tablePath, site] = process.argv.slice(2);
const search = require(path.resolve(searchJS));
const tests = [];
function test(name, body) { tests.push({ name, body }); }

function engine() {
  const loaded = [];
  const e = new search.Engine((file) => {
    loaded.push(file);
    return search.parseIndexFile(fs.readFileSync(path.join(site, "search", "shards", file)));
  });
  e.fetched = loaded;
  return e;
}

async function ids(query, filters) {
  const e = engine();
  const found = await e.search(query, filters || {});
  const records = await e.records(found.matches.map((m) => m.document));
  return records.map((r) => r[0]);
}

async function ranks(query) {
  const e = engine();
  const found = await e.search(query, {});
  const records = await e.records(found.matches.map((m) => m.document));
  return records.map((r, i) => r[0] + ":" + found.matches[i].rank);
}

test("the normalization table matches the Swift side", () => {
  let rows = 0;
  for (const line of fs.readFileSync(tablePath, "utf8").split("\n")) {
    if (!line || line.startsWith("#")) { continue; }
    const [input, words, terms] = line.split("\t");
    assert.strictEqual(search.words(input).join(" "), words, input);
    assert.strictEqual(search.words(input).map(search.term).join(" "), terms, input);
    rows++;
  }
  assert.ok(rows > 10, "rows: " + rows);
});

test("postings decode as PostingsCoderTests encodes them", () => {
  const decoded = search.decodePostings("34i5");
  assert.deepStrictEqual(decoded.documents, [0, 2, 100]);
  assert.deepStrictEqual(decoded.fields, [4, 1, 2]);
});

test("the last word is a prefix while typed, stop words are dropped", () => {
  const parsed = search.parseQuery("Bank of Chi");
  assert.deepStrictEqual(parsed.words.map((p) => [p.word, p.prefix]), [["bank", false], ["chi", true]]);
  assert.strictEqual(parsed.phrase, "bank of chi");
  assert.strictEqual(search.parseQuery("sanctions ").words[0].prefix, false);
  assert.strictEqual(search.parseQuery("s").words[0].prefix, false, "one letter matches whole words only");
});

test("an exact name ranks first, then titles, newer first", async () => {
  assert.deepStrictEqual(await ranks("ana lee"), ["ana-lee:0", "a-new:3", "a-old:3"]);
});

test("actors named by a word come before titles that start with it", async () => {
  assert.deepStrictEqual(await ranks("lee"),
    ["ana-lee:1", "lee-holdings:1", "lee-statement:2", "a-new:3", "a-old:3", "body-only:5"]);
});

test("accents and case are ignored", async () => {
  assert.deepStrictEqual(await ids("JOSE muller"), ["jose-muller"]);
  assert.deepStrictEqual(await ids("josé Müller"), ["jose-muller"]);
});

test("an alias is an exact name; a prefix reaches longer words", async () => {
  assert.deepStrictEqual(await ranks("eu"),
    ["eu:0", "eu-council:1", "body-only:4", "a-new:4", "travel-bans:4", "a-old:4"]);
});

test("measures rank above the body, and stems meet: freeze, freezing", async () => {
  assert.deepStrictEqual(await ranks("asset freeze"), ["travel-bans:4", "a-old:4", "body-only:5"]);
});

test("titles starting with a word beat the type label", async () => {
  assert.deepStrictEqual(await ranks("sanctions"), ["a-new:2", "a-old:2", "travel-bans:4"]);
});

test("a country and a legal basis are found", async () => {
  assert.deepStrictEqual(await ids("canada"), ["ana-lee"]);
  assert.deepStrictEqual(await ids("regulation 2020/1998"), ["a-old"]);
});

test("kind, type and date filters", async () => {
  assert.deepStrictEqual(await ids("lee", { kind: "action" }), ["lee-statement", "a-new", "a-old", "body-only"]);
  assert.deepStrictEqual(await ids("lee", { type: "statement" }), ["lee-statement", "body-only"]);
  assert.deepStrictEqual(await ids("lee", { kind: "actor", type: "organization" }), ["lee-holdings"]);
  assert.deepStrictEqual(await ids("sanctions", { from: "2020-01-01", to: "2021-12-31" }), ["travel-bans"]);
  assert.deepStrictEqual(await ids("sanctions", { from: "2020-01-01" }), ["a-new", "travel-bans"]);
  assert.deepStrictEqual(await ids("sanctions", { to: "2019-01-01" }), ["a-old"]);
});

test("a query fetches only its pack, never the whole index, and its records are in it", async () => {
  const e = engine();
  const found = await e.search("ana lee", {});
  await e.records(found.matches.map((m) => m.document));
  assert.deepStrictEqual(e.fetched.sort(), ["manifest.json", "t/0.bin"]);
});

test("a record no pack carries comes from its record chunk", async () => {
  const e = engine();
  await e.ready();
  const records = await e.records([0, 4]);
  assert.deepStrictEqual(records.map((r) => r[0]), ["body-only", "a-old"]);
  assert.deepStrictEqual(e.fetched.sort(), ["d/0.bin", "manifest.json"]);
});

test("a body match is excerpted from the window its pack carries", async () => {
  const e = engine();
  const found = await e.search("held", {});
  assert.deepStrictEqual(found.matches.map((m) => m.rank), [search.RANKS.BODY]);
  const excerpt = e.windowExcerpt(found.matches[0].document, found.parts);
  assert.strictEqual(excerpt, "The council noted the freezing of assets held by Lee.");
  assert.ok(!e.fetched.some((file) => file.startsWith("x/")), e.fetched);
});

test("an excerpt is cut around the match with ellipses", () => {
  const parts = search.parseQuery("needle ").words;
  const text = "word ".repeat(40) + "needle " + "tail ".repeat(60);
  const excerpt = search.excerptAround(text, parts);
  assert.ok(excerpt.startsWith("\u2026") && excerpt.endsWith("\u2026") && excerpt.includes("needle"), excerpt);
});

test("no match is an empty list", async () => {
  assert.deepStrictEqual(await ids("zzzz"), []);
  assert.deepStrictEqual(await ids("   "), []);
});

(async () => {
  let passed = 0, failed = 0;
  for (const t of tests) {
    try {
      await t.body();
      passed++;
      console.log("ok: " + t.name);
    } catch (error) {
      failed++;
      console.log("FAIL: " + t.name + "\n" + (error && error.stack || error));
    }
  }
  console.log(`search logic: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
