import { describe, expect, it } from "vitest";
import { appendVary, matchesIfNoneMatch, pathnameOf } from "./http-cache.ts";

describe("pathnameOf", () => {
  it("reads the path of absolute and relative URLs as URL does", () => {
    for (const url of [
      "http://localhost/graphql",
      "http://localhost:4000/graphql?query=%7Bx%7D",
      "https://example.org/graphql#top",
      "http://localhost",
      "http://localhost?x=1",
      "http://localhost/a/b?c=/d#e?f",
    ]) {
      expect(pathnameOf(url), url).toBe(new URL(url).pathname);
    }
    expect(pathnameOf("/graphql?x=1")).toBe("/graphql");
  });
});

describe("matchesIfNoneMatch", () => {
  it("compares weakly and understands lists and *", () => {
    expect(matchesIfNoneMatch('"2-abc"', 'W/"2-abc"')).toBe(true);
    expect(matchesIfNoneMatch('W/"1-x", W/"2-abc"', 'W/"2-abc"')).toBe(true);
    expect(matchesIfNoneMatch("*", 'W/"2-abc"')).toBe(true);
    expect(matchesIfNoneMatch('W/"2-abd"', 'W/"2-abc"')).toBe(false);
    expect(matchesIfNoneMatch(null, 'W/"2-abc"')).toBe(false);
  });
});

describe("appendVary", () => {
  it("adds names once, keeping what is there, whatever their case", () => {
    const headers = new Headers();
    appendVary(headers, "Accept", "Accept-Encoding");
    expect(headers.get("vary")).toBe("Accept, Accept-Encoding");
    appendVary(headers, "accept-encoding", "Origin");
    expect(headers.get("vary")).toBe("Accept, Accept-Encoding, Origin");
  });
});
